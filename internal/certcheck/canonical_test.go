package certcheck

import (
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestSamePEM(t *testing.T) {
	fx := fixtures(t)
	chain := fx.leaf.PEM() + fx.inter2.PEM()
	key := fx.leaf.KeyPEM(t, certtest.PKCS8)
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"identical", chain, chain, true},
		{"CRLF against LF", chain, crlf(chain), true},
		{"without the final newline", chain, strings.TrimSuffix(chain, "\n"), true},
		{"extra trailing newlines", chain, chain + "\n\n\n", true},
		{"leading and trailing white space", chain, "\n  \t" + chain + "  \n", true},
		{"indented lines", chain, indent(chain, "  "), true},
		{"base64 in 76 columns", chain, rewrap(chain, 76), true},
		{"base64 in one line, CRLF", chain, crlf(rewrap(chain, 0)), true},
		{"blank lines between blocks", chain, fx.leaf.PEM() + "\n\n" + fx.inter2.PEM(), true},
		{"Bag Attributes around", chain, "Bag Attributes\n  localKeyID: 01\n" + chain, true},
		{"key, rewrapped", key, crlf(rewrap(key, 76)), true},
		{"another certificate", fx.leaf.PEM(), fx.other.PEM(), false},
		{"chain against leaf", chain, fx.leaf.PEM(), false},
		{"other order", chain, fx.inter2.PEM() + fx.leaf.PEM(), false},
		{"both empty", "", "", true},
		{"empty against white space", "", " \n", true},
		{"not PEM, same text", "abc", "abc\r\n", true},
		{"not PEM, other text", "abc", "abd", false},
		{"truncated against complete", strings.TrimSuffix(strings.TrimSpace(chain), "-----END CERTIFICATE-----"), chain, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SamePEM(tt.a, tt.b); got != tt.same {
				t.Errorf("SamePEM = %v; want %v\nA: %q\nB: %q", got, tt.same, CanonicalPEM(tt.a), CanonicalPEM(tt.b))
			}
			if got := SamePEM(tt.b, tt.a); got != tt.same {
				t.Errorf("SamePEM is not symmetric")
			}
		})
	}
}

func TestCanonicalPEM(t *testing.T) {
	fx := fixtures(t)
	chain := fx.leaf.PEM() + fx.inter2.PEM()
	legacy := fx.leaf.KeyPEM(t, certtest.LegacyEncrypted)
	tests := []struct {
		name, in, want string
	}{
		{"encoding/pem output is canonical", chain, chain},
		{"CRLF, 76 columns, indented", indent(crlf(rewrap(chain, 76)), "\t"), chain},
		{"headers of a legacy encrypted key kept", crlf(legacy), legacy},
		{"outside text dropped", "subject=CN = x\r\n" + chain + "trailer", chain},
		{"empty", " \r\n", ""},
		{"not PEM kept, trimmed, LF", "  MIIB\r\nAAAA  \r\n", "MIIB\nAAAA\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CanonicalPEM(tt.in)
			if got != tt.want {
				t.Errorf("CanonicalPEM =\n%q\nwant\n%q", got, tt.want)
			}
			if again := CanonicalPEM(got); again != got {
				t.Errorf("not idempotent: %q", again)
			}
		})
	}
	for _, line := range strings.Split(CanonicalPEM(rewrap(chain, 0)), "\n") {
		if len(line) > 64 {
			t.Fatalf("line longer than 64 columns: %q", line)
		}
	}
}
