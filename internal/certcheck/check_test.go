package certcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestCheck(t *testing.T) {
	fx := fixtures(t)
	key := fx.leaf.KeyPEM(t, certtest.PKCS8)
	full := certtest.Bundle(fx.leaf, fx.inter2, fx.inter1)
	tests := []struct {
		name  string
		in    Input
		cn    string // the facts' common name, "" for no facts
		finds []want
	}{
		{name: "nothing given", in: Input{Now: now}},
		{name: "certificate, chain and key", in: Input{Name: "example.com-2026-rsa2048", Certificate: fx.leaf.PEM(), Chain: certtest.Bundle(fx.inter2, fx.inter1, fx.root), PrivateKey: key, Now: now}, cn: "www.example.com"},
		{name: "CRLF everywhere", in: Input{Certificate: crlf(full), PrivateKey: crlf(key), Now: now}, cn: "www.example.com"},
		{name: "key unknown: key checks skipped", in: Input{Certificate: full, Unknown: []string{FieldPrivateKey}, Now: now}, cn: "www.example.com"},
		{name: "certificate unknown: the key is still read", in: Input{PrivateKey: fx.leaf.KeyPEM(t, certtest.LegacyEncrypted), Unknown: []string{FieldCertificate}, Now: now},
			finds: []want{e("R-42", "private_key", 0)}},
		{name: "ECC P-384, SEC 1 key", in: Input{Certificate: certtest.Bundle(fx.leafP384, fx.inter2), PrivateKey: fx.leafP384.KeyPEM(t, certtest.SEC1), Now: now}, cn: "p384.example.com"},
		{name: "RSA 4096, PKCS #1 key", in: Input{Certificate: fx.leaf4096.PEM(), PrivateKey: fx.leaf4096.KeyPEM(t, certtest.PKCS1), Now: now}, cn: "big.example.com"},
		{name: "R-41 key of another certificate", in: Input{Certificate: full, PrivateKey: fx.other.KeyPEM(t, certtest.PKCS1), Now: now}, cn: "www.example.com",
			finds: []want{e("R-41", "private_key", -1)}},
		{name: "R-41 Ed25519 certificate and key", in: Input{Certificate: fx.leafEd25519.PEM(), PrivateKey: fx.leafEd25519.KeyPEM(t, certtest.PKCS8), Now: now}, cn: "ed.example.com",
			finds: []want{e("R-41", "certificate", 0), e("R-41", "private_key", 0)}},
		{name: "R-40 PFX in certificate, key missing", in: Input{Certificate: b64(pkcs12DER(t)), Now: now},
			finds: []want{e("R-40", "certificate", -1)}},
		{name: "R-43 leaf, root, intermediate", in: Input{Certificate: certtest.Bundle(fx.short, fx.root, fx.inter1), PrivateKey: fx.short.KeyPEM(t, certtest.PKCS1), Now: now}, cn: "short.example.com",
			finds: []want{e("R-43", "certificate", 2)}},
		{name: "R-43 leaf, then root and intermediate in the chain field", in: Input{Certificate: fx.short.PEM(), Chain: certtest.Bundle(fx.root, fx.inter1), PrivateKey: fx.short.KeyPEM(t, certtest.PKCS1), Now: now}, cn: "short.example.com",
			finds: []want{e("R-43", "certificate_chain", 1)}},
		{name: "R-43 intermediate missing", in: Input{Certificate: certtest.Bundle(fx.leaf, fx.root, fx.inter1), PrivateKey: key, Now: now}, cn: "www.example.com",
			finds: []want{e("R-43", "certificate", 1)}},
		{name: "R-43 server certificate not first: its checks wait", in: Input{Certificate: certtest.Bundle(fx.inter2, fx.leaf), PrivateKey: key, Now: now},
			finds: []want{e("R-43", "certificate", 1)}},
		{name: "R-43 chain unreadable: certificate still checked", in: Input{Certificate: fx.leaf.PEM(), Chain: "junk", PrivateKey: fx.other.KeyPEM(t, certtest.PKCS8), Now: now}, cn: "www.example.com",
			finds: []want{e("R-40", "certificate_chain", -1), e("R-41", "private_key", -1)}},
		{name: "R-60 expired, with R-48 expired intermediate", in: Input{Certificate: fx.expired.PEM(), Chain: certtest.Bundle(fx.inter2, fx.inter1), Now: now.AddDate(6, 0, 0)}, cn: "expired.example.com",
			finds: []want{e("R-60", "certificate", 0), w("R-43", "certificate_chain", 0), w("R-43", "certificate_chain", 1)}},
		{name: "R-48 expiring and R-61 name", in: Input{Name: "证书", Certificate: fx.expiring.PEM(), Now: now}, cn: "expiring.example.com",
			finds: []want{w("R-61", "name", -1), w("R-48", "certificate", 0)}},
		{name: "R-44 SM2 certificate in certificate", in: Input{Certificate: fx.sm2.Sign.PEM(), PrivateKey: fx.sm2.Sign.KeyPEM(t, certtest.SEC1), Now: now}, cn: "sm2.example.com",
			finds: []want{w("R-44", "certificate", 0)}},
		{name: "findings sorted by field", in: Input{Name: strings.Repeat("x", 70), EncryptCertificate: "x", PrivateKey: "y", Certificate: "z", Now: now},
			finds: []want{e("R-45", "name", -1), e("R-40", "certificate", -1), e("R-40", "private_key", -1), e("R-44", "encrypt_certificate", -1), e("R-40", "encrypt_certificate", -1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts, fs := Check(tt.in)
			if !sameFindings(fs, tt.finds...) {
				t.Fatalf("findings\n%s; want %v", render(fs), tt.finds)
			}
			cn := ""
			if facts != nil {
				cn = facts.CommonName
			}
			if cn != tt.cn {
				t.Errorf("facts %+v; want common name %q", facts, tt.cn)
			}
			for _, f := range fs {
				if !strings.Contains(f.Detail, f.Rule) || f.Summary == "" {
					t.Errorf("finding without summary or rule in its detail: %+v", f)
				}
			}
		})
	}
}

// Check never reads the clock: the same input gives the same findings whatever the time.
func TestCheckUsesNow(t *testing.T) {
	fx := fixtures(t)
	in := Input{Certificate: fx.leaf.PEM()}
	for _, at := range []time.Time{t0.AddDate(0, 0, 5), t0.AddDate(0, 0, 70), t0.AddDate(0, 0, 100)} {
		in.Now = at
		_, a := Check(in)
		_, b := Check(in)
		if render(a) != render(b) {
			t.Fatalf("not deterministic at %v", at)
		}
	}
	in.Now = t0.AddDate(0, 0, 100)
	if _, fs := Check(in); !sameFindings(fs, e("R-60", "certificate", 0)) {
		t.Errorf("at t0+100d: %s", render(fs))
	}
}
