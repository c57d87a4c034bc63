package domains

import "strings"

// Matcher answers R-08 coverage questions for one certificate's names, normalised once: exact
// names and IPs in one set, wildcard bases in another, so each host costs one normalisation and
// two map lookups.
type Matcher struct {
	exact     map[string]bool
	wildcards map[string]bool // bases: "example.com" for "*.example.com"
}

// NewMatcher normalises a certificate's names; an invalid name is an error (a Finding).
func NewMatcher(certificate []string) (*Matcher, error) {
	m := &Matcher{exact: map[string]bool{}, wildcards: map[string]bool{}}
	for i, c := range certificate {
		text, f := Normalize(c)
		if f != nil {
			f.Index = i
			return nil, *f
		}
		m.exact[text] = true
		if base, ok := strings.CutPrefix(text, "*."); ok {
			m.wildcards[base] = true
		}
	}
	return m, nil
}

// Covers reports whether the certificate covers host; an invalid host is an error.
func (m *Matcher) Covers(host string) (bool, error) {
	h, f := Normalize(host)
	if f != nil {
		return false, *f
	}
	if m.exact[h] {
		return true, nil
	}
	if nameOf(h).Kind != Specific {
		return false, nil
	}
	_, parent, ok := strings.Cut(h, ".")
	return ok && m.wildcards[parent], nil
}
