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

// The RPC signature is checked against what the real Go SDK v1 computes and sends.

func TestRPCSignature_sdk(t *testing.T) {
	tests := []struct {
		name       string
		id, secret string
		method     string
		wantStatus int
		wantCode   string
	}{
		{name: "correct key, POST", id: DemoAccessKeyID, secret: DemoAccessKeySecret, method: requests.POST},
		{name: "correct key, GET", id: DemoAccessKeyID, secret: DemoAccessKeySecret, method: requests.GET},
		{name: "wrong secret", id: DemoAccessKeyID, secret: "not-the-secret", method: requests.POST,
			wantStatus: http.StatusBadRequest, wantCode: "SignatureDoesNotMatch"},
		{name: "wrong secret, GET", id: DemoAccessKeyID, secret: "not-the-secret", method: requests.GET,
			wantStatus: http.StatusBadRequest, wantCode: "SignatureDoesNotMatch"},
		{name: "unknown key", id: "LTAIunknown", secret: "x", method: requests.POST,
			wantStatus: http.StatusNotFound, wantCode: "InvalidAccessKeyId.NotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, ctl := startEmulator(t, Options{Seed: 1})
			seedPackage(t, ctl, "geotrust-dv-1-starter", 5, 2, 1)
			client, _ := sdkClient(t, akCredential(tt.id, tt.secret))
			resp, err := process(t, client, casRequest(srv, "DescribePackageState", tt.method,
				map[string]string{"ProductCode": "geotrust-dv-1-starter"}))
			if tt.wantCode != "" {
				serverError(t, err, tt.wantStatus, tt.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.GetHttpStatus() != http.StatusOK {
				t.Fatalf("status = %d", resp.GetHttpStatus())
			}
			var got map[string]any
			if err := json.Unmarshal(resp.GetHttpContentBytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"ProductCode": "geotrust-dv-1-starter", "TotalCount": 5.0, "UsedCount": 2.0, "IssuedCount": 1.0}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
			if id, _ := got["RequestId"].(string); len(id) != 36 || strings.ToUpper(id) != id {
				t.Errorf("RequestId = %q, want an upper-case UUID", id)
			}
		})
	}
}

func TestRPCSignature_errorDocument(t *testing.T) {
	srv, _, _ := startEmulator(t, Options{Seed: 1})
	client, rt := sdkClient(t, akCredential(DemoAccessKeyID, "wrong"))
	_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil))
	serverError(t, err, http.StatusBadRequest, "SignatureDoesNotMatch")

	resp := rt.last(t).replay(t)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if body["HostId"] != host {
		t.Errorf("HostId = %v, want %s", body["HostId"], host)
	}
	msg, _ := body["Message"].(string)
	if !strings.HasPrefix(msg, "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&") {
		t.Errorf("Message = %q", msg)
	}
	wantRecommend := "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=cas&requestId=" + body["RequestId"].(string)
	if body["Recommend"] != wantRecommend {
		t.Errorf("Recommend = %v, want %s", body["Recommend"], wantRecommend)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := body[k]; !ok {
			t.Errorf("the error document has no %s", k)
		}
	}
}

