package certcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestFactsOf(t *testing.T) {
	fx := fixtures(t)
	orgOnly := certtest.NewRoot(t, certtest.Spec{Organization: "Example Trust", NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0), KeyType: certtest.P256})
	noCNLeaf := orgOnly.Leaf(t, certtest.Spec{DNSNames: []string{"b.example.com", "A.example.com"}, NotBefore: t0, NotAfter: t0.AddDate(0, 0, 90), KeyType: certtest.P256})
	tests := []struct {
		name          string
		cert          *certtest.Cert
		cn, issuer    string
		sans          []string
		algo          string
		size          int
		serialPattern string
	}{
		{name: "RSA 2048 with IPs and mixed-case names", cert: fx.leaf, cn: "www.example.com", issuer: "certcheck Intermediate 2",
			sans: []string{"2001:db8::1", "203.0.113.7", "api.example.com", "www.example.com"}, algo: "RSA", size: 2048, serialPattern: "06ea4879591ddf84e6c8b6ba43607ccf"},
		{name: "RSA 4096", cert: fx.leaf4096, cn: "big.example.com", issuer: "certcheck Intermediate 2", sans: []string{"big.example.com"}, algo: "RSA", size: 4096},
		{name: "ECC P-256", cert: fx.leafP256, cn: "p256.example.com", issuer: "certcheck Intermediate 2", sans: []string{"p256.example.com"}, algo: "ECC", size: 256},
		{name: "ECC P-384", cert: fx.leafP384, cn: "p384.example.com", issuer: "certcheck Intermediate 2", sans: []string{"p384.example.com"}, algo: "ECC", size: 384},
		{name: "SM2", cert: fx.sm2.Sign, cn: "sm2.example.com", issuer: "certtest SM2 Root", sans: []string{"sm2.example.com"}, algo: "SM2", size: 256},
		{name: "Ed25519: not a service algorithm", cert: fx.leafEd25519, cn: "ed.example.com", issuer: "certcheck Intermediate 2", sans: []string{"ed.example.com"}, algo: "", size: 0},
		{name: "issuer without CN, leaf without CN", cert: noCNLeaf, cn: "", issuer: "O=Example Trust", sans: []string{"a.example.com", "b.example.com"}, algo: "ECC", size: 256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FactsOf(tt.cert.Cert)
			sum := sha256.Sum256(tt.cert.DER())
			serial := tt.serialPattern
			if serial == "" {
				serial = hex.EncodeToString(tt.cert.Cert.SerialNumber.Bytes())
			}
			want := &Facts{CommonName: tt.cn, SANs: tt.sans, Issuer: tt.issuer, SerialNumber: serial,
				FingerprintSHA256: hex.EncodeToString(sum[:]), KeyAlgorithm: tt.algo, KeySize: tt.size,
				NotBefore: tt.cert.Cert.NotBefore.UTC(), NotAfter: tt.cert.Cert.NotAfter.UTC()}
			if !reflect.DeepEqual(f, want) {
				t.Errorf("FactsOf =\n%+v\nwant\n%+v", f, want)
			}
			if len(f.SerialNumber)%2 != 0 || strings.ToLower(f.SerialNumber) != f.SerialNumber || strings.Contains(f.SerialNumber, ":") {
				t.Errorf("serial %q: want even-length lower-case hex without colons", f.SerialNumber)
			}
		})
	}
}

// The same certificate gives the same facts whatever its line ends, white space and base64 line
// width.
func TestFactsStable(t *testing.T) {
	fx := fixtures(t)
	text := certtest.Bundle(fx.leaf, fx.inter2)
	want, err := ReadFacts(text)
	if err != nil {
		t.Fatal(err)
	}
	for i, variant := range []string{crlf(text), rewrap(text, 76), rewrap(text, 0), indent(crlf(rewrap(text, 76)), "  "), "\n\n" + text + "\n\n", "Bag Attributes\n" + text} {
		got, err := ReadFacts(variant)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("variant %d: %+v, %v; want %+v", i, got, err, want)
		}
		facts, _ := Check(Input{Certificate: variant, Now: now})
		if !reflect.DeepEqual(facts, want) {
			t.Errorf("variant %d through Check: %+v", i, facts)
		}
	}
	if FormatTime(want.NotAfter) != "2026-05-30T00:00:00Z" || FormatTime(want.NotBefore) != "2026-03-01T00:00:00Z" {
		t.Errorf("dates %s %s", FormatTime(want.NotBefore), FormatTime(want.NotAfter))
	}
}

func TestReadFacts(t *testing.T) {
	fx := fixtures(t)
	// An expired certificate still reads: Read applies no rule.
	if f, err := ReadFacts(fx.expired.PEM()); err != nil || f.CommonName != "expired.example.com" {
		t.Errorf("expired: %+v, %v", f, err)
	}
	_, err := ReadFacts(string(pkcs12DER(t)))
	if err == nil || !strings.Contains(err.Error(), "R-40") || !strings.Contains(err.Error(), "PKCS #12") {
		t.Errorf("PKCS #12: %v", err)
	}
	if _, err := ReadFacts(""); err == nil {
		t.Error("empty: no error")
	}
}
