package cas

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const bundleKey = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END PRIVATE KEY-----\n"

// GetCertificateBundle asks for the text (CertFilter=false) and keeps every PEM field, keys
// included; printing a Bundle in any form never shows them.
func TestGetCertificateBundle(t *testing.T) {
	var query string
	answer, _ := json.Marshal(map[string]any{
		"RequestId": "R-1", "Id": 42, "BuyInAliyun": true, "Name": "shop",
		"Cert": "CERT-TEXT", "Key": bundleKey,
		"SignCert": "SIGN-CERT", "SignPrivateKey": "SIGN-KEY", "EncryptCert": "ENC-CERT", "EncryptPrivateKey": "ENC-KEY",
	})
	srv, _ := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		query = r.Form.Encode()
		fmt.Fprint(w, string(answer))
	})
	c, _ := testClient(t, srv.URL, 0)
	b, err := c.GetCertificateBundle(context.Background(), 42)
	if err != nil {
		t.Fatal(err)
	}
	want := Bundle{ID: 42, Cert: "CERT-TEXT", Key: bundleKey, SignCert: "SIGN-CERT", SignPrivateKey: "SIGN-KEY",
		EncryptCert: "ENC-CERT", EncryptPrivateKey: "ENC-KEY", Purchased: true}
	if *b != want {
		t.Errorf("bundle of certificate %d: its fields differ from the answer's (not printed: String hides them)", b.ID)
	}
	for _, p := range []string{"Action=GetUserCertificateDetail", "CertFilter=false", "CertId=42"} {
		if !strings.Contains(query, p) {
			t.Errorf("request %q lacks %s", query, p)
		}
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{b, *b} {
			if out := fmt.Sprintf(format, v); strings.Contains(out, "c2VjcmV0") || strings.Contains(out, "KEY") {
				t.Errorf("%s of a %T prints a key: %s", format, v, out)
			}
		}
	}
}

// An unknown certificate is a NotFoundError, as for every certificate call.
func TestGetCertificateBundle_notFound(t *testing.T) {
	srv, _ := scripted(t, fail(http.StatusNotFound, "NotFound"))
	c, _ := testClient(t, srv.URL, 0)
	if _, err := c.GetCertificateBundle(context.Background(), 7); !IsNotFound(err) {
		t.Fatalf("err = %v, want a NotFoundError", err)
	}
}
