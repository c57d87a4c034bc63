package emulator

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// What the CA writes into a certificate beyond the names applied for (service rules R-09 to
// the DigiCert family (DigiCert, and the GeoTrust and GlobalSign products sold here, like
// the 2020 Symantec/GeoTrust line of R-10) adds the registrable domain d to "*.d" and to "www.d";
// Entrust adds "www." to the first name when it is a registrable domain, never a wildcard's
// base; CFCA adds nothing. The applied-for names come first, then the added ones, once each.
func issuedNames(brand string, applied []string) []string {
	out := append([]string(nil), applied...)
	seen := map[string]bool{}
	for _, d := range applied {
		seen[d] = true
	}
	add := func(d string) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	switch strings.ToLower(brand) {
	case "digicert", "geotrust", "globalsign":
		for _, d := range applied {
			base, isWild := strings.CutPrefix(d, "*.")
			if !isWild {
				base, isWild = strings.CutPrefix(d, "www.")
			}
			if isWild && registrable(base) {
				add(base)
			}
		}
	case "entrust":
		if first := applied[0]; !strings.HasPrefix(first, "*.") && registrable(first) {
			add("www." + first)
		}
	}
	return out
}

// registrable: d is a registrable domain itself (eTLD+1), not a subdomain of one.
func registrable(d string) bool {
	e, err := publicsuffix.EffectiveTLDPlusOne(d)
	return err == nil && e == d
}
