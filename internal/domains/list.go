package domains

import (
	"fmt"
	"strings"
)

// Product shapes, as the product catalogue names them.
const (
	ShapeSingle   = "single"   // specific names (one, or up to five: multi-domain) or one public IPv4
	ShapeWildcard = "wildcard" // wildcard names
)

// MaxNames is the most names one certificate application can list.
const MaxNames = 5

// Spec is what the names are checked against. Empty fields are not checked.
type Spec struct {
	Shape      string // ShapeSingle, ShapeWildcard or "" when unknown
	Validation string // "DV", "OV", "EV" or ""
	Brand      string // "geotrust", "entrust", ... (see BrandOf)
	// API: the application goes through the API, which never mixes wildcard and specific names
	//
	API bool
}

// CheckDomains normalises a certificate's names and checks them as one application: each name
// (CheckName), the number, duplicates, IP addresses alone, the shape of the product
// mixing, the Common Name the first name becomes, and warns of
// paid names that another name already covers or that the CA adds anyway.
func CheckDomains(given []string, spec Spec) ([]Name, Findings) {
	var fs Findings
	names := make([]Name, 0, len(given))
	valid := true
	for i, g := range given {
		n, nfs := CheckName(g, i)
		fs = append(fs, nfs...)
		valid = valid && !nfs.HasErrors()
		names = append(names, n)
	}
	switch {
	case len(given) == 0:
		return nil, append(fs, errorf("R-02", -1, "", "No domain name is given.", "A certificate names at least one domain (R-02)."))
	case len(given) > MaxNames:
		fs = append(fs, errorf("R-05", -1, "", "Too many names.",
			"One certificate application names at most %d domains (R-05, R-15); this list has %d. Split it into several certificates.", MaxNames, len(given)))
	}
	if !valid {
		return names, fs
	}
	fs = append(fs, checkDuplicates(names, given)...)
	fs = append(fs, checkShape(names, given, spec)...)
	if first := names[0]; len(first.Text) > maxCommonNameOctets {
		fs = append(fs, errorf("R-13", 0, given[0], "The first name is too long to be the Common Name.",
			"The first name becomes the certificate's Common Name (R-13), which has at most %d characters; this one has %d. Put a shorter name first.", maxCommonNameOctets, len(first.Text)))
	}
	fs = append(fs, checkWasted(names, given, spec.Brand)...)
	return names, fs
}

func checkDuplicates(names []Name, given []string) Findings {
	var fs Findings
	first := map[string]int{}
	for i, n := range names {
		if j, dup := first[n.Text]; dup {
			fs = append(fs, errorf("R-07", i, given[i], "The name is listed twice.",
				"%q is the same name as %q at position %d once normalised (lower case, no trailing dot); each name is one domain of the certificate (R-07). Remove one.", given[i], given[j], j+1))
			continue
		}
		first[n.Text] = i
	}
	return fs
}

