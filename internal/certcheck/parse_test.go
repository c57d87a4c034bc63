package certcheck

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestParse(t *testing.T) {
	fx := fixtures(t)
	chain := certtest.Bundle(fx.leaf, fx.inter2, fx.inter1)
	csrDER, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "www.example.com"}}, fx.leaf.Key)
	if err != nil {
		t.Fatal(err)
	}
	der := fx.leaf.DER()
	wrapped := func(b []byte) string { return wrap76(b64(b)) }
	keyPKCS1 := fx.leaf.KeyPEM(t, certtest.PKCS1)
	tests := []struct {
		name   string
		text   string
		certs  int
		finds  []want
		inText []string // words the summary or detail must contain
	}{
		{name: "leaf and two intermediates", text: chain, certs: 3},
		{name: "CRLF and indented", text: indent(crlf(chain), "  "), certs: 3},
		{name: "ECC leaf", text: fx.leafP256.PEM(), certs: 1},
		{name: "SM2 certificate", text: fx.sm2.Sign.PEM(), certs: 1},
		{name: "Bag Attributes (warning only)", text: "Bag Attributes\n    friendlyName: x\n" + chain, certs: 3, finds: []want{w("R-40", "certificate", -1)}, inText: []string{"line 1", "Bag Attributes"}},
		{name: "white space only", text: " \n\t", finds: []want{e("R-40", "certificate", -1)}, inText: []string{"empty"}},
		{name: "PKCS #12 binary", text: string(pkcs12DER(t)), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"PKCS #12", "openssl pkcs12 -in cert.pfx -nokeys -out cert.pem", "-nocerts -nodes"}},
		{name: "PKCS #12 base64 (filebase64)", text: b64(pkcs12DER(t)), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"PKCS #12", "base64", "base64 -d"}},
		{name: "PKCS #12 in BER", text: b64(pkcs12BER()), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"PKCS #12"}},
		{name: "JKS binary", text: string(jks()), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"Java keystore (JKS)", "keytool -importkeystore"}},
		{name: "JKS base64", text: b64(jks()), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"JKS", "base64"}},
		{name: "PKCS #7 DER", text: string(pkcs7DER(t)), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"PKCS #7", "openssl pkcs7 -inform der"}},
		{name: "PKCS #7 PEM", text: pemOf("PKCS7", pkcs7DER(t)), finds: []want{e("R-40", "certificate", 0)}, inText: []string{"openssl pkcs7 -in cert.p7b -print_certs"}},
		{name: "DER certificate", text: string(der), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"DER", "openssl x509 -inform der -in cert.der -out cert.pem"}},
		{name: "base64 DER without PEM lines", text: wrapped(der), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"without its PEM lines", "-----BEGIN CERTIFICATE-----"}},
		{name: "private key pasted", text: keyPKCS1, finds: []want{e("R-40", "certificate", 0)}, inText: []string{"private key", "private_key"}},
		{name: "certificate and key together", text: fx.leaf.PEM() + keyPKCS1, finds: []want{e("R-40", "certificate", 1)}, inText: []string{"Move the private key to private_key"}},
		{name: "DER private key", text: string(mustDER(t, keyPKCS1)), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"private_key"}},
		{name: "CSR", text: pemOf("CERTIFICATE REQUEST", csrDER), finds: []want{e("R-40", "certificate", 0)}, inText: []string{"CSR", "issued"}},
		{name: "DER CSR", text: string(csrDER), finds: []want{e("R-40", "certificate", -1)}, inText: []string{"CSR"}},
		{name: "trusted certificate", text: pemOf("TRUSTED CERTIFICATE", der), finds: []want{e("R-40", "certificate", 0)}, inText: []string{"openssl x509 -in cert.pem -out plain.pem"}},
		{name: "truncated", text: chain[:len(chain)-30], finds: []want{e("R-40", "certificate", -1)}, inText: []string{"cut short", "no END line", "line "}},
		{name: "escaped newlines", text: strings.ReplaceAll(chain, "\n", `\n`), finds: []want{e("R-40", "certificate", -1)}, inText: []string{`replace(`}},
		{name: "not a certificate inside", text: pemOf("CERTIFICATE", []byte("not der")), finds: []want{e("R-40", "certificate", 0)}, inText: []string{"cannot be read"}},
		{name: "plain text", text: "my certificate", finds: []want{e("R-40", "certificate", -1)}, inText: []string{"no -----BEGIN line"}},
		{name: "binary noise", text: "\x00\x01\x02\xff", finds: []want{e("R-40", "certificate", -1)}, inText: []string{"binary data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			certs, fs := Parse(FieldCertificate, tt.text)
			if len(certs) != tt.certs || !sameFindings(fs, tt.finds...) {
				t.Fatalf("Parse: %d certificates, findings\n%s; want %d, %v", len(certs), render(fs), tt.certs, tt.finds)
			}
			text := ""
			for _, f := range fs {
				text += f.Summary + " " + f.Detail
				if !strings.Contains(f.Detail, f.Rule) {
					t.Errorf("detail does not cite %s: %s", f.Rule, f.Detail)
				}
				if strings.Contains(f.Summary+f.Detail, "MII") {
					t.Errorf("finding quotes PEM content: %s", f.Detail)
				}
			}
			for _, s := range tt.inText {
				if !strings.Contains(text, s) {
					t.Errorf("findings do not say %q:\n%s", s, render(fs))
				}
			}
		})
	}
}

func TestParseChainField(t *testing.T) {
	fx := fixtures(t)
	_, fs := Parse(FieldChain, "")
	if !sameFindings(fs, e("R-40", "certificate_chain", -1)) || !strings.Contains(fs[0].Summary, "certificate chain is empty") {
		t.Errorf("empty chain field:\n%s", render(fs))
	}
	_, fs = Parse(FieldChain, string(pkcs12DER(t)))
	if len(fs) != 1 || !strings.Contains(fs[0].Detail, "the certificate goes in certificate, the key in private_key") {
		t.Errorf("PKCS #12 in the chain field:\n%s", render(fs))
	}
	_, fs = Parse(FieldSignCertificate, fx.sm2.Sign.KeyPEM(t, certtest.SEC1))
	if len(fs) != 1 || !strings.Contains(fs[0].Detail, "sign_private_key") {
		t.Errorf("key in sign_certificate:\n%s", render(fs))
	}
}

func mustDER(t *testing.T, pemText string) []byte {
	t.Helper()
	sc := scanPEM(pemText)
	if len(sc.blocks) != 1 {
		t.Fatalf("not one PEM block")
	}
	return sc.blocks[0].Bytes
}

func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return b.String() + s + "\n"
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
