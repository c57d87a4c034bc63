package certcheck

import (
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

// A full check of what a resource's plan sees most: a server certificate with two intermediates
// and an RSA 2048 key.
// go test ./internal/certcheck -run '^$' -bench . -benchmem
func BenchmarkCheckRSA2048TwoIntermediates(b *testing.B) {
	fx := fixtures(b)
	in := Input{
		Name:        "example.com-2026-rsa2048",
		Certificate: certtest.Bundle(fx.leaf, fx.inter2, fx.inter1),
		PrivateKey:  fx.leaf.KeyPEM(b, certtest.PKCS8),
		Now:         now,
	}
	for b.Loop() {
		facts, fs := Check(in)
		if facts == nil || len(fs) != 0 {
			b.Fatal(render(fs))
		}
	}
}

func BenchmarkSamePEM(b *testing.B) {
	fx := fixtures(b)
	a := certtest.Bundle(fx.leaf, fx.inter2, fx.inter1)
	c := crlf(rewrap(a, 76))
	for b.Loop() {
		if !SamePEM(a, c) {
			b.Fatal("different")
		}
	}
}
