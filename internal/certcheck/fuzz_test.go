package certcheck

import (
	"strings"
	"testing"
)

// CanonicalPEM and the parsers never panic; CanonicalPEM is idempotent and SamePEM agrees with it
// and ignores line ends. Run longer with
// go test ./internal/certcheck -run '^$' -fuzz FuzzCanonicalPEM -fuzztime 60s.
func FuzzCanonicalPEM(f *testing.F) {
	fx := fixtures(f)
	for _, s := range []string{"", "abc", fx.leaf.PEM(), fx.leaf.PEM() + fx.inter2.PEM(), fx.leaf.PEM()[:200],
		"-----BEGIN X-----\n-----END X-----\n", "-----BEGIN A-----\nAAAA\n-----END B-----", "\\n-----BEGIN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CanonicalPEM(s)
		if again := CanonicalPEM(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, c, again)
		}
		if !SamePEM(s, c) || (!strings.Contains(s, "\r") && !SamePEM(s, strings.ReplaceAll(s, "\n", "\r\n"))) {
			t.Fatalf("SamePEM disagrees for %q", s)
		}
		_, fs := Parse(FieldCertificate, s)
		_, ks := ParsePrivateKey(FieldPrivateKey, s)
		for _, f := range append(fs, ks...) {
			if f.Rule == "" || f.Summary == "" || !strings.Contains(f.Detail, f.Rule) {
				t.Fatalf("finding without rule, summary or cited rule: %+v", f)
			}
		}
	})
}
