package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

func session(id string, expires time.Time) map[string]string {
	return map[string]string{"AccessKeyId": id, "AccessKeySecret": "secret", "SecurityToken": "token-" + id,
		"Expiration": expires.UTC().Format(time.RFC3339)}
}

func TestECSRoleProviderReadsAndCachesTheInstanceRole(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
			w.Write([]byte("imds-token"))
		case r.URL.Path == "/latest/meta-data/ram/security-credentials/web":
			if r.Header.Get("X-aliyun-ecs-metadata-token") != "imds-token" {
				http.Error(w, "no token", http.StatusUnauthorized)
				return
			}
			calls.Add(1)
			body := session("STS.ecs", time.Now().Add(time.Hour))
			body["Code"] = "Success"
			json.NewEncoder(w).Encode(body)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	old := metadataBaseURL
	metadataBaseURL = srv.URL
	defer func() { metadataBaseURL = old }()

	p := newECSRoleProvider("web")
	for i := 0; i < 3; i++ {
		c, err := p.GetCredentials()
		if err != nil {
			t.Fatal(err)
		}
		if c.AccessKeyId != "STS.ecs" || c.SecurityToken != "token-STS.ecs" {
			t.Fatalf("got %+v", c)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("metadata asked %d times, want 1 (cached until shortly before expiry)", calls.Load())
	}

	_, err := newECSRoleProvider("missing").GetCredentials()
	if err == nil || !strings.Contains(err.Error(), `ECS RAM role "missing"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestAssumeRoleProviderCallsSTSAndRenewsBeforeExpiry(t *testing.T) {
	var calls atomic.Int32
	var lastQuery atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("Action") != "AssumeRole" || r.Form.Get("Version") != "2015-04-01" {
			http.Error(w, "unexpected", http.StatusBadRequest)
			return
		}
		lastQuery.Store(r.Form)
		calls.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"RequestId": "R", "Credentials": session("STS.role", time.Now().Add(15*time.Minute))})
	}))
	defer srv.Close()

	base := credentials.NewStaticAKCredentialsProvider("LTAIbase", "s")
	p, err := newAssumeRoleProvider(base, AssumeRole{RoleARN: "acs:ram::1234567890123456:role/deployer", SessionName: "ci",
		DurationSeconds: 900, ExternalID: "ext", Policy: `{"Version":"1"}`}, srv.URL, "cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	p.now = func() time.Time { return now }
	c, err := p.GetCredentials()
	if err != nil || c.AccessKeyId != "STS.role" || c.SecurityToken != "token-STS.role" {
		t.Fatalf("got %+v, %v", c, err)
	}
	form := lastQuery.Load().(url.Values)
	for k, want := range map[string]string{"RoleArn": "acs:ram::1234567890123456:role/deployer", "RoleSessionName": "ci",
		"DurationSeconds": "900", "ExternalId": "ext", "Policy": `{"Version":"1"}`, "AccessKeyId": "LTAIbase"} {
		if got := form[k]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v, want %q", k, got, want)
		}
	}
	p.GetCredentials()
	if calls.Load() != 1 {
		t.Fatalf("STS asked %d times, want 1 while the session is fresh", calls.Load())
	}
	now = now.Add(13 * time.Minute) // within 3 minutes of expiry
	p.GetCredentials()
	if calls.Load() != 2 {
		t.Fatalf("STS asked %d times, want a renewal near expiry", calls.Load())
	}
}

func TestAssumeRoleRefusalIsExplained(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"RequestId":"R9","Code":"NoPermission","Message":"You are not authorized to do this action."}`))
	}))
	defer srv.Close()
	p, _ := newAssumeRoleProvider(credentials.NewStaticAKCredentialsProvider("a", "b"),
		AssumeRole{RoleARN: "acs:ram::1:role/x"}, srv.URL, "")
	_, err := p.GetCredentials()
	if err == nil || !strings.Contains(err.Error(), "assuming role acs:ram::1:role/x") || !strings.Contains(err.Error(), "NoPermission") {
		t.Fatalf("err = %v", err)
	}
}
