package domains

import "testing"

// Normalisation never panics, is idempotent, and a valid name covers itself. The seed
// corpus is in testdata/fuzz/FuzzNormalize; run longer with
// go test ./internal/domains -run '^$' -fuzz FuzzNormalize -fuzztime 60s.
func FuzzNormalize(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		got, finding := Normalize(name)
		if finding != nil {
			if finding.Rule == "" || finding.Detail == "" {
				t.Fatalf("Normalize(%q): finding without rule or detail: %+v", name, finding)
			}
			return
		}
		again, finding := Normalize(got)
		if finding != nil || again != got {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q, %v", name, got, again, finding)
		}
		if ok, err := Covers([]string{got}, got); err != nil || !ok {
			t.Fatalf("%q does not cover itself: %v, %v", got, ok, err)
		}
		_, _ = CheckName(got, 0)
	})
}

// Coverage never panics, is case- and trailing-dot-insensitive, and agrees with the one-label rule.
func FuzzCovers(f *testing.F) {
	f.Fuzz(func(t *testing.T, cert, host string) {
		got, err := Covers([]string{cert}, host)
		if err != nil {
			return
		}
		n, _ := Normalize(cert)
		h, _ := Normalize(host)
		upper, err := Covers([]string{n + "."}, h)
		if err == nil && upper != got {
			t.Fatalf("Covers(%q, %q) = %v but with a trailing dot %v", cert, host, got, upper)
		}
		if got && nameOf(n).Kind == Wildcard && len(h) <= len(n)-1 {
			t.Fatalf("wildcard %q covers the shorter %q", n, h)
		}
	})
}
