package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/auth"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

// providerModel is the provider block.
type providerModel struct {
	AccessKey             types.String      `tfsdk:"access_key"`
	SecretKey             types.String      `tfsdk:"secret_key"`
	SecurityToken         types.String      `tfsdk:"security_token"`
	Region                types.String      `tfsdk:"region"`
	Profile               types.String      `tfsdk:"profile"`
	SharedCredentialsFile types.String      `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String      `tfsdk:"ecs_role_name"`
	Endpoint              types.String      `tfsdk:"endpoint"`
	STSEndpoint           types.String      `tfsdk:"sts_endpoint"`
	MaxRetries            types.Int64       `tfsdk:"max_retries"`
	RequestTimeout        types.String      `tfsdk:"request_timeout"`
	RateLimit             types.Float64     `tfsdk:"rate_limit"`
	AssumeRole            []assumeRoleModel `tfsdk:"assume_role"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
}

// EnvDisableBatching, when set, makes every refresh read its own object instead of sharing one
// listing per run (cas/batch.go): for the scale benchmark's "batching off" runs only.
const EnvDisableBatching = "ALICLOUDCAS_DISABLE_BATCHING"

// EnvEndpoint overrides the CAS endpoint.
const EnvEndpoint = "ALIBABA_CLOUD_CAS_ENDPOINT"

var sessionNamePattern = regexp.MustCompile(`^[\w.@-]+$`)

// client builds the API client from the configuration, the environment and the profile file,
// in that order of precedence. It makes no API call.
func (m providerModel) client(ctx context.Context, env auth.Env, home, version string) (*cas.Client, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"access_key": m.AccessKey, "secret_key": m.SecretKey, "security_token": m.SecurityToken, "region": m.Region,
		"profile": m.Profile, "endpoint": m.Endpoint, "sts_endpoint": m.STSEndpoint,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Provider argument not known at plan time",
				fmt.Sprintf("%s depends on a value that is only known after apply; the provider must be configured "+
					"before any resource is planned. Use a value known at plan time (a variable, a literal, or the environment).", name))
		}
	}
	if diags.HasError() {
		return nil, "", diags
	}

	region, _ := env.First(auth.EnvRegion)
	if v := m.Region.ValueString(); v != "" {
		region = v
	}
	settings := auth.Settings{
		AccessKey: m.AccessKey.ValueString(), SecretKey: m.SecretKey.ValueString(),
		SecurityToken: m.SecurityToken.ValueString(), Profile: m.Profile.ValueString(),
		SharedCredentialsFile: m.SharedCredentialsFile.ValueString(), ECSRoleName: m.ECSRoleName.ValueString(),
		STSEndpoint: m.STSEndpoint.ValueString(), Region: region,
	}
	if len(m.AssumeRole) == 1 {
		r := m.AssumeRole[0]
		settings.AssumeRole = &auth.AssumeRole{RoleARN: r.RoleARN.ValueString(), SessionName: r.SessionName.ValueString(),
			DurationSeconds: int(r.SessionExpiration.ValueInt64()), Policy: r.Policy.ValueString(), ExternalID: r.ExternalID.ValueString()}
	}
	resolved, err := auth.Resolve(settings, env, home)
	if err != nil {
		diags.AddError("Invalid Alibaba Cloud credentials configuration", err.Error())
		return nil, "", diags
	}
	if region == "" {
		region = resolved.ProfileRegion
	}
	if region == "" {
		region = cas.DefaultRegion
	}

	override := m.Endpoint.ValueString()
	if override == "" {
		override = env(EnvEndpoint)
	}
	endpoint, err := cas.ResolveEndpoint(region, override)
	if err != nil {
		attr := path.Root("region")
		if override != "" {
			attr = path.Root("endpoint")
		}
		diags.AddAttributeError(attr, "Unsupported region or endpoint", err.Error())
		return nil, "", diags
	}

	cfg := cas.Config{Region: region, Endpoint: endpoint, Credentials: resolved.Provider, Retry: cas.DefaultRetryPolicy,
		UserAgent: "terraform-provider-alicloudcas/" + version, DisableBatching: env(EnvDisableBatching) != ""}
	cfg.RateLimit = m.RateLimit.ValueFloat64() // 0 (no cap) when unset
	if !m.MaxRetries.IsNull() {
		cfg.Retry.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	if v := m.RequestTimeout.ValueString(); v != "" {
		cfg.RequestTimeout, _ = time.ParseDuration(v) // checked by durationValidator
	}
	return cas.New(cfg), resolved.Source, diags
}

// durationValidator accepts a positive Go duration string.
var durationValidator = stringCheck{
	description: "a positive duration such as 30s or 2m",
	check: func(s string) (string, string) {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return "Invalid duration", fmt.Sprintf("%q is not a positive duration: write it as a number and a unit, such as 30s, 90s or 2m.", s)
		}
		return "", ""
	},
}
