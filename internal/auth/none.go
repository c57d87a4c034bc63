package auth

import (
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// NoCredentialsError says that no credentials were found, and every way to give them.
type NoCredentialsError struct{}

func (*NoCredentialsError) Error() string {
	return strings.Join([]string{
		"no Alibaba Cloud credentials were found. Give them in one of these ways (the first one found wins):",
		"  1. access_key and secret_key (and security_token for STS credentials) in the provider block;",
		"  2. the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
			"(or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), with ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials;",
		"  3. a profile of the aliyun CLI's configuration file ~/.aliyun/config.json (profile or ALIBABA_CLOUD_PROFILE; " +
			"shared_credentials_file or ALIBABA_CLOUD_CONFIG_FILE for another file), modes AK, StsToken, RamRoleArn, EcsRamRole;",
		"  4. the RAM role of the ECS instance Terraform runs on (ecs_role_name or ALICLOUD_ECS_ROLE_NAME).",
		"An assume_role block can be added to any of them.",
	}, "\n")
}

// noCredentials is the provider used when nothing was found: it fails at the first signature.
type noCredentials struct{}

func (noCredentials) GetCredentials() (*credentials.Credentials, error) {
	return nil, &NoCredentialsError{}
}
func (noCredentials) GetProviderName() string { return "none" }
