package domains

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Brands whose certificates carry names the order did not list. The brand is the
// first part of a product code ("geotrust" in "geotrust-dv-w-starter").
var (
	// addsBaseDomain: "*.d" also contains d, and "www.d" also contains d, when d is a registrable
	// domain (R-10: the Symantec/GeoTrust line; DigiCert and GlobalSign issue the same way).
	addsBaseDomain = map[string]bool{"digicert": true, "geotrust": true, "symantec": true, "globalsign": true}
	// addsWWW: the first name, when it is a registrable domain, also gets "www."; a
	// wildcard never contains its base.
	addsWWW = map[string]bool{"entrust": true}
)

// Effective returns the names an issued certificate of brand will contain: the listed names first,
// in their order, then those the CA adds, without duplicates. Names must be normalised.
func Effective(brand string, names []Name) []string {
	out := make([]string, 0, len(names)+1)
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, n := range names {
		add(n.Text)
	}
	for i := range names {
		if extra, ok := Added(brand, names, i); ok {
			add(extra)
		}
	}
	return out
}

// Added returns the name the CA of brand adds because names[i] is listed, if any.
func Added(brand string, names []Name, i int) (string, bool) {
	n := names[i]
	brand = strings.ToLower(brand)
	switch {
	case addsWWW[brand]:
		// One automatic www. per certificate, for the first name only.
		if i == 0 && n.Kind == Specific && isRegistrable(n.Text) {
			return "www." + n.Text, true
		}
	case addsBaseDomain[brand]:
		if n.Kind == Wildcard && isRegistrable(n.Base()) {
			return n.Base(), true
		}
		if rest, ok := strings.CutPrefix(n.Text, "www."); ok && n.Kind == Specific && isRegistrable(rest) {
			return rest, true
		}
	}
	return "", false
}

// isRegistrable: the name is a registrable domain itself (eTLD+1), not a subdomain of one.
func isRegistrable(name string) bool {
	etld1, err := publicsuffix.EffectiveTLDPlusOne(name)
	return err == nil && etld1 == name
}

// BrandOf returns the brand of a product code ("geotrust" for "geotrust-dv-w-starter").
func BrandOf(productCode string) string {
	brand, _, _ := strings.Cut(strings.ToLower(productCode), "-")
	return brand
}
