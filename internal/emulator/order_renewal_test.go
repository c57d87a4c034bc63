package emulator

import (
	"testing"
	"time"
)

// a renewed certificate is valid for 365 days plus the old certificate's remaining days,
// at most 30 of them; R-26: renewal is allowed only within the last 30 days.
func TestRenewalValidity(t *testing.T) {
	for _, tt := range []struct {
		name     string
		daysLeft int // of the old certificate when the renewal is issued
		bonus    int // days the renewal inherits
	}{
		{"20 days left are inherited", 20, 20},
		{"30 days left, the most a renewal can have, are inherited", 30, 30},
		{"nothing left, nothing inherited", 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newState()
			oldID, oldCert := issuedOrder(t, s, testEpoch, "geotrust-dv-1-starter", "renew.example.com")
			old := s.Certificates[idString(oldCert)]
			renewAt := old.NotAfter.Add(-time.Duration(tt.daysLeft) * 24 * time.Hour)
			if tt.daysLeft == 0 {
				renewAt = old.NotAfter.Add(-time.Hour) // still WILLEXPIRED, an hour left
			}
			out := mustCall(t, s, renewAt, "RenewCertificateOrderForPackageRequest", map[string]string{"OrderId": idString(oldID)})
			o, ok := orderByID(s, out.int64(t, "OrderId"))
			if !ok {
				t.Fatal("renewal order not recorded")
			}
			if err := issueOrder(s, o, renewAt); err != nil {
				t.Fatal(err)
			}
			got := s.Certificates[idString(o.CertID)].NotAfter.Sub(renewAt.UTC().Truncate(time.Second))
			want := time.Duration(365*24)*time.Hour + time.Duration(tt.bonus)*24*time.Hour
			if tt.daysLeft == 0 {
				want = time.Duration(365*24)*time.Hour + time.Hour
			}
			if got != want {
				t.Errorf("renewed validity %v, want %v", got, want)
			}
		})
	}
}

// a certificate with more than 30 days left cannot be renewed yet, so no renewal can
// inherit more than 30 days.
func TestRenewalRefusedOutsideWindow(t *testing.T) {
	s := newState()
	oldID, oldCert := issuedOrder(t, s, testEpoch, "geotrust-dv-1-starter", "early.example.com")
	at := s.Certificates[idString(oldCert)].NotAfter.Add(-45 * 24 * time.Hour)
	_, apiErr := bizCall(t, s, at, "RenewCertificateOrderForPackageRequest", map[string]string{"OrderId": idString(oldID)})
	wantAPIError(t, apiErr, 403, "OrderStateError", "30 days")
}
