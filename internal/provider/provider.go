// Package provider is the Terraform provider for the Alibaba Cloud Certificate Management Service:
// its configuration, and the registration of its resources, data sources and functions.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// TypeName is the provider's type name, the prefix of every resource and data source.
const TypeName = "alicloudcas"

var (
	_ provider.Provider              = (*casProvider)(nil)
	_ provider.ProviderWithFunctions = (*casProvider)(nil)
)

type casProvider struct {
	version string
	// env and home are the process environment and home directory; tests replace them.
	env  func(string) string
	home func() (string, error)
}

// New returns a constructor of the provider for a release version ("dev", "test" or a semver).
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &casProvider{version: version, env: os.Getenv, home: os.UserHomeDir}
	}
}

func (p *casProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *casProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages certificates of the Alibaba Cloud Certificate Management Service (CAS, formerly " +
			"SSL Certificates Service). Credentials are taken, in this order, from the provider block, the environment, " +
			"a profile of the aliyun CLI's `~/.aliyun/config.json`, and the ECS instance's RAM role; `assume_role` can be " +
			"added to any of them. No credentials are needed until the first API call.",
		Attributes: map[string]schema.Attribute{
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Access key ID. Environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, then `ALICLOUD_ACCESS_KEY`.",
			},
			"secret_key": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "Access key secret. Environment: `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, then `ALICLOUD_SECRET_KEY`.",
			},
			"security_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "STS security token, for temporary credentials. Environment: " +
					"`ALIBABA_CLOUD_SECURITY_TOKEN`, then `ALICLOUD_SECURITY_TOKEN`.",
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Region whose CAS endpoint is called: `cn-hangzhou` (China site, the default) or " +
					"`ap-southeast-1` (international site), or another supported region. Environment: " +
					"`ALIBABA_CLOUD_REGION`, then `ALICLOUD_REGION`; else the profile's `region_id`. An unsupported " +
					"region is an error that lists the supported ones.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name of a profile in the aliyun CLI's configuration file (modes `AK`, `StsToken`, " +
					"`RamRoleArn`, `EcsRamRole`). Environment: `ALIBABA_CLOUD_PROFILE`, then `ALICLOUD_PROFILE`; else the " +
					"file's current profile. Used only when no access key is given in the configuration or environment.",
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of the aliyun CLI's configuration file. Default `~/.aliyun/config.json`. " +
					"Environment: `ALIBABA_CLOUD_CONFIG_FILE`, then `ALICLOUD_SHARED_CREDENTIALS_FILE`.",
			},
			"ecs_role_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "RAM role of the ECS instance Terraform runs on, read from the instance metadata " +
					"service. Used only when no other credentials are found. Environment: `ALIBABA_CLOUD_ECS_METADATA`, " +
					"then `ALICLOUD_ECS_ROLE_NAME`.",
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Overrides the CAS API endpoint: a host (`cas.aliyuncs.com`, HTTPS) or a URL " +
					"(`http://127.0.0.1:8787` for the local emulator). Environment: `ALIBABA_CLOUD_CAS_ENDPOINT`.",
			},
			"sts_endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Overrides the STS endpoint used by `assume_role` and `RamRoleArn` profiles " +
					"(default `" + "sts.aliyuncs.com" + "`). Environment: `ALIBABA_CLOUD_STS_ENDPOINT`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a call is retried after throttling, a 5xx answer or a network " +
					"error, with exponential backoff and full jitter. Default 5. A call that could act twice (an order) " +
					"is never resent once it may have reached the service.",
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Time limit of one attempt of one API call, as a Go duration (`30s`, `2m`). Default `30s`.",
				Validators:          []validator.String{durationValidator},
			},
			"rate_limit": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Most API calls per second this provider configuration makes, all actions together " +
					"(a cap for the account, for example when other tools or Terraform runs share it). Unset means no " +
					"such cap. Whether it is set or not, each action is paced at the per-account limit the service " +
					"documents, calls spaced evenly without bursts: 10 calls per second for `ListUserCertificateOrder`, " +
					"`DeleteUserCertificate`, `CancelCertificateForPackageRequest`, `CancelOrderRequest`, " +
					"`DeleteCertificateRequest`, `ListCertWarehouse`, `ListCloudAccess` and `ListWorkerResource`; 100 " +
					"for `GetUserCertificateDetail`, `UploadUserCertificate`, `CreateCertificateForPackageRequest` and " +
					"`ListCert`; 20 shared by the actions without a documented limit. The pacing adapts: a throttling " +
					"answer halves that action's rate (not below 1 call per second) and each successful call raises it " +
					"by a twentieth of its limit until it is back. Must be greater than 0.",
				Validators: []validator.Float64{positiveFloat64Validator{}},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "Assume a RAM role through STS with the credentials found above. Environment: " +
					"`ALIBABA_CLOUD_ROLE_ARN` and `ALIBABA_CLOUD_ROLE_SESSION_NAME`.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "ARN of the role: `acs:ram::<account id>:role/<role name>`.",
						},
						"session_name": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "Session name shown in the role's audit trail. Default `terraform-provider-alicloudcas`.",
							Validators: []validator.String{stringvalidator.LengthBetween(2, 64),
								stringvalidator.RegexMatches(sessionNamePattern, "may contain letters, digits and . @ - _ only")},
						},
						"session_expiration": schema.Int64Attribute{
							Optional:            true,
							MarkdownDescription: "Session lifetime in seconds, 900 to 43200 (the role's maximum). Default 3600.",
							Validators:          []validator.Int64{int64validator.Between(900, 43200)},
						},
						"policy": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "A RAM policy (JSON) that further restricts the session.",
						},
						"external_id": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "External ID the role's trust policy requires, if any.",
						},
					},
				},
			},
		},
	}
}

// positiveFloat64Validator accepts a number greater than 0.
type positiveFloat64Validator struct{}

func (positiveFloat64Validator) Description(context.Context) string { return "a number greater than 0" }

func (v positiveFloat64Validator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (positiveFloat64Validator) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if v := req.ConfigValue.ValueFloat64(); !(v > 0) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid rate limit",
			fmt.Sprintf("%s must be greater than 0 (calls per second), got %v.", req.Path, v))
	}
}

func (p *casProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	home, _ := p.home()
	client, source, diags := m.client(ctx, p.env, home, p.version)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Info(ctx, "configured the CAS client", map[string]any{
		"region": client.Region(), "endpoint": client.Endpoint().URL(), "credentials": source,
	})
	resp.DataSourceData = client
	resp.ResourceData = client
	resp.EphemeralResourceData = client
}

func (p *casProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewUploadedCertificateResource,
		NewCertificateOrderResource,
		NewDeploymentJobResource,
		NewCertificateOrderValidationResource,
		NewCertificateShareResource,
		NewContactResource,
	}
}

func (p *casProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewPackagesDataSource,
		NewCertificatesDataSource,
		NewCertificateDataSource,
		NewCertificateOrderDataSource,
		NewContactsDataSource,
		NewCloudResourcesDataSource,
	}
}

// Functions are the provider functions: the rules engine's answers, usable in any expression
// (Terraform 1.8 and later). They need no credentials and make no API call.
func (p *casProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		newNormalizeDomainFunction,
		newDomainCoversFunction,
		newEffectiveDomainsFunction,
	}
}
