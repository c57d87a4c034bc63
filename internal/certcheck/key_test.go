package certcheck

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestParsePrivateKey(t *testing.T) {
	fx := fixtures(t)
	rsaKey, ecKey, smKey := fx.leaf.Key, fx.leafP256.Key, fx.sm2.Sign.Key
	csrDER, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "x"}}, rsaKey)
	pubDER, _ := x509.MarshalPKIXPublicKey(rsaKey.Public())
	ecParams, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7})
	pkcs1 := certtest.KeyPEM(t, rsaKey, certtest.PKCS1)
	encPKCS8 := certtest.KeyPEM(t, rsaKey, certtest.EncryptedPKCS8)
	tests := []struct {
		name   string
		text   string
		key    string // Go type of the key, "" for none
		finds  []want
		inText []string
	}{
		{name: "PKCS #1 RSA", text: pkcs1, key: "*rsa.PrivateKey"},
		{name: "PKCS #8 RSA", text: certtest.KeyPEM(t, rsaKey, certtest.PKCS8), key: "*rsa.PrivateKey"},
		{name: "PKCS #8 RSA 4096", text: certtest.KeyPEM(t, fx.leaf4096.Key, certtest.PKCS8), key: "*rsa.PrivateKey"},
		{name: "SEC 1 P-256", text: certtest.KeyPEM(t, ecKey, certtest.SEC1), key: "*ecdsa.PrivateKey"},
		{name: "PKCS #8 P-384", text: certtest.KeyPEM(t, fx.leafP384.Key, certtest.PKCS8), key: "*ecdsa.PrivateKey"},
		{name: "EC PARAMETERS before the key", text: pemOf("EC PARAMETERS", ecParams) + certtest.KeyPEM(t, ecKey, certtest.SEC1), key: "*ecdsa.PrivateKey"},
		{name: "SEC 1 SM2", text: certtest.KeyPEM(t, smKey, certtest.SEC1), key: "*sm2.PrivateKey"},
		{name: "PKCS #8 SM2, id-ecPublicKey", text: certtest.KeyPEM(t, smKey, certtest.PKCS8), key: "*sm2.PrivateKey"},
		{name: "PKCS #8 SM2, SM2 algorithm identifier", text: pkcs8WithSM2OID(t, smKey), key: "*sm2.PrivateKey"},
		{name: "CRLF, 76 columns", text: crlf(rewrap(pkcs1, 76)), key: "*rsa.PrivateKey"},
		{name: "R-42 legacy encrypted RSA", text: certtest.KeyPEM(t, rsaKey, certtest.LegacyEncrypted), finds: []want{e("R-42", "private_key", 0)}, inText: []string{"openssl rsa -in enc.key -out dec.key"}},
		{name: "R-42 legacy encrypted EC", text: certtest.KeyPEM(t, ecKey, certtest.LegacyEncrypted), finds: []want{e("R-42", "private_key", 0)}, inText: []string{"openssl ec -in enc.key -out dec.key"}},
		{name: "R-42 ENCRYPTED PRIVATE KEY", text: encPKCS8, finds: []want{e("R-42", "private_key", 0)}, inText: []string{"openssl pkey -in enc.key -out dec.key"}},
		{name: "R-42 encrypted PKCS #8 labelled PRIVATE KEY", text: strings.ReplaceAll(encPKCS8, "ENCRYPTED PRIVATE KEY", "PRIVATE KEY"), finds: []want{e("R-42", "private_key", 0)}, inText: []string{"openssl pkey"}},
		{name: "R-42 encrypted PKCS #8 in DER", text: string(mustDER(t, encPKCS8)), finds: []want{e("R-42", "private_key", -1)}, inText: []string{"openssl pkey -inform der"}},
		{name: "R-41 Ed25519 refused", text: certtest.KeyPEM(t, fx.leafEd25519.Key, certtest.PKCS8), finds: []want{e("R-41", "private_key", 0)}, inText: []string{"Ed25519", "RSA, ECC and SM2"}},
		{name: "R-41 DSA refused", text: pemOf("DSA PRIVATE KEY", []byte{0x30, 0x00}), finds: []want{e("R-41", "private_key", 0)}},
		{name: "R-41 two keys", text: pkcs1 + certtest.KeyPEM(t, ecKey, certtest.SEC1), finds: []want{e("R-41", "private_key", 1)}},
		{name: "R-41 public key", text: pemOf("PUBLIC KEY", pubDER), finds: []want{e("R-41", "private_key", 0)}, inText: []string{"private key that matches"}},
		{name: "certificate in the key field", text: fx.leaf.PEM(), finds: []want{e("R-40", "private_key", 0)}, inText: []string{"Move the certificate to certificate"}},
		{name: "CSR in the key field", text: pemOf("CERTIFICATE REQUEST", csrDER), finds: []want{e("R-40", "private_key", 0)}},
		{name: "OpenSSH key", text: pemOf("OPENSSH PRIVATE KEY", []byte("openssh-key-v1")), finds: []want{e("R-40", "private_key", 0)}, inText: []string{"ssh-keygen -p -m PKCS8"}},
		{name: "DER key", text: string(mustDER(t, pkcs1)), finds: []want{e("R-40", "private_key", -1)}, inText: []string{"openssl pkey -inform der -in key.der -out key.pem"}},
		{name: "base64 key without PEM lines", text: wrap76(b64(mustDER(t, pkcs1))), finds: []want{e("R-40", "private_key", -1)}, inText: []string{"-----BEGIN RSA PRIVATE KEY-----"}},
		{name: "PKCS #12", text: b64(pkcs12DER(t)), finds: []want{e("R-40", "private_key", -1)}, inText: []string{"-nocerts -nodes"}},
		{name: "wrong label", text: strings.ReplaceAll(pkcs1, "RSA PRIVATE KEY", "EC PRIVATE KEY"), finds: []want{e("R-40", "private_key", 0)}, inText: []string{"its EC PRIVATE KEY block is not valid"}},
		{name: "only EC PARAMETERS", text: pemOf("EC PARAMETERS", ecParams), finds: []want{e("R-40", "private_key", -1)}},
		{name: "truncated", text: pkcs1[:len(pkcs1)-20], finds: []want{e("R-40", "private_key", -1)}},
		{name: "empty", text: "\n", finds: []want{e("R-40", "private_key", -1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, fs := ParsePrivateKey(FieldPrivateKey, tt.text)
			if got := typeName(key); got != tt.key || !sameFindings(fs, tt.finds...) {
				t.Fatalf("ParsePrivateKey: %s, findings\n%s; want %q, %v", got, render(fs), tt.key, tt.finds)
			}
			text := ""
			for _, f := range fs {
				text += f.Summary + " " + f.Detail
				if !strings.Contains(f.Detail, f.Rule) {
					t.Errorf("detail does not cite %s: %s", f.Rule, f.Detail)
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

func TestKeyMatches(t *testing.T) {
	fx := fixtures(t)
	tests := []struct {
		name   string
		cert   *certtest.Cert
		key    crypto.Signer
		match  bool
		inText string
	}{
		{"RSA 2048", fx.leaf, fx.leaf.Key, true, ""},
		{"RSA 4096", fx.leaf4096, fx.leaf4096.Key, true, ""},
		{"P-256", fx.leafP256, fx.leafP256.Key, true, ""},
		{"P-384", fx.leafP384, fx.leafP384.Key, true, ""},
		{"SM2", fx.sm2.Sign, fx.sm2.Sign.Key, true, ""},
		{"RSA, another key of the same size", fx.leaf, fx.other.Key, false, "Both are RSA 2048-bit keys"},
		{"RSA 2048 certificate, RSA 4096 key", fx.leaf, fx.leaf4096.Key, false, "an RSA 2048-bit key, but private_key is an RSA 4096-bit key"},
		{"RSA certificate, ECC key", fx.leaf, fx.leafP256.Key, false, "but private_key is an ECC P-256 key"},
		{"P-256 certificate, P-384 key", fx.leafP256, fx.leafP384.Key, false, "an ECC P-256 key, but private_key is an ECC P-384 key"},
		{"SM2 certificate, another SM2 key", fx.sm2.Sign, fx.sm2.Encrypt.Key, false, "Both are SM2 256-bit keys"},
		{"ECC certificate, SM2 key", fx.leafP256, fx.sm2.Sign.Key, false, "SM2 256-bit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Through the PEM, as Check reads it.
			key, fs := ParsePrivateKey(FieldPrivateKey, certtest.KeyPEM(t, tt.key, certtest.PKCS8))
			if len(fs) > 0 {
				t.Fatal(render(fs))
			}
			f := matchFinding(FieldCertificate, FieldPrivateKey, tt.cert.Cert, key)
			if (f == nil) != tt.match {
				t.Fatalf("match = %v; want %v (%v)", f == nil, tt.match, f)
			}
			if f != nil && (f.Rule != "R-41" || f.Summary != "The certificate and private key do not match." || !strings.Contains(f.Detail, tt.inText)) {
				t.Errorf("finding %s | %s; want it to say %q", f.Summary, f.Detail, tt.inText)
			}
		})
	}
}

func typeName(k any) string {
	switch k.(type) {
	case nil:
		return ""
	case *rsa.PrivateKey:
		return "*rsa.PrivateKey"
	case *ecdsa.PrivateKey:
		return "*ecdsa.PrivateKey"
	case *sm2.PrivateKey:
		return "*sm2.PrivateKey"
	}
	return "other"
}

// pkcs8WithSM2OID encodes an SM2 key in PKCS #8 with the SM2 algorithm identifier
// (1.2.156.10197.1.301) instead of id-ecPublicKey, as some Chinese toolkits write it.
func pkcs8WithSM2OID(t *testing.T, key crypto.Signer) string {
	t.Helper()
	sec1, err := smx509.MarshalSM2PrivateKey(key.(*sm2.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}{0, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}}, sec1})
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}
