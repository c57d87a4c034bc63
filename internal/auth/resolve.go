// Package auth finds the Alibaba Cloud credentials the provider signs with, in a fixed order of
// precedence: the provider configuration, then environment variables, then a profile of the aliyun
// CLI's configuration file, then the RAM role of the ECS instance. An assume_role block (or a
// RamRoleArn profile) then exchanges those credentials for a role's session through STS.
//
// Nothing here calls the network while resolving: STS and the instance metadata service are
// asked when a signature is first needed, and "no credentials at all" is an error returned at that
// moment too, so that configurations that make no API call (validate, functions) never need them.
package auth

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// Settings are the credential arguments of the provider block; an empty string is unset.
type Settings struct {
	AccessKey             string
	SecretKey             string
	SecurityToken         string
	Profile               string
	SharedCredentialsFile string
	ECSRoleName           string
	AssumeRole            *AssumeRole
	// STSEndpoint overrides the STS host (or URL) used for assume_role and RamRoleArn profiles.
	STSEndpoint string
	// Region is the region the provider resolved so far (configuration or environment); "" if none.
	Region string
}

// AssumeRole is the assume_role block.
type AssumeRole struct {
	RoleARN     string
	SessionName string
	// DurationSeconds is the session's lifetime, 900 to 3600 (0 means 3600).
	DurationSeconds int
	Policy          string
	ExternalID      string
}

// Env reads an environment variable; os.Getenv in production, a map in tests.
type Env func(string) string

// Environment variable names, the ones users already have from the alicloud provider and the
// aliyun CLI. The first name of each list wins over the later ones.
var (
	EnvAccessKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	EnvSecretKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	EnvSecurityToken = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	EnvRegion        = []string{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	EnvProfile       = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	EnvSharedFile    = []string{"ALIBABA_CLOUD_CONFIG_FILE", "ALICLOUD_SHARED_CREDENTIALS_FILE"}
	EnvECSRoleName   = []string{"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME"}
	EnvRoleARN       = []string{"ALIBABA_CLOUD_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_ARN"}
	EnvRoleSession   = []string{"ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALICLOUD_ASSUME_ROLE_SESSION_NAME"}
	EnvSTSEndpoint   = []string{"ALIBABA_CLOUD_STS_ENDPOINT"}
)

// First returns the value of the first set variable of names, and its name.
func (env Env) First(names []string) (value, name string) {
	for _, n := range names {
		if v := env(n); v != "" {
			return v, n
		}
	}
	return "", ""
}

// Resolved is what Resolve found.
type Resolved struct {
	// Provider signs requests. It is never nil: when nothing was found it returns a
	// *NoCredentialsError from GetCredentials.
	Provider credentials.CredentialsProvider
	// Source says, for logs and errors, where the credentials come from (never a secret).
	Source string
	// ProfileRegion is the region_id of the profile used, if any.
	ProfileRegion string
}

// Resolve applies the order of precedence. home is the user's home directory (for
// ~/.aliyun/config.json). It returns an error only for a configuration that is wrong (a named
// profile that does not exist, a malformed file); finding nothing is not an error here.
func Resolve(s Settings, env Env, home string) (Resolved, error) {
	base, err := resolveBase(s, env, home)
	if err != nil {
		return Resolved{}, err
	}
	role := s.AssumeRole
	if role == nil {
		if arn, _ := env.First(EnvRoleARN); arn != "" {
			session, _ := env.First(EnvRoleSession)
			role = &AssumeRole{RoleARN: arn, SessionName: session}
		}
	}
	if role != nil && base.Provider != nil {
		stsEndpoint := s.STSEndpoint
		if stsEndpoint == "" {
			stsEndpoint, _ = env.First(EnvSTSEndpoint)
		}
		p, err := newAssumeRoleProvider(base.Provider, *role, stsEndpoint, s.Region)
		if err != nil {
			return Resolved{}, err
		}
		base.Provider = p
		base.Source = fmt.Sprintf("role %s assumed with %s", role.RoleARN, base.Source)
	}
	if base.Provider == nil {
		base.Provider = noCredentials{}
		base.Source = "none"
	}
	return base, nil
}

func resolveBase(s Settings, env Env, home string) (Resolved, error) {
	// 1 and 2: each of the key, secret and token from the configuration, else the environment.
	ak, akFrom := s.AccessKey, "provider configuration"
	if ak == "" {
		ak, akFrom = env.First(EnvAccessKey)
		akFrom = "environment variable " + akFrom
	}
	sk := s.SecretKey
	if sk == "" {
		sk, _ = env.First(EnvSecretKey)
	}
	token := s.SecurityToken
	if token == "" {
		token, _ = env.First(EnvSecurityToken)
	}
	switch {
	case ak != "" && sk == "":
		return Resolved{}, fmt.Errorf("an access key ID was given (%s) but no secret: set secret_key or %s", akFrom, EnvSecretKey[0])
	case ak == "" && sk != "":
		return Resolved{}, fmt.Errorf("a secret key was given but no access key ID: set access_key or %s", EnvAccessKey[0])
	case ak != "":
		return Resolved{Provider: staticProvider(ak, sk, token), Source: akFrom}, nil
	}

	// 3: a profile of the aliyun CLI's configuration file.
	r, found, err := resolveProfile(s, env, home)
	if err != nil || found {
		return r, err
	}

	// 4: the ECS instance's RAM role.
	role := s.ECSRoleName
	if role == "" {
		role, _ = env.First(EnvECSRoleName)
	}
	if role != "" {
		return Resolved{Provider: newECSRoleProvider(role), Source: fmt.Sprintf("ECS RAM role %q", role)}, nil
	}
	return Resolved{}, nil
}

func staticProvider(ak, sk, token string) credentials.CredentialsProvider {
	if token != "" {
		return credentials.NewStaticSTSCredentialsProvider(ak, sk, token)
	}
	return credentials.NewStaticAKCredentialsProvider(ak, sk)
}

// resolveProfile reads the profile when a file or a profile is named, or the default file exists.
func resolveProfile(s Settings, env Env, home string) (Resolved, bool, error) {
	path, explicit := s.SharedCredentialsFile, s.SharedCredentialsFile != ""
	if path == "" {
		if v, _ := env.First(EnvSharedFile); v != "" {
			path, explicit = v, true
		}
	}
	name := s.Profile
	if name == "" {
		name, _ = env.First(EnvProfile)
	}
	if name != "" {
		explicit = true
	}
	if path == "" {
		if home == "" {
			return Resolved{}, false, nil
		}
		path = filepath.Join(home, ".aliyun", "config.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) && !explicit {
			return Resolved{}, false, nil
		}
		return Resolved{}, false, fmt.Errorf("reading the aliyun CLI configuration file %s: %w", path, err)
	}
	p, err := parseProfile(data, path, name)
	if err != nil {
		return Resolved{}, false, err
	}
	r, err := p.resolve(s, env, path)
	return r, true, err
}
