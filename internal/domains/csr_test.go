package domains

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"strings"
	"sync"
	"testing"
)

var (
	rsaOnce sync.Once
	rsa2048 *rsa.PrivateKey
)

func testRSA(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsa2048 = k
	})
	return rsa2048
}

func csrPEM(t *testing.T, key crypto.Signer, cn string, sans ...string) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}, DNSNames: sans}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func TestCheckCSR(t *testing.T) {
	rsaKey := testRSA(t)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	good := csrPEM(t, rsaKey, "www.example.com", "www.example.com", "api.example.com")
	tampered := strings.Replace(good, good[100:104], "AAAA", 1)
	tests := []struct {
		name  string
		csr   string
		names []string
		algo  string
		finds []want
	}{
		{name: "RSA CN and SANs listed", csr: good, names: []string{"www.example.com", "api.example.com"}, algo: "RSA"},
		{name: "ECC P-256", csr: csrPEM(t, p256, "www.example.com"), names: []string{"www.example.com"}, algo: "ECC"},
		{name: "no names: the CSR's own", csr: good, algo: "RSA"},
		{name: "R-13 mixed list with a specific CN", csr: csrPEM(t, p256, "www.a.com", "www.a.com", "*.a.com"), names: []string{"www.a.com", "*.a.com"}, algo: "ECC"},
		{name: "R-13 not PEM", csr: "MIIB...", finds: []want{{"R-13", Error, -1}}},
		{name: "R-13 a certificate, not a CSR", csr: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", finds: []want{{"R-13", Error, -1}}},
		{name: "R-13 two CSRs", csr: good + good, finds: []want{{"R-13", Error, -1}}},
		{name: "R-13 altered (signature or encoding broken)", csr: tampered, finds: []want{{"R-13", Error, -1}}},
		{name: "R-17 RSA 1024", csr: csrPEM(t, rsa1024, "www.example.com"), names: []string{"www.example.com"}, algo: "RSA", finds: []want{{"R-17", Error, -1}}},
		{name: "R-17 curve P-224", csr: csrPEM(t, p224, "www.example.com"), names: []string{"www.example.com"}, algo: "ECC", finds: []want{{"R-17", Error, -1}}},
		{name: "R-17 Ed25519", csr: csrPEM(t, edKey, "www.example.com"), names: []string{"www.example.com"}, finds: []want{{"R-17", Error, -1}}},
		{name: "R-17 no Common Name", csr: csrPEM(t, p256, "", "www.example.com"), names: []string{"www.example.com"}, algo: "ECC", finds: []want{{"R-17", Error, -1}}},
		{name: "R-16 CN outside the names", csr: csrPEM(t, p256, "other.example.com"), names: []string{"www.example.com"}, algo: "ECC", finds: []want{{"R-16", Error, -1}}},
		{name: "R-13 wildcard CN in a mixed list", csr: csrPEM(t, p256, "*.a.com"), names: []string{"www.a.com", "*.a.com"}, algo: "ECC", finds: []want{{"R-13", Error, -1}}},
		{name: "R-13 SAN outside the names", csr: good, names: []string{"www.example.com"}, algo: "RSA", finds: []want{{"R-13", Error, -1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ns []Name
			if tt.names != nil {
				ns = names(t, tt.names...)
			}
			csr, fs := CheckCSR(tt.csr, ns)
			if fmt.Sprint(summarize(fs)) != fmt.Sprint(append([]want{}, tt.finds...)) {
				t.Fatalf("findings %v; want %v\n%v", summarize(fs), tt.finds, fs)
			}
			if tt.algo != "" && (csr == nil || csr.Algorithm != tt.algo) {
				t.Errorf("CSR %+v; want algorithm %s", csr, tt.algo)
			}
		})
	}
}
