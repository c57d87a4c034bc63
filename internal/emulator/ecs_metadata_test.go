package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

func TestECSMetadata(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	seedPackage(t, ctl, "digicert-free-1-free", 1, 0, 0)
	do := func(method, path, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		if token != "" {
			req.Header.Set("X-aliyun-ecs-metadata-token", token)
		}
		if method == http.MethodPut {
			req.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	status, token := do(http.MethodPut, "/latest/api/token", "")
	if status != 200 || token == "" {
		t.Fatalf("token: %d %q", status, token)
	}
	if status, roles := do(http.MethodGet, "/latest/meta-data/ram/security-credentials/", token); status != 200 || roles != DefaultECSRoleName {
		t.Fatalf("roles: %d %q", status, roles)
	}
	if status, _ := do(http.MethodGet, "/latest/meta-data/ram/security-credentials/"+DefaultECSRoleName, "not-a-token"); status != 401 {
		t.Errorf("a made-up metadata token: %d", status)
	}
	if status, _ := do(http.MethodGet, "/latest/meta-data/ram/security-credentials/OtherRole", token); status != 404 {
		t.Errorf("unknown role: %d", status)
	}
	status, body := do(http.MethodGet, "/latest/meta-data/ram/security-credentials/"+DefaultECSRoleName, "")
	var c struct{ AccessKeyId, AccessKeySecret, SecurityToken, Expiration, Code, LastUpdated string }
	if err := json.Unmarshal([]byte(body), &c); status != 200 || err != nil || c.Code != "Success" || !strings.HasPrefix(c.AccessKeyId, "STS.") {
		t.Fatalf("credentials: %d %s", status, body)
	}
	if exp, err := time.Parse("2006-01-02T15:04:05Z", c.Expiration); err != nil || exp.Before(time.Now()) {
		t.Errorf("Expiration = %q", c.Expiration)
	}
	_, again := do(http.MethodGet, "/latest/meta-data/ram/security-credentials/"+DefaultECSRoleName, token)
	if !strings.Contains(again, c.AccessKeyId) {
		t.Error("the role's session changed between two reads")
	}

	client, _ := sdkClient(t, credentials.NewStsTokenCredential(c.AccessKeyId, c.AccessKeySecret, c.SecurityToken))
	if _, err := process(t, client, casRequest(srv, "DescribePackageState", requests.GET, nil)); err != nil {
		t.Fatalf("a CAS call with the role's session: %v", err)
	}
}
