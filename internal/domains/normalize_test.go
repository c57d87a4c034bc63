package domains

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
		rule           string // finding's rule when the name is refused
		detailHas      string
	}{
		{name: "lower case", in: "WWW.Example.COM", want: "www.example.com"},
		{name: "trailing dot removed", in: "www.example.com.", want: "www.example.com"},
		{name: "wildcard kept", in: "*.Example.com", want: "*.example.com"},
		{name: "IPv4", in: "47.96.1.10", want: "47.96.1.10"},
		{name: "IPv6 canonical text", in: "2001:DB8::1", want: "2001:db8::1"},
		{name: "valid A-label", in: "xn--eckwd4c7c.com", want: "xn--eckwd4c7c.com"},
		{name: "63-octet label", in: strings.Repeat("a", 63) + ".com", want: strings.Repeat("a", 63) + ".com"},
		{name: "R-02 empty", in: "", rule: "R-02"},
		{name: "R-02 space", in: "www .example.com", rule: "R-02", detailHas: `"www.example.com"`},
		{name: "R-02 two dots", in: "www..example.com", rule: "R-02"},
		{name: "R-02 two trailing dots", in: "example.com..", rule: "R-02"},
		{name: "R-02 64-octet label", in: strings.Repeat("a", 64) + ".com", rule: "R-02"},
		{name: "R-02 name over 253", in: strings.Repeat("abcdefghi.", 26) + "com", rule: "R-02"},
		{name: "R-02 leading hyphen", in: "-www.example.com", rule: "R-02"},
		{name: "R-02 trailing hyphen", in: "www-.example.com", rule: "R-02"},
		{name: "R-02 underscore", in: "my_host.example.com", rule: "R-02"},
		{name: "R-02 numeric TLD", in: "1.2.3", rule: "R-02"},
		{name: "R-03 wildcard on an IP address", in: "*.47.96.1.10", rule: "R-03"},
		{name: "R-04 two wildcard labels (seed 004 §1.5)", in: "*.*.a.com", rule: "R-04", detailHas: `"*.a.com"`},
		{name: "R-04 partial wildcard", in: "a*.b.com", rule: "R-04"},
		{name: "R-04 wildcard not leftmost", in: "www.*.example.com", rule: "R-04"},
		{name: "R-12 Japanese IDN (seed 000 §2.10)", in: "ドメイン.com", rule: "R-12", detailHas: "xn--eckwd4c7c.com"},
		{name: "R-12 Chinese IDN wildcard", in: "*.中国.com", rule: "R-12", detailHas: "*.xn--"},
		{name: "R-02 A-label ending with a hyphen", in: "xn--zz-.com", rule: "R-02"},
		{name: "R-12 broken punycode", in: "xn--a.com", rule: "R-12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, f := Normalize(tt.in)
			if tt.rule == "" {
				if f != nil || got != tt.want {
					t.Fatalf("Normalize(%q) = %q, %v; want %q", tt.in, got, f, tt.want)
				}
				return
			}
			if f == nil {
				t.Fatalf("Normalize(%q) = %q; want a %s finding", tt.in, got, tt.rule)
			}
			if f.Rule != tt.rule || f.Severity != Error || !strings.Contains(f.Detail, tt.detailHas) {
				t.Errorf("finding %+v; want %s error with %q", *f, tt.rule, tt.detailHas)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		name, in string
		kind     Kind
		rule     string
		severity Severity
	}{
		{name: "registrable domain", in: "example.com", kind: Specific},
		{name: "subdomain", in: "a.b.example.co.jp", kind: Specific},
		{name: "wildcard", in: "*.aliyun.com", kind: Wildcard},
		{name: "wildcard under ccSLD", in: "*.example.co.jp", kind: Wildcard},
		{name: "public IPv4 (R-02)", in: "47.96.1.10", kind: IPAddress},
		{name: "R-03 wildcard on TLD", in: "*.com", rule: "R-03"},
		{name: "R-03 wildcard on ccSLD", in: "*.co.jp", rule: "R-03"},
		{name: "R-03 wildcard on private suffix warns", in: "*.github.io", rule: "R-03", severity: Warning},
		{name: "R-02 public suffix itself", in: "co.uk", rule: "R-02"},
		{name: "R-02 not a public TLD", in: "intranet.corp", rule: "R-02"},
		{name: "R-02 single label", in: "localhost", rule: "R-02"},
		{name: "R-02 IPv6", in: "2001:db8::1", rule: "R-02"},
		{name: "R-02 private", in: "10.1.2.3", rule: "R-02"},
		{name: "R-02 private 192.168", in: "192.168.0.1", rule: "R-02"},
		{name: "R-02 loopback", in: "127.0.0.1", rule: "R-02"},
		{name: "R-02 link-local", in: "169.254.1.1", rule: "R-02"},
		{name: "R-02 shared CGNAT", in: "100.64.0.1", rule: "R-02"},
		{name: "R-02 documentation", in: "203.0.113.5", rule: "R-02"},
		{name: "R-02 reserved", in: "250.1.1.1", rule: "R-02"},
		{name: "R-02 broadcast", in: "255.255.255.255", rule: "R-02"},
		{name: "R-02 multicast", in: "224.0.0.1", rule: "R-02"},
		{name: "R-02 unspecified", in: "0.0.0.0", rule: "R-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, fs := CheckName(tt.in, 3)
			if tt.rule == "" {
				if len(fs) != 0 || n.Kind != tt.kind {
					t.Fatalf("CheckName(%q) = %+v, %v", tt.in, n, fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != tt.rule || fs[0].Severity != tt.severity || fs[0].Index != 3 || fs[0].Value != tt.in {
				t.Fatalf("CheckName(%q) findings %+v; want one %s (severity %d) at index 3", tt.in, fs, tt.rule, tt.severity)
			}
		})
	}
}
