package domains

import (
	"fmt"
	"testing"
)

func names(t *testing.T, in ...string) []Name {
	t.Helper()
	out := make([]Name, len(in))
	for i, s := range in {
		n, fs := CheckName(s, i)
		if fs.HasErrors() {
			t.Fatalf("test name %q: %v", s, fs)
		}
		out[i] = n
	}
	return out
}

func TestEffective(t *testing.T) {
	tests := []struct {
		name  string
		brand string
		in    []string
		want  []string
	}{
		{"R-11 Entrust adds www. to a registrable first name (seed 000 §2.12)", "entrust", []string{"domain.com"}, []string{"domain.com", "www.domain.com"}},
		{"R-11 Entrust: only the first name, once (seed 000 §2.12)", "entrust", []string{"domain.com", "example.com"}, []string{"domain.com", "example.com", "www.domain.com"}},
		{"R-11 Entrust: not for a subdomain", "entrust", []string{"shop.domain.com"}, []string{"shop.domain.com"}},
		{"R-09 Entrust wildcard never contains its base", "entrust", []string{"*.domain.com"}, []string{"*.domain.com"}},
		{"R-10 GeoTrust wildcard of registrable adds the base (seed 004 §1.4)", "geotrust", []string{"*.aliyun.com"}, []string{"*.aliyun.com", "aliyun.com"}},
		{"R-10 GeoTrust wildcard of a subdomain adds nothing (seed 004 §1.4)", "geotrust", []string{"*.p1.aliyun.com"}, []string{"*.p1.aliyun.com"}},
		{"R-10 www. of registrable adds the base", "symantec", []string{"www.aliyun.com"}, []string{"www.aliyun.com", "aliyun.com"}},
		{"R-10 DigiCert same line", "digicert", []string{"*.example.co.jp"}, []string{"*.example.co.jp", "example.co.jp"}},
		{"R-10 GlobalSign same line", "GlobalSign", []string{"www.example.org"}, []string{"www.example.org", "example.org"}},
		{"R-10 no duplicate when listed", "geotrust", []string{"*.a.com", "a.com"}, []string{"*.a.com", "a.com"}},
		{"R-10 other brands add nothing", "cfca", []string{"*.a.com", "www.b.com"}, []string{"*.a.com", "www.b.com"}},
		{"R-10 IP adds nothing", "geotrust", []string{"47.96.1.10"}, []string{"47.96.1.10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Effective(tt.brand, names(t, tt.in...))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Effective(%s, %q) = %q; want %q", tt.brand, tt.in, got, tt.want)
			}
		})
	}
}

func TestBrandOf(t *testing.T) {
	if got := BrandOf("GeoTrust-dv-w-starter"); got != "geotrust" {
		t.Errorf("BrandOf = %q", got)
	}
}
