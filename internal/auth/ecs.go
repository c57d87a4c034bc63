package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// metadataBaseURL is the ECS instance metadata service; tests point it elsewhere.
var metadataBaseURL = "http://100.100.100.200"

// ecsRoleProvider reads the instance RAM role's session from the metadata service (IMDSv2 token
// first, falling back to v1) and keeps it until shortly before it expires.
type ecsRoleProvider struct {
	role   string
	client *http.Client
	now    func() time.Time

	mu      sync.Mutex
	current *credentials.Credentials
	expires time.Time
}

func newECSRoleProvider(role string) *ecsRoleProvider {
	return &ecsRoleProvider{role: role, client: &http.Client{Timeout: 5 * time.Second}, now: time.Now}
}

func (p *ecsRoleProvider) GetProviderName() string { return "ecs_ram_role" }

func (p *ecsRoleProvider) GetCredentials() (*credentials.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current != nil && p.now().Before(p.expires.Add(-refreshBefore)) {
		return p.current, nil
	}
	c, expires, err := p.fetch()
	if err != nil {
		return nil, fmt.Errorf("getting the credentials of ECS RAM role %q from the instance metadata service "+
			"(is Terraform running on an ECS instance with that role attached?): %w", p.role, err)
	}
	p.current, p.expires = c, expires
	return c, nil
}

func (p *ecsRoleProvider) fetch() (*credentials.Credentials, time.Time, error) {
	req, _ := http.NewRequest(http.MethodGet, metadataBaseURL+"/latest/meta-data/ram/security-credentials/"+p.role, nil)
	if token, err := p.token(); err == nil {
		req.Header.Set("X-aliyun-ecs-metadata-token", token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return nil, time.Time{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var out struct{ AccessKeyId, AccessKeySecret, SecurityToken, Expiration, Code string }
	if err := json.Unmarshal(body, &out); err != nil || out.AccessKeyId == "" {
		return nil, time.Time{}, errors.New("the answer holds no credentials")
	}
	if out.Code != "" && out.Code != "Success" {
		return nil, time.Time{}, fmt.Errorf("the metadata service answered %s", out.Code)
	}
	expires, err := time.Parse(time.RFC3339, out.Expiration)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("unreadable expiration %q", out.Expiration)
	}
	return &credentials.Credentials{AccessKeyId: out.AccessKeyId, AccessKeySecret: out.AccessKeySecret,
		SecurityToken: out.SecurityToken, ProviderName: p.GetProviderName()}, expires, nil
}

// token asks for an IMDSv2 session token.
func (p *ecsRoleProvider) token() (string, error) {
	req, _ := http.NewRequest(http.MethodPut, metadataBaseURL+"/latest/api/token", nil)
	req.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
	resp, err := p.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return string(b), err
}

func asServerError(err error, target **sdkerrors.ServerError) bool { return errors.As(err, target) }
