package auth

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

// DefaultSTSEndpoint is STS's central host.
const DefaultSTSEndpoint = "sts.aliyuncs.com"

// refreshBefore is how long before expiry a session is renewed.
const refreshBefore = 3 * time.Minute

var roleARNPattern = regexp.MustCompile(`^acs:ram::\d+:role/[\w.@+=,-]+$`)

// assumeRoleProvider exchanges base credentials for a role's session (STS AssumeRole) and keeps
// the session until shortly before it expires. The SDK's own provider always uses HTTPS to a
// fixed host; this one honours an STS endpoint override, so it also works against the emulator.
type assumeRoleProvider struct {
	base     credentials.CredentialsProvider
	role     AssumeRole
	endpoint cas.Endpoint
	region   string
	now      func() time.Time

	mu      sync.Mutex
	current *credentials.Credentials
	expires time.Time
}

func newAssumeRoleProvider(base credentials.CredentialsProvider, role AssumeRole, endpoint, region string) (*assumeRoleProvider, error) {
	if !roleARNPattern.MatchString(role.RoleARN) {
		return nil, fmt.Errorf("assume_role: role_arn %q is not a RAM role ARN of the form acs:ram::<account id>:role/<role name>", role.RoleARN)
	}
	if role.DurationSeconds == 0 {
		role.DurationSeconds = 3600
	}
	if role.DurationSeconds < 900 || role.DurationSeconds > 43200 {
		return nil, fmt.Errorf("assume_role: session_expiration %d is out of range: STS sessions last 900 to 43200 seconds (3600 unless the role allows more)", role.DurationSeconds)
	}
	if role.SessionName == "" {
		role.SessionName = "terraform-provider-alicloudcas"
	}
	if endpoint == "" {
		endpoint = DefaultSTSEndpoint
	}
	ep, err := cas.ParseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("sts_endpoint: %w", err)
	}
	if region == "" {
		region = cas.DefaultRegion
	}
	return &assumeRoleProvider{base: base, role: role, endpoint: ep, region: region, now: time.Now}, nil
}

func (p *assumeRoleProvider) GetProviderName() string { return "ram_role_arn" }

func (p *assumeRoleProvider) GetCredentials() (*credentials.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current != nil && p.now().Before(p.expires.Add(-refreshBefore)) {
		return p.current, nil
	}
	cfg := sdk.NewConfig()
	cfg.AutoRetry = true
	cfg.MaxRetryTime = 2
	cfg.Scheme = p.endpoint.Scheme
	cfg.Timeout = 15 * time.Second
	sc, err := sdk.NewClientWithOptions(p.region, cfg, p.base)
	if err != nil {
		return nil, err
	}
	r := requests.NewCommonRequest()
	r.Method = requests.POST
	r.Product = "Sts"
	r.Version = "2015-04-01"
	r.ApiName = "AssumeRole"
	r.Domain = p.endpoint.Host
	r.Scheme = p.endpoint.Scheme
	r.QueryParams["RoleArn"] = p.role.RoleARN
	r.QueryParams["RoleSessionName"] = p.role.SessionName
	r.QueryParams["DurationSeconds"] = strconv.Itoa(p.role.DurationSeconds)
	if p.role.Policy != "" {
		r.QueryParams["Policy"] = p.role.Policy
	}
	if p.role.ExternalID != "" {
		r.QueryParams["ExternalId"] = p.role.ExternalID
	}
	resp, err := sc.ProcessCommonRequest(r)
	if err != nil {
		var se *sdkerrors.ServerError
		if asServerError(err, &se) {
			return nil, fmt.Errorf("assuming role %s through STS (%s) was refused: %s: %s [request id %s]",
				p.role.RoleARN, p.endpoint.Host, se.ErrorCode(), se.Message(), se.RequestId())
		}
		return nil, fmt.Errorf("assuming role %s through STS (%s): %w", p.role.RoleARN, p.endpoint.Host, err)
	}
	var out struct {
		Credentials struct {
			AccessKeyId, AccessKeySecret, SecurityToken, Expiration string
		}
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil || out.Credentials.AccessKeyId == "" {
		return nil, fmt.Errorf("assuming role %s: STS answered without credentials", p.role.RoleARN)
	}
	expires, err := time.Parse(time.RFC3339, out.Credentials.Expiration)
	if err != nil {
		return nil, fmt.Errorf("assuming role %s: STS answered an unreadable expiration %q", p.role.RoleARN, out.Credentials.Expiration)
	}
	p.current = &credentials.Credentials{
		AccessKeyId: out.Credentials.AccessKeyId, AccessKeySecret: out.Credentials.AccessKeySecret,
		SecurityToken: out.Credentials.SecurityToken, ProviderName: p.GetProviderName(),
	}
	p.expires = expires
	return p.current, nil
}