// checkShape: IPs stand alone; wildcard products take wildcards and single-name products
// take specific names; mixing is for OV professional orders in the console only, with
// a specific name first, and never through the API.
func checkShape(names []Name, given []string, spec Spec) Findings {
	var fs Findings
	count := map[Kind]int{}
	for _, n := range names {
		count[n.Kind]++
	}
	for i, n := range names {
		switch {
		case n.Kind == IPAddress && len(names) > 1:
			fs = append(fs, errorf("R-02", i, given[i], "An IP address must be the certificate's only name.",
				"Public IPv4 addresses are issued on single-domain certificates only (R-02); order a separate certificate for %s.", n.Text))
		case n.Kind == IPAddress && spec.Shape == ShapeWildcard:
			fs = append(fs, errorf("R-02", i, given[i], "An IP address cannot be on a wildcard certificate.",
				"Public IPv4 addresses are issued on single-domain certificates only (R-02); choose a single-domain product (\"-1-\" in the product code)."))
		case n.Kind == Wildcard && spec.Shape == ShapeSingle:
			fs = append(fs, errorf("R-03", i, given[i], "A wildcard name needs a wildcard product.",
				"The product is a single-domain specification, which cannot contain %q (R-02, R-03). Choose a wildcard product (\"-w-\" in the product code), or list the exact host names instead.", n.Text))
		case n.Kind == Specific && spec.Shape == ShapeWildcard:
			fs = append(fs, errorf("R-03", i, given[i], "A wildcard product needs wildcard names.",
				"The product is a wildcard specification: each name must be of the form \"*.<domain>\" (R-03); %q is a specific name. %s", n.Text, wildcardAdvice(n)))
		}
	}
	if count[Wildcard] == 0 || count[Specific] == 0 {
		return fs
	}
	if spec.API {
		return append(fs, errorf("R-15", -1, "", "Wildcard and specific names are mixed.",
			"An application through the API lists either only specific names or only wildcard names (R-15); mixed certificates exist only as OV professional orders in the console (R-06). Split the list into two certificates."))
	}
	if spec.Validation != "" && spec.Validation != "OV" {
		fs = append(fs, errorf("R-06", -1, "", "Wildcard and specific names are mixed.",
			"Mixed certificates exist only for the OV professional product (R-06); this is %s. Split the list into two certificates.", spec.Validation))
	}
	if names[0].Kind != Specific {
		fs = append(fs, errorf("R-06", 0, given[0], "A mixed certificate must list a specific name first.",
			"The first name becomes the Common Name and must be a specific name when wildcards and specific names are mixed (R-06, R-13). Move a specific name to the front."))
	}
	return fs
}

// checkWasted warns of names that cost a paid slot but add nothing: covered by a wildcard of the
// same list, or added by the CA anyway.
func checkWasted(names []Name, given []string, brand string) Findings {
	var fs Findings
	for i, n := range names {
		for j, other := range names {
			if i == j || other.Kind != Wildcard || !other.Covers(n) {
				continue
			}
			fs = append(fs, warnf("R-08", i, given[i], "The name is already covered by a wildcard in the list.",
				"%q covers %q (R-08): listing it again uses a paid domain slot for nothing. Remove it unless the product counts it free.", other.Text, n.Text))
			break
		}
		for j := range names {
			if extra, ok := Added(brand, names, j); ok && j != i && extra == n.Text {
				fs = append(fs, warnf(addedRule(brand), i, given[i], "The CA adds this name anyway.",
					"%s certificates for %q also contain %q (%s): listing it uses a paid domain slot for nothing. Remove it.", brand, names[j].Text, n.Text, addedRule(brand)))
				break
			}
		}
	}
	return fs
}

func addedRule(brand string) string {
	if addsWWW[strings.ToLower(brand)] {
		return "R-11"
	}
	return "R-10"
}

func wildcardAdvice(n Name) string {
	w := Name{Text: wildcardFor(n.Text), Kind: Wildcard}
	if w.Covers(n) {
		return fmt.Sprintf("Use %q, which covers it (R-08), or a single-domain product.", w.Text)
	}
	return fmt.Sprintf("A wildcard never covers its base domain (R-08): order %q on a single-domain product.", n.Text)
}

// wildcardFor is the wildcard that covers a specific name: "*.example.com" for
// "www.example.com". A registrable domain has no covering wildcard: the suggestion is then
// the wildcard of its subdomains.
func wildcardFor(name string) string {
	if _, rest, ok := strings.Cut(name, "."); ok && !isRegistrable(name) {
		return "*." + rest
	}
	return "*." + name
}

// SameNames reports whether two lists name the same certificate once normalised: the same names
// in the same order (the first is the Common Name, R-13). A certificate's names are fixed at
// issuance, so a resource replaces the certificate when this is false, and only then: a
// change of letter case or a trailing dot is not a new certificate.
func SameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		na, fa := Normalize(a[i])
		nb, fb := Normalize(b[i])
		if fa != nil || fb != nil || na != nb {
			return false
		}
	}
	return true
}