func TestRPCSignature_replayedNonce(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	seedPackage(t, ctl, "digicert-free-1-free", 1, 0, 0)
	client, rt := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	if _, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil)); err != nil {
		t.Fatal(err)
	}
	resp := rt.last(t).replay(t)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"Code":"SignatureNonceUsed"`) {
		t.Fatalf("replay answered %d %s, want 400 SignatureNonceUsed", resp.StatusCode, body)
	}
}

func TestRPCSignature_staleTimestamp(t *testing.T) {
	for _, skew := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			srv, emu, _ := startEmulator(t, Options{Seed: 1})
			emu.wallNow = func() time.Time { return time.Now().Add(skew) }
			client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
			_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil))
			serverError(t, err, http.StatusBadRequest, "InvalidTimeStamp.Expired")
		})
	}
}

// Hand-made requests: what the SDK never sends but the gateway must still refuse.
func TestRPCSignature_commonParameters(t *testing.T) {
	srv, emu, _ := startEmulator(t, Options{Seed: 1})
	signed := func(mutate func(p map[string]string)) map[string]string {
		p := map[string]string{
			"Action": "DescribePackageState", "Version": casVersion, "Format": "JSON",
			"AccessKeyId": DemoAccessKeyID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
			"SignatureNonce": randomAlnum(16), "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		}
		mutate(p)
		if _, ok := p["Signature"]; !ok {
			p["Signature"] = rpcSign(rpcStringToSign("GET", p), DemoAccessKeySecret)
		}
		return p
	}
	tests := []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"no parameters", map[string]string{}, 400, "MissingAction"},
		{"no version", map[string]string{"Action": "DescribePackageState"}, 400, "MissingVersion"},
		{"unknown version", signed(func(p map[string]string) { p["Version"] = "2018-08-13x" }), 400, "InvalidVersion"},
		{"no signature", signed(func(p map[string]string) { p["Signature"] = "" }), 400, "MissingSignature"},
		{"no access key", signed(func(p map[string]string) { delete(p, "AccessKeyId") }), 400, "MissingAccessKeyId"},
		{"no nonce", signed(func(p map[string]string) { delete(p, "SignatureNonce") }), 400, "MissingSignatureNonce"},
		{"no timestamp", signed(func(p map[string]string) { delete(p, "Timestamp") }), 400, "MissingTimestamp"},
		{"bad timestamp", signed(func(p map[string]string) { p["Timestamp"] = "2024-01-02 03:04:05" }), 400, "InvalidTimeStamp.Format"},
		{"local timestamp", signed(func(p map[string]string) { p["Timestamp"] = time.Now().Format("2006-01-02T15:04:05+08:00") }), 400, "InvalidTimeStamp.Format"},
		{"sha256 method", signed(func(p map[string]string) { p["SignatureMethod"] = "HMAC-SHA256" }), 400, "InvalidSignatureMethod"},
		{"signature version", signed(func(p map[string]string) { p["SignatureVersion"] = "2.0" }), 400, "InvalidSignatureVersion"},
		{"unknown action", signed(func(p map[string]string) { p["Action"] = "NoSuchAction" }), 404, "InvalidAction.NotFound"},
		{"token with a permanent key", signed(func(p map[string]string) { p["SecurityToken"] = "CAISbogus" }), 400, "InvalidSecurityToken.Malformed"},
		{"signed with special characters", signed(func(p map[string]string) { p["ProductCode"] = "a b*c~d/é+" }), 400, "InvalidParameter"},
		{"fine", signed(func(map[string]string) {}), 404, "NotFoundPackage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := make([]string, 0, len(tt.params))
			for k, v := range tt.params {
				q = append(q, encodeRFC3986(k)+"="+encodeRFC3986(v))
			}
			resp, err := http.Get(srv.URL + "/?" + strings.Join(q, "&"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body errorBody
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tt.status || body.Code != tt.code {
				t.Errorf("answer = %d %s (%s), want %d %s", resp.StatusCode, body.Code, body.Message, tt.status, tt.code)
			}
		})
	}
	if n := len(emu.Requests("")); n != len(tests) {
		t.Errorf("logged %d requests, want every one of the %d, refused ones included", n, len(tests))
	}
}

// An STS session from AssumeRole (through the SDK) signs CAS calls with its token; without the
// token, or with another session's token, it is refused. A session may assume another role.
func TestSTS_assumeRoleThenCAS(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1})
	seedPackage(t, ctl, "geotrust-dv-1-starter", 5, 2, 1)
	assume := func(t *testing.T, cred any, params map[string]string) (id, secret, token string) {
		t.Helper()
		var client, _ = sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
		if c, ok := cred.(*credentials.StsTokenCredential); ok {
			client, _ = sdkClient(t, c)
		}
		resp, err := process(t, client, apiRequest(srv, "Sts", stsVersion, "AssumeRole", requests.POST, params))
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			AssumedRoleUser struct{ Arn, AssumedRoleId string }
			Credentials     struct{ AccessKeyId, AccessKeySecret, SecurityToken, Expiration string }
		}
		if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
			t.Fatal(err)
		}
		c := out.Credentials
		if !strings.HasPrefix(c.AccessKeyId, "STS.") || c.AccessKeySecret == "" || c.SecurityToken == "" {
			t.Fatalf("credentials = %+v", c)
		}
		exp, err := time.Parse("2006-01-02T15:04:05Z", c.Expiration)
		if err != nil || exp.Before(time.Now().Add(10*time.Minute)) {
			t.Errorf("Expiration = %q", c.Expiration)
		}
		if !strings.HasSuffix(out.AssumedRoleUser.Arn, "/"+params["RoleSessionName"]) || out.AssumedRoleUser.AssumedRoleId == "" {
			t.Errorf("AssumedRoleUser = %+v", out.AssumedRoleUser)
		}
		return c.AccessKeyId, c.AccessKeySecret, c.SecurityToken
	}
	role := map[string]string{"RoleArn": "acs:ram::" + DemoAccountID + ":role/terraform", "RoleSessionName": "ci", "DurationSeconds": "900"}
	id, secret, token := assume(t, nil, role)
	id2, _, token2 := assume(t, nil, role)

	call := func(t *testing.T, cred any) error {
		t.Helper()
		var client, _ = sdkClient(t, akCredential(id, secret))
		if c, ok := cred.(*credentials.StsTokenCredential); ok {
			client, _ = sdkClient(t, c)
		}
		_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, map[string]string{"ProductCode": "geotrust-dv-1-starter"}))
		return err
	}
	t.Run("with its token", func(t *testing.T) {
		if err := call(t, credentials.NewStsTokenCredential(id, secret, token)); err != nil {
			t.Fatal(err)
		}
		reqs := emu.Requests("DescribePackageState")
		if last := reqs[len(reqs)-1]; last.AccessKeyID != id || last.Params["SecurityToken"] != "***" {
			t.Errorf("logged %+v", last)
		}
	})
	t.Run("without its token", func(t *testing.T) {
		serverError(t, call(t, nil), http.StatusNotFound, "InvalidAccessKeyId.NotFound")
	})
	t.Run("with another session's token", func(t *testing.T) {
		serverError(t, call(t, credentials.NewStsTokenCredential(id, secret, token2)), http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey")
	})
	t.Run("with a made-up token", func(t *testing.T) {
		serverError(t, call(t, credentials.NewStsTokenCredential(id, secret, "CAISmadeup")), http.StatusBadRequest, "InvalidSecurityToken.Malformed")
	})
	t.Run("role chaining", func(t *testing.T) {
		cid, _, _ := assume(t, credentials.NewStsTokenCredential(id2, mustSecret(t, emu, id2), token2),
			map[string]string{"RoleArn": "acs:ram::" + DemoAccountID + ":role/other", "RoleSessionName": "chained"})
		if cid == id2 {
			t.Error("role chaining returned the same session")
		}
	})
	t.Run("expired", func(t *testing.T) {
		emu.mu.Lock()
		emu.sts.byKey[id].Expiration = time.Now().Add(-time.Second)
		emu.mu.Unlock()
		serverError(t, call(t, credentials.NewStsTokenCredential(id, secret, token)), http.StatusBadRequest, "InvalidSecurityToken.Expired")
	})
	t.Run("session logged masked", func(t *testing.T) {
		for _, r := range emu.Requests("AssumeRole") {
			if r.Code == "" && (r.Session == nil || r.Session.AccessKeySecret != "***" || r.Session.SecurityToken != "***" || r.Session.AccessKeyID == "") {
				t.Errorf("AssumeRole logged session %+v", r.Session)
			}
		}
	})
}

func mustSecret(t *testing.T, emu *Emulator, id string) string {
	t.Helper()
	emu.mu.Lock()
	defer emu.mu.Unlock()
	s, ok := emu.sts.byKey[id]
	if !ok {
		t.Fatalf("no session %s", id)
	}
	return s.AccessKeySecret
}
