package certcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

func TestCheckDates(t *testing.T) {
	fx := fixtures(t)
	tests := []struct {
		name   string
		cert   *certtest.Cert
		now    time.Time
		finds  []want
		inText string
	}{
		{name: "valid", cert: fx.leaf, now: now},
		{name: "R-60 expired", cert: fx.expired, now: now, finds: []want{e("R-60", "certificate", 0)}, inText: "expired on 2026-03-10 23:00:00 UTC"},
		{name: "R-48 expires in 10 days", cert: fx.expiring, now: now, finds: []want{w("R-48", "certificate", 0)}, inText: "expires in 10 days"},
		{name: "R-48 expires in 29 days", cert: fx.leaf, now: fx.leaf.Cert.NotAfter.AddDate(0, 0, -29), finds: []want{w("R-48", "certificate", 0)}, inText: "in 29 days"},
		{name: "30 days left is fine", cert: fx.leaf, now: fx.leaf.Cert.NotAfter.AddDate(0, 0, -30)},
		{name: "valid through its last second", cert: fx.leaf, now: fx.leaf.Cert.NotAfter, finds: []want{w("R-48", "certificate", 0)}, inText: "in 0 days"},
		{name: "R-60 not valid yet", cert: fx.future, now: now, finds: []want{w("R-60", "certificate", 0)}, inText: "starts on 2026-03-13"},
		{name: "R-14 valid 398 days", cert: fx.long, now: now, finds: []want{w("R-14", "certificate", 0)}, inText: "398 days"},
		{name: "zero now: only the length", cert: fx.expired},
		{name: "zero now: R-14 still", cert: fx.long, finds: []want{w("R-14", "certificate", 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := CheckDates(FieldCertificate, tt.cert.Cert, tt.now)
			if !sameFindings(fs, tt.finds...) {
				t.Fatalf("findings\n%s; want %v", render(fs), tt.finds)
			}
			if tt.inText != "" && !strings.Contains(fs[0].Summary+fs[0].Detail, tt.inText) {
				t.Errorf("finding does not say %q:\n%s", tt.inText, render(fs))
			}
		})
	}
}

func TestCheckIssuerDates(t *testing.T) {
	fx := fixtures(t)
	fs := checkIssuerDates(place(FieldChain, smx(c(fx.inter2, fx.expiredInter))), now)
	if !sameFindings(fs, w("R-43", "certificate_chain", 1)) || !strings.Contains(fs[0].Summary, `"Expired Intermediate" expired`) {
		t.Fatalf("findings\n%s", render(fs))
	}
	if fs := checkIssuerDates(place(FieldChain, smx(c(fx.expiredInter))), time.Time{}); len(fs) != 0 {
		t.Errorf("zero now: %s", render(fs))
	}
}
