package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

func withinDaysPtr(n int64) *int64 { return &n }

// now is 2026-05-01T04:00:00Z, that is 12:00 on 2026-05-01 in UTC+8.
var certificateFilterNow = time.Date(2026, 5, 1, 4, 0, 0, 0, time.UTC)

func TestCertificateFilterKeep(t *testing.T) {
	cert := cas.CertificateSummary{ID: 1, Name: "shop-2026", InstanceID: "cas-upload-abc123", CommonName: "shop.example.com",
		SANs: []string{"*.shop.example.com"}, Uploaded: true, StartDate: "2026-01-01", EndDate: "2026-05-31"}
	tests := []struct {
		name   string
		filter certificateFilter
		want   bool
	}{
		{"no filter", certificateFilter{}, true},
		{"source matches", certificateFilter{source: sourceUploaded}, true},
		{"source differs", certificateFilter{source: sourceShared}, false},
		{"name matches", certificateFilter{nameRegex: regexp.MustCompile(`^shop-`)}, true},
		{"name differs", certificateFilter{nameRegex: regexp.MustCompile(`^api-`)}, false},
		{"covers through the common name", certificateFilter{coversDomain: "Shop.Example.com."}, true},
		{"covers through a wildcard SAN", certificateFilter{coversDomain: "cart.shop.example.com"}, true},
		{"R-08: a wildcard covers one level", certificateFilter{coversDomain: "a.cart.shop.example.com"}, false},
		{"R-08: nor its base's parent", certificateFilter{coversDomain: "example.com"}, false},
		// 2026-05-31 ends at 2026-05-31T15:59:59Z: 30 days and 11h59m59s after now.
		{"ends within 31 days", certificateFilter{withinDays: withinDaysPtr(31)}, true},
		{"does not end within 30 days", certificateFilter{withinDays: withinDaysPtr(30)}, false},
		{"all filters at once", certificateFilter{source: sourceUploaded, nameRegex: regexp.MustCompile(`shop`),
			coversDomain: "www.shop.example.com", withinDays: withinDaysPtr(60)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filter.keep(cert, certificateFilterNow); got != tt.want {
				t.Errorf("keep = %v, want %v", got, tt.want)
			}
		})
	}
}

// An expired certificate is "expiring within" any number of days, 0 included; one whose end day
// cannot be read never is.
func TestCertificateFilterExpiredAndUnreadable(t *testing.T) {
	expired := cas.CertificateSummary{ID: 2, EndDate: "2026-04-30", Expired: true}
	if !(certificateFilter{withinDays: withinDaysPtr(0)}).keep(expired, certificateFilterNow) {
		t.Error("an expired certificate is not kept by expiring_within_days = 0")
	}
	unreadable := cas.CertificateSummary{ID: 3, EndDate: "soon"}
	if (certificateFilter{withinDays: withinDaysPtr(1000)}).keep(unreadable, certificateFilterNow) {
		t.Error("a certificate without a readable end day is kept by expiring_within_days")
	}
}

func TestCertificateStatus(t *testing.T) {
	tests := []struct {
		name string
		it   cas.CertificateSummary
		want string
	}{
		{"the service's status wins", cas.CertificateSummary{Status: "REVOKED", EndDate: "2027-01-01"}, "REVOKED"},
		{"expired flag", cas.CertificateSummary{Expired: true, EndDate: "2027-01-01"}, "EXPIRED"},
		{"end day passed", cas.CertificateSummary{EndDate: "2026-04-30"}, "EXPIRED"},
		{"ends today, later", cas.CertificateSummary{EndDate: "2026-05-01"}, "WILLEXPIRED"},
		{"30 days or less left", cas.CertificateSummary{EndDate: "2026-05-30"}, "WILLEXPIRED"},
		{"more than 30 days left", cas.CertificateSummary{EndDate: "2026-06-01"}, "ISSUED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := certificateStatus(tt.it, cas.EndOfDay(tt.it.EndDate), certificateFilterNow); got != tt.want {
				t.Errorf("status = %q, want %q", got, tt.want)
			}
		})
	}
}

// The result is sorted by id whatever order the two list passes (valid, then expired) gave.
func TestCertificateFilterApplySortsByID(t *testing.T) {
	items := []cas.CertificateSummary{{ID: 9}, {ID: 3}, {ID: 5, Expired: true}}
	got := certificateFilter{}.apply(items, certificateFilterNow)
	if len(got) != 3 || got[0].ID != 3 || got[1].ID != 5 || got[2].ID != 9 {
		t.Errorf("apply = %v, want ids 3, 5, 9", got)
	}
}
