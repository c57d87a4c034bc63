package domains

import "strings"

// Covers reports whether a certificate name covers a host: an exact name or an IP address
// matches only itself; "*.example.com" matches exactly one more label ("www.example.com"), never
// "example.com" nor "a.b.example.com". Both are compared in normalised form.
func (n Name) Covers(host Name) bool {
	switch {
	case n.Kind != Wildcard || host.Kind != Specific:
		return n.Text == host.Text
	default:
		label, rest, ok := strings.Cut(host.Text, ".")
		return ok && label != "" && rest == n.Base()
	}
}

// Covers reports whether any of a certificate's names covers host. It fails, with the
// finding, when a name or the host is not a valid certificate name. To match many hosts against
// one certificate, use a Matcher.
func Covers(certificate []string, host string) (bool, error) {
	m, err := NewMatcher(certificate)
	if err != nil {
		return false, err
	}
	return m.Covers(host)
}

// nameOf classifies a normalised name.
func nameOf(text string) Name {
	switch {
	case strings.HasPrefix(text, "*."):
		return Name{Text: text, Kind: Wildcard}
	case isIPv4OrV6(text):
		return Name{Text: text, Kind: IPAddress}
	}
	return Name{Text: text, Kind: Specific}
}
