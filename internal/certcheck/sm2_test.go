package certcheck

import (
	"crypto"
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestCheckSM2(t *testing.T) {
	fx := fixtures(t)
	d, d2 := fx.sm2, fx.sm2b
	k := func(key crypto.Signer) string { return certtest.KeyPEM(t, key, certtest.SEC1) }
	good := Input{SignCertificate: d.Sign.PEM(), SignPrivateKey: k(d.Sign.Key), EncryptCertificate: d.Encrypt.PEM(), EncryptPrivateKey: k(d.Encrypt.Key), Now: now}
	with := func(f func(*Input)) Input { in := good; f(&in); return in }
	tests := []struct {
		name   string
		in     Input
		facts  bool
		finds  []want
		inText string
	}{
		{name: "dual pairs", in: good, facts: true},
		{name: "PKCS #8 keys", in: with(func(in *Input) {
			in.SignPrivateKey = certtest.KeyPEM(t, d.Sign.Key, certtest.PKCS8)
			in.EncryptPrivateKey = pkcs8WithSM2OID(t, d.Encrypt.Key)
		}), facts: true},
		{name: "CA after each certificate", in: with(func(in *Input) {
			in.SignCertificate += d.CA.PEM()
			in.EncryptCertificate += d.CA.PEM()
		}), facts: true},
		{name: "R-44 only the signing pair", in: with(func(in *Input) { in.EncryptCertificate, in.EncryptPrivateKey = "", "" }), facts: true,
			finds: []want{e("R-44", "encrypt_certificate", -1), e("R-44", "encrypt_private_key", -1)}, inText: "two pairs"},
		{name: "R-44 only the encryption pair", in: with(func(in *Input) { in.SignCertificate, in.SignPrivateKey = "", "" }),
			finds: []want{e("R-44", "sign_certificate", -1), e("R-44", "sign_private_key", -1)}},
		{name: "unknown fields count as given", in: with(func(in *Input) {
			in.EncryptCertificate, in.EncryptPrivateKey = "", ""
			in.Unknown = []string{FieldEncryptCertificate, FieldEncryptPrivateKey}
		}), facts: true},
		{name: "R-44 keys swapped", in: with(func(in *Input) { in.SignPrivateKey, in.EncryptPrivateKey = in.EncryptPrivateKey, in.SignPrivateKey }), facts: true,
			finds: []want{e("R-44", "sign_private_key", -1)}, inText: "Exchange sign_private_key and encrypt_private_key"},
		{name: "R-44 certificates swapped", in: with(func(in *Input) { in.SignCertificate, in.EncryptCertificate = in.EncryptCertificate, in.SignCertificate }), facts: true,
			finds: []want{e("R-44", "sign_certificate", 0)}, inText: "Exchange sign_certificate and encrypt_certificate"},
		{name: "R-44 pairs swapped", in: Input{SignCertificate: good.EncryptCertificate, SignPrivateKey: good.EncryptPrivateKey, EncryptCertificate: good.SignCertificate, EncryptPrivateKey: good.SignPrivateKey, Now: now}, facts: true,
			finds: []want{e("R-44", "sign_certificate", 0)}, inText: "Exchange the pairs"},
		{name: "R-44 signing key of the encryption certificate", in: with(func(in *Input) { in.SignPrivateKey = in.EncryptPrivateKey }), facts: true,
			finds: []want{e("R-44", "sign_private_key", -1)}, inText: "belongs to the certificate in encrypt_certificate"},
		{name: "R-44 key of another dual pair", in: with(func(in *Input) { in.EncryptPrivateKey = k(d2.Encrypt.Key) }), facts: true,
			finds: []want{e("R-44", "encrypt_private_key", -1)}, inText: "Both are SM2 256-bit keys"},
		{name: "R-44 the same certificate twice", in: with(func(in *Input) { in.EncryptCertificate, in.EncryptPrivateKey = in.SignCertificate, in.SignPrivateKey }), facts: true,
			finds: []want{e("R-44", "encrypt_certificate", 0)}},
		{name: "R-44 RSA certificate and key as the signing pair", in: with(func(in *Input) {
			in.SignCertificate, in.SignPrivateKey = fx.leaf.PEM(), fx.leaf.KeyPEM(t, certtest.PKCS1)
		}), finds: []want{e("R-44", "sign_certificate", 0), e("R-44", "sign_private_key", -1)}, inText: "not an SM2 certificate"},
		{name: "R-44 with certificate and private key", in: with(func(in *Input) {
			in.Certificate, in.PrivateKey = fx.leaf.PEM(), fx.leaf.KeyPEM(t, certtest.PKCS8)
		}), facts: true, finds: []want{e("R-44", "sign_certificate", -1)}, inText: "ignores the SM2 fields"},
		{name: "R-42 encrypted SM2 key", in: with(func(in *Input) { in.SignPrivateKey = certtest.KeyPEM(t, d.Sign.Key, certtest.EncryptedPKCS8) }), facts: true,
			finds: []want{e("R-42", "sign_private_key", 0)}},
		{name: "R-40 PKCS #12 as the encryption certificate", in: with(func(in *Input) { in.EncryptCertificate = b64(pkcs12DER(t)) }), facts: true,
			finds: []want{e("R-40", "encrypt_certificate", -1)}},
		{name: "R-43 CA before the signing certificate", in: with(func(in *Input) { in.SignCertificate = d.CA.PEM() + in.SignCertificate }),
			finds: []want{e("R-43", "sign_certificate", 1)}, inText: `Put the server certificate, whose subject is "sm2.example.com", first`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts, fs := Check(tt.in)
			if !sameFindings(fs, tt.finds...) {
				t.Fatalf("findings\n%s; want %v", render(fs), tt.finds)
			}
			if tt.facts != (facts != nil && facts.KeyAlgorithm == "SM2") && tt.in.Certificate == "" {
				t.Errorf("facts %+v; want SM2 facts: %v", facts, tt.facts)
			}
			if tt.inText != "" && !strings.Contains(render(fs), tt.inText) {
				t.Errorf("findings do not say %q:\n%s", tt.inText, render(fs))
			}
		})
	}
}
