package certcheck

import (
	"strings"
	"testing"

	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestCheckChain(t *testing.T) {
	fx := fixtures(t)
	leaf, i2, i1, root := fx.leaf, fx.inter2, fx.inter1, fx.root
	tests := []struct {
		name        string
		certificate []*certtest.Cert
		chain       []*certtest.Cert
		finds       []want
		inText      []string
	}{
		{name: "leaf alone", certificate: c(leaf)},
		{name: "self-signed leaf alone", certificate: c(fx.selfSigned)},
		{name: "leaf and intermediates", certificate: c(leaf, i2, i1)},
		{name: "root at the end is fine", certificate: c(leaf, i2, i1, root)},
		{name: "intermediates in the chain field", certificate: c(leaf), chain: c(i2, i1, root)},
		{name: "split across both fields", certificate: c(leaf, i2), chain: c(i1, root)},
		{name: "chain field alone (certificate unknown)", chain: c(i2, i1, root)},
		{name: "R-43 leaf, root, intermediate", certificate: c(leaf, i2, root, i1), finds: []want{e("R-43", "certificate", 3)},
			inText: []string{`Put the certificate whose subject is "certcheck Intermediate 1" right after "certcheck Intermediate 2"`,
				`1. "www.example.com", 2. "certcheck Intermediate 2", 3. "certcheck Intermediate 1", 4. "certcheck Test Root"`}},
		{name: "R-43 leaf, root, intermediate (three certificates)", certificate: c(fx.short, root, i1), finds: []want{e("R-43", "certificate", 2)},
			inText: []string{`Put the certificate whose subject is "certcheck Intermediate 1" right after "short.example.com", which it issued.`,
				`1. "short.example.com", 2. "certcheck Intermediate 1", 3. "certcheck Test Root"`}},
		{name: "R-43 intermediates swapped", certificate: c(leaf, i1, i2), finds: []want{e("R-43", "certificate", 2)},
			inText: []string{`"certcheck Intermediate 2" right after "www.example.com"`}},
		{name: "R-43 reverse order", certificate: c(root, i1, i2, leaf), finds: []want{e("R-43", "certificate", 3)},
			inText: []string{`Put the server certificate, whose subject is "www.example.com", first`}},
		{name: "R-43 wrong order across the fields", certificate: c(leaf, i1), chain: c(i2), finds: []want{e("R-43", "certificate_chain", 0)},
			inText: []string{"certificate followed by certificate_chain", `"certcheck Intermediate 2" right after "www.example.com"`}},
		{name: "R-43 chain field does not continue the certificate", certificate: c(leaf), chain: c(i1, root), finds: []want{e("R-43", "certificate_chain", 0)},
			inText: []string{"first certificate of certificate_chain did not issue", `its issuer is "certcheck Intermediate 2"`, "missing"}},
		{name: "R-43 missing intermediate", certificate: c(leaf, i1, root), finds: []want{e("R-43", "certificate", 1)},
			inText: []string{`Certificate 1 of certificate ("www.example.com") was not issued by certificate 2`}},
		{name: "R-43 unrelated root", certificate: c(leaf, i2, i1, fx.otherRoot), finds: []want{e("R-43", "certificate", 3)},
			inText: []string{`"Another Root" did not issue`}},
		{name: "R-43 another leaf", certificate: c(leaf, fx.other, i2), finds: []want{e("R-43", "certificate", 1)}},
		{name: "R-43 intermediate in both fields", certificate: c(leaf, i2), chain: c(i2, i1), finds: []want{e("R-43", "certificate_chain", 0)},
			inText: []string{"given twice", "Certificate 1 of certificate_chain is the same as certificate 2 of certificate"}},
		{name: "R-43 chain field alone, out of order", chain: c(root, i1, i2), finds: []want{e("R-43", "certificate_chain", 2)},
			inText: []string{`Put the certificate whose subject is "certcheck Intermediate 2" first`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := CheckChain(smx(tt.certificate), smx(tt.chain))
			if !sameFindings(fs, tt.finds...) {
				t.Fatalf("findings\n%s; want %v", render(fs), tt.finds)
			}
			for _, s := range tt.inText {
				if !strings.Contains(fs[len(fs)-1].Summary+" "+fs[len(fs)-1].Detail, s) {
					t.Errorf("finding does not say %q:\n%s", s, render(fs))
				}
			}
		})
	}
}

// A certificate whose issuer name matches but whose signature is not the issuer's is not a link.
func TestCheckChainSignature(t *testing.T) {
	fx := fixtures(t)
	// Same subject name as intermediate 2, another key: the names link, the signature does not.
	impostor := fx.inter1.Intermediate(t, certtest.Spec{CommonName: "certcheck Intermediate 2", NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0), Key: certtest.CachedKey(t, certtest.RSA2048, 20)})
	fs := CheckChain(smx(c(fx.leaf, impostor, fx.inter1)), nil)
	if !sameFindings(fs, e("R-43", "certificate", 1)) || !strings.Contains(fs[0].Detail, "signature does not verify") {
		t.Fatalf("findings\n%s", render(fs))
	}
}

func c(cs ...*certtest.Cert) []*certtest.Cert { return cs }

func smx(cs []*certtest.Cert) []*smx509.Certificate {
	out := make([]*smx509.Certificate, len(cs))
	for i, x := range cs {
		out[i] = x.Cert
	}
	return out
}
