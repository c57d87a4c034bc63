package provider

import (
	"testing"
	"time"
)

func TestCertificateSource(t *testing.T) {
	tests := []struct {
		name       string
		uploaded   bool
		instanceID string
		want       string
	}{
		{"purchased: not in the uploaded list", false, "cas-cn-4591d3xa1234", sourcePurchased},
		{"purchased whatever its instance", false, "cas-upload-abc123", sourcePurchased},
		{"uploaded: an upload's instance", true, "cas-upload-50yf1q", sourceUploaded},
		{"shared: uploaded list, an order's instance", true, "cas-cn-4591d3xa1234", sourceShared},
		{"shared: uploaded list, no instance", true, "", sourceShared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := certificateSource(tt.uploaded, tt.instanceID); got != tt.want {
				t.Errorf("certificateSource(%v, %q) = %q, want %q", tt.uploaded, tt.instanceID, got, tt.want)
			}
		})
	}
}

// The service's days are days of UTC+8: 2026-05-01 begins at 2026-04-30T16:00:00Z.
func TestServiceDayStart(t *testing.T) {
	tests := []struct{ date, want string }{
		{"2026-05-01", "2026-04-30T16:00:00Z"},
		{" 2026-01-01 ", "2025-12-31T16:00:00Z"},
		{"", ""},
		{"01/05/2026", ""},
	}
	for _, tt := range tests {
		got := serviceDayStart(tt.date)
		text := ""
		if !got.IsZero() {
			text = got.Format(time.RFC3339)
		}
		if text != tt.want {
			t.Errorf("serviceDayStart(%q) = %q, want %q", tt.date, text, tt.want)
		}
	}
}

// A name the rules engine cannot read is left out; the certificate's other names still match.
func TestCoverageMatcherSkipsInvalidNames(t *testing.T) {
	m := coverageMatcher([]string{"*.*.bad.example", "*.example.com", ""}, []string{"WWW.example.com"})
	for host, want := range map[string]bool{"shop.example.com": true, "www.example.com": true, "example.com": false, "a.b.example.com": false} {
		if got, err := m.Covers(host); err != nil || got != want {
			t.Errorf("Covers(%q) = %v, %v; want %v", host, got, err, want)
		}
	}
}

func TestSetOfStringsDeduplicates(t *testing.T) {
	if n := len(setOfStrings([]string{"a.example.com", "b.example.com", "a.example.com"}).Elements()); n != 2 {
		t.Errorf("set has %d elements, want 2", n)
	}
	if s := setOfStrings(nil); s.IsNull() || len(s.Elements()) != 0 {
		t.Errorf("setOfStrings(nil) = %v, want an empty set", s)
	}
}
