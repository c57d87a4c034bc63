package emulator

import (
	"fmt"
	"testing"
)

func TestIssuedNames(t *testing.T) {
	tests := []struct {
		brand string
		in    []string
		want  []string
	}{
		{"GeoTrust", []string{"*.aliyun.com"}, []string{"*.aliyun.com", "aliyun.com"}},
		{"GeoTrust", []string{"*.p1.aliyun.com"}, []string{"*.p1.aliyun.com"}},
		{"DigiCert", []string{"www.aliyun.com"}, []string{"www.aliyun.com", "aliyun.com"}},
		{"GlobalSign", []string{"*.a.com", "a.com"}, []string{"*.a.com", "a.com"}},                                  // listed once
		{"Entrust", []string{"domain.com", "example.com"}, []string{"domain.com", "example.com", "www.domain.com"}},
		{"Entrust", []string{"*.domain.com"}, []string{"*.domain.com"}},
		{"CFCA", []string{"*.a.com"}, []string{"*.a.com"}},
		{"GeoTrust", []string{"47.96.1.10"}, []string{"47.96.1.10"}},
	}
	for _, tt := range tests {
		if got := issuedNames(tt.brand, tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("issuedNames(%s, %q) = %q, want %q", tt.brand, tt.in, got, tt.want)
		}
	}
}
