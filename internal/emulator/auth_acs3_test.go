package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// acs3Signer signs requests as the newer generated SDKs do, written from the published algorithm
// (not from the emulator's code), so that the two implementations check each other.
type acs3Signer struct {
	id, secret, token string
	// tamper changes a request after signing.
	tamper func(r *http.Request)
	nonce  string
	date   time.Time
}

func (s acs3Signer) request(t *testing.T, base, method, action string, query url.Values, body []byte) *http.Request {
	t.Helper()
	u := base + "/"
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	r, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if s.nonce == "" {
		s.nonce = randomAlnum(32)
	}
	if s.date.IsZero() {
		s.date = time.Now()
	}
	h := map[string]string{
		"host":                  r.URL.Host,
		"x-acs-action":          action,
		"x-acs-version":         casVersion,
		"x-acs-date":            s.date.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": s.nonce,
		"x-acs-content-sha256":  hex.EncodeToString(sum[:]),
	}
	if s.token != "" {
		h["x-acs-security-token"] = s.token
	}
	if len(body) > 0 {
		h["content-type"] = "application/x-www-form-urlencoded"
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, k := range names {
		canonHeaders.WriteString(k + ":" + strings.TrimSpace(h[k]) + "\n")
		if k != "host" {
			r.Header.Set(k, h[k])
		}
	}
	var pairs []string
	for k, vs := range query {
		for _, v := range vs {
			pairs = append(pairs, pctEncode(k)+"="+pctEncode(v))
		}
	}
	sort.Strings(pairs)
	canon := strings.Join([]string{method, "/", strings.Join(pairs, "&"), canonHeaders.String(), strings.Join(names, ";"), h["x-acs-content-sha256"]}, "\n")
	hashed := sha256.Sum256([]byte(canon))
	mac := hmac.New(sha256.New, []byte(s.secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(hashed[:])))
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+s.id+",SignedHeaders="+strings.Join(names, ";")+",Signature="+hex.EncodeToString(mac.Sum(nil)))
	if s.tamper != nil {
		s.tamper(r)
	}
	return r
}

// pctEncode is RFC 3986 encoding through the standard library, as SDKs commonly write it.
func pctEncode(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

func TestACS3Signature(t *testing.T) {
	form := url.Values{"ProductCode": {"geotrust-dv-1-starter"}}
	tests := []struct {
		name     string
		signer   acs3Signer
		method   string
		query    url.Values
		body     []byte
		wantCode string
	}{
		{name: "query parameters", signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret}, method: "POST",
			query: url.Values{"ProductCode": {"geotrust-dv-1-starter"}, "Odd Name*": {"v~ w"}}},
		{name: "form body", signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret}, method: "POST", body: []byte(form.Encode())},
		{name: "GET", signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret}, method: "GET", query: form},
		{name: "wrong secret", signer: acs3Signer{id: DemoAccessKeyID, secret: "wrong"}, method: "POST", query: form, wantCode: "SignatureDoesNotMatch"},
		{name: "unknown key", signer: acs3Signer{id: "LTAInope", secret: "x"}, method: "POST", query: form, wantCode: "InvalidAccessKeyId.NotFound"},
		{name: "body hash mismatch", method: "POST", body: []byte(form.Encode()), wantCode: "SignatureDoesNotMatch",
			signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, tamper: func(r *http.Request) {
				other := strings.Replace(form.Encode(), "geotrust", "globalsign", 1)
				r.Body, r.ContentLength = nopBody(other), int64(len(other))
			}}},
		{name: "stale date", signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, date: time.Now().Add(-time.Hour)},
			method: "POST", query: form, wantCode: "InvalidTimeStamp.Expired"},
		{name: "unsigned x-acs header", method: "POST", query: form, wantCode: "IncompleteSignature",
			signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, tamper: func(r *http.Request) { r.Header.Set("x-acs-extra", "1") }}},
		{name: "host not signed", method: "POST", query: form, wantCode: "IncompleteSignature",
			signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			}}},
		{name: "no hash header", method: "POST", query: form, wantCode: "IncompleteSignature",
			signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, tamper: func(r *http.Request) {
				r.Header.Del("x-acs-content-sha256")
			}}},
		{name: "other algorithm", method: "POST", query: form, wantCode: "InvalidSignatureMethod",
			signer: acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, emu, ctl := startEmulator(t, Options{Seed: 1})
			seedPackage(t, ctl, "geotrust-dv-1-starter", 5, 2, 1)
			resp, err := http.DefaultClient.Do(tt.signer.request(t, srv.URL, tt.method, "DescribePackageState", tt.query, tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if tt.wantCode != "" {
				if body["Code"] != tt.wantCode {
					t.Fatalf("answer = %d %v (%v), want %s", resp.StatusCode, body["Code"], body["Message"], tt.wantCode)
				}
				return
			}
			if resp.StatusCode != http.StatusOK || body["TotalCount"] != 5.0 {
				t.Fatalf("answer = %d %v", resp.StatusCode, body)
			}
			if reqs := emu.Requests("DescribePackageState"); reqs[0].SignatureStyle != "acs3" || reqs[0].AccessKeyID != DemoAccessKeyID {
				t.Errorf("logged %+v", reqs[0])
			}
		})
	}
}

func TestACS3Signature_replay(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	seedPackage(t, ctl, "geotrust-dv-1-starter", 5, 2, 1)
	s := acs3Signer{id: DemoAccessKeyID, secret: DemoAccessKeySecret, nonce: "fixed-nonce"}
	for i, want := range []int{http.StatusOK, http.StatusBadRequest} {
		resp, err := http.DefaultClient.Do(s.request(t, srv.URL, "POST", "DescribePackageState", url.Values{"ProductCode": {"geotrust-dv-1-starter"}}, nil))
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != want || (i == 1 && body["Code"] != "SignatureNonceUsed") {
			t.Fatalf("call %d answered %d %v, want %d", i+1, resp.StatusCode, body, want)
		}
	}
}

type stringBody struct{ *strings.Reader }

func (stringBody) Close() error { return nil }

func nopBody(s string) stringBody { return stringBody{strings.NewReader(s)} }
