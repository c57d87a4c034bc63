package certcheck

import (
	"fmt"
	"time"

	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// RenewBeforeDays: renew an uploaded certificate at least this many days before it expires.
const RenewBeforeDays = 30

// CheckDates applies the validity rules to the server certificate of field at now: expired is an
// error (R-60: it cannot be deployed); expiring within RenewBeforeDays and not yet valid are
// warnings; valid for more than 397 days is the domains package's warning (R-14,
// A zero now checks the length of the validity only.
func CheckDates(field string, leaf *smx509.Certificate, now time.Time) domains.Findings {
	var fs domains.Findings
	notBefore, notAfter := leaf.NotBefore.UTC(), leaf.NotAfter.UTC()
	if !now.IsZero() {
		switch left := notAfter.Sub(now); {
		case left < 0:
			fs = append(fs, errorf("R-60", field, 0, fmt.Sprintf("The certificate expired on %s.", when(notAfter)),
				"An expired certificate cannot be deployed to cloud products (R-60), and clients refuse it. Get the renewed certificate from the CA and upload that one; renew at least %d days before expiry next time (R-48).", RenewBeforeDays))
		case left < RenewBeforeDays*24*time.Hour:
			fs = append(fs, warnf("R-48", field, 0, fmt.Sprintf("The certificate expires in %d days, on %s.", int(left.Hours()/24), when(notAfter)),
				"Renew an uploaded certificate at least %d days before it expires (R-48); once expired it cannot be deployed (R-60). Renewing is a new certificate (R-49): upload the renewed one soon.", RenewBeforeDays))
		}
		if now.Before(notBefore) {
			fs = append(fs, warnf("R-60", field, 0, fmt.Sprintf("The certificate is not valid yet: it starts on %s.", when(notBefore)),
				"Clients refuse a certificate before its start date, so deploying it now would break HTTPS (R-60: deploy valid certificates only). Wait until %s to deploy it, or check the clock of the machine that issued it.", when(notBefore)))
		}
	}
	if f := domains.CheckValidity(notBefore, notAfter); f != nil {
		g := located(f, field)
		g.Index = 0
		fs = append(fs, g)
	}
	return fs
}

// checkIssuerDates: an expired intermediate or root breaks the chain for clients that follow it
// a warning, since clients that know a newer path still work.
func checkIssuerDates(certs []placed, now time.Time) domains.Findings {
	if now.IsZero() {
		return nil
	}
	var fs domains.Findings
	for _, p := range certs {
		if now.After(p.cert.NotAfter) {
			fs = append(fs, warnf("R-43", p.field, p.index, fmt.Sprintf("The chain certificate %s expired on %s.", subject(p.cert), when(p.cert.NotAfter.UTC())),
				"The chain is sent to clients as uploaded (R-43); clients that build the path through an expired intermediate or root refuse it. Get the current intermediate certificates from the CA and replace this one."))
		}
	}
	return fs
}

func when(t time.Time) string {
	return t.UTC().Format(time.DateTime) + " UTC"
}
