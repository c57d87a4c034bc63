package certtest

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/pkcs8"
	"github.com/emmansun/gmsm/smx509"
)

func TestChain(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root := NewRoot(t, Spec{CommonName: "Root", KeyType: P256})
	inter := root.Intermediate(t, Spec{CommonName: "Intermediate", KeyType: P384})
	leaf := inter.Leaf(t, Spec{CommonName: "www.example.com", DNSNames: []string{"www.example.com"}, NotBefore: start, KeyType: RSA2048})
	if err := leaf.Cert.CheckSignatureFrom(inter.Cert); err != nil {
		t.Errorf("leaf not signed by the intermediate: %v", err)
	}
	if err := inter.Cert.CheckSignatureFrom(root.Cert); err != nil {
		t.Errorf("intermediate not signed by the root: %v", err)
	}
	if !root.Cert.IsCA || !inter.Cert.IsCA || leaf.Cert.IsCA {
		t.Errorf("CA flags: root %v, intermediate %v, leaf %v", root.Cert.IsCA, inter.Cert.IsCA, leaf.Cert.IsCA)
	}
	if !leaf.Cert.NotAfter.Equal(start.AddDate(0, 0, 90)) {
		t.Errorf("default validity: %v", leaf.Cert.NotAfter)
	}
	if got := strings.Count(Bundle(leaf, inter, root), "-----BEGIN CERTIFICATE-----"); got != 3 {
		t.Errorf("Bundle: %d blocks", got)
	}
	self := SelfSigned(t, Spec{CommonName: "self", KeyType: P256})
	if err := self.Cert.CheckSignatureFrom(self.Cert); err == nil {
		t.Error("a self-signed server certificate is not a CA, it cannot verify as its own issuer")
	}
}

func TestKeyPEM(t *testing.T) {
	for _, kt := range []KeyType{RSA2048, P256, P384, SM2, Ed25519} {
		key := CachedKey(t, kt, 0)
		same := func(a, b crypto.Signer) bool { return KeyPEM(t, a, PKCS8) == KeyPEM(t, b, PKCS8) }
		if !same(CachedKey(t, kt, 0), key) || same(CachedKey(t, kt, 1), key) {
			t.Fatalf("%s: cache slots", kt)
		}
		for _, f := range []KeyFormat{PKCS1, PKCS8, SEC1, LegacyEncrypted, EncryptedPKCS8} {
			rsaOnly, ecOnly := f == PKCS1, f == SEC1
			if (rsaOnly && kt != RSA2048) || (ecOnly && (kt == RSA2048 || kt == Ed25519)) || (f == LegacyEncrypted && kt == Ed25519) {
				continue
			}
			t.Run(string(kt)+"/"+string(f), func(t *testing.T) {
				block, _ := pem.Decode([]byte(KeyPEM(t, key, f)))
				if block == nil {
					t.Fatal("no PEM")
				}
				der := block.Bytes
				var err error
				switch f {
				case LegacyEncrypted:
					//lint:ignore SA1019 testing the legacy format
					der, err = smx509.DecryptPEMBlock(block, []byte(Password))
					if err == nil {
						_, err = parseTraditional(block.Type, der)
					}
				case EncryptedPKCS8:
					_, _, err = pkcs8.ParsePrivateKey(der, []byte(Password))
				case PKCS8:
					_, err = smx509.ParsePKCS8PrivateKey(der)
				default:
					_, err = parseTraditional(block.Type, der)
				}
				if err != nil {
					t.Fatalf("%s block does not read back: %v", block.Type, err)
				}
			})
		}
	}
}

func parseTraditional(typ string, der []byte) (any, error) {
	if typ == "RSA PRIVATE KEY" {
		return smx509.ParsePKCS1PrivateKey(der)
	}
	return smx509.ParseTypedECPrivateKey(der)
}

func TestSM2Dual(t *testing.T) {
	d := NewSM2Dual(t, Spec{CommonName: "sm2.example.com"})
	for _, c := range []*Cert{d.Sign, d.Encrypt} {
		if err := c.Cert.CheckSignatureFrom(d.CA.Cert); err != nil {
			t.Errorf("%s not signed by the SM2 CA: %v", c.Cert.Subject.CommonName, err)
		}
		if c.Cert.SignatureAlgorithm != smx509.SM2WithSM3 {
			t.Errorf("signature algorithm %v", c.Cert.SignatureAlgorithm)
		}
	}
	if d.Sign.Cert.KeyUsage != x509.KeyUsageDigitalSignature || d.Encrypt.Cert.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
		t.Errorf("key usages: sign %v, encrypt %v", d.Sign.Cert.KeyUsage, d.Encrypt.Cert.KeyUsage)
	}
	if d.Sign.Key == d.Encrypt.Key {
		t.Error("the two pairs share a key")
	}
}
