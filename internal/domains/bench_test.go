package domains

import (
	"fmt"
	"testing"
)

// go test ./internal/domains -run '^$' -bench . -benchmem
func BenchmarkCheckDomains5(b *testing.B) {
	list := []string{"www.example.com", "api.example.com", "shop.example.co.jp", "47.96.1.10.example.net", "mail.example.org"}
	spec := Spec{Shape: ShapeSingle, Validation: "DV", Brand: "geotrust", API: true}
	for b.Loop() {
		if _, fs := CheckDomains(list, spec); fs.HasErrors() {
			b.Fatal(fs)
		}
	}
}

func BenchmarkCovers10000Hosts(b *testing.B) {
	cert := []string{"*.example.com", "www.example.org", "*.shop.example.net"}
	hosts := make([]string, 10000)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("h%d.%s", i, []string{"example.com", "example.org", "shop.example.net", "a.example.com"}[i%4])
	}
	for b.Loop() {
		m, err := NewMatcher(cert)
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range hosts {
			if _, err := m.Covers(h); err != nil {
				b.Fatal(err)
			}
		}
	}
}
