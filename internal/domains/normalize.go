package domains

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Length limits of DNS (RFC 1035) and of an X.509 Common Name (RFC 5280 ub-common-name).
const (
	maxNameOctets       = 253
	maxLabelOctets      = 63
	maxCommonNameOctets = 64
)

// Normalize returns the canonical form of one certificate name: lower case, one trailing dot
// removed, an IP address in its canonical text. It refuses what is not a syntactically valid
// DNS name, wildcard name or IP address; whether the name can be on a public certificate
// (public suffix, public IPv4) is CheckName's business. Normalize(Normalize(x)) == Normalize(x).
func Normalize(name string) (string, *Finding) {
	if name == "" {
		f := errorf("R-02", -1, name, "The name is empty.",
			"A certificate name is a domain name such as \"www.example.com\", a wildcard such as \"*.example.com\" or a public IPv4 address (R-02).")
		return "", &f
	}
	if strings.IndexFunc(name, isSpace) >= 0 {
		f := errorf("R-02", -1, name, "The name contains white space.",
			"Domain names have no spaces; remove them (%q).", strings.Join(strings.Fields(name), ""))
		return "", &f
	}
	if !isASCII(name) {
		return "", nonASCII(name)
	}
	s := strings.ToLower(name)
	if mayBeIP(s) {
		if addr, err := netip.ParseAddr(s); err == nil {
			return addr.String(), nil
		}
	}
	s = strings.TrimSuffix(s, ".")
	if len(s) > maxNameOctets {
		f := errorf("R-02", -1, name, "The name is too long.",
			"A domain name has at most %d characters; this one has %d.", maxNameOctets, len(s))
		return "", &f
	}
	last := ""
	for i, rest := 0, s; ; i++ {
		label, after, more := strings.Cut(rest, ".")
		if f := checkLabel(name, label, after, i); f != nil {
			return "", f
		}
		if !more {
			last = label
			break
		}
		rest = after
	}
	if rest, ok := strings.CutPrefix(s, "*."); ok && mayBeIP(rest) {
		if _, err := netip.ParseAddr(rest); err == nil {
			f := errorf("R-03", -1, name, "A wildcard cannot be on an IP address.",
				"Wildcards cover subdomains of a domain name (R-03); an IP address is issued alone on a single-domain certificate (R-02): use %q.", rest)
			return "", &f
		}
	}
	if isDigits(last) {
		f := errorf("R-02", -1, name, "The name is neither a domain name nor an IPv4 address.",
			"Its last label %q is all digits, so it is not a top-level domain; an IP address has four numbers from 0 to 255 (R-02).", last)
		return "", &f
	}
	return s, nil
}

// checkLabel applies the label syntax (letters, digits, hyphens; 1 to 63 octets; no hyphen at
// either end), the wildcard's form (R-04: only a whole leftmost "*") and valid A-labels.
// after is the rest of the name following the label.
func checkLabel(name, label, after string, i int) *Finding {
	var f Finding
	switch {
	case label == "*" && i == 0:
		return nil
	case strings.Contains(label, "*"):
		f = errorf("R-04", -1, name, "The wildcard is not a whole leftmost label.",
			"A wildcard is only \"*\" as the first label, and a certificate covers one level of subdomains under it (R-03, R-04); the label %q is not allowed. Use \"*.%s\".", label, after)
	case label == "":
		f = errorf("R-02", -1, name, "The name has an empty label.", "Two dots in a row, or a dot at the start, leave an empty label; remove the extra dot.")
	case len(label) > maxLabelOctets:
		f = errorf("R-02", -1, name, "A label of the name is too long.", "Each dot-separated label has at most %d characters; %q has %d.", maxLabelOctets, label, len(label))
	case strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-"):
		f = errorf("R-02", -1, name, "A label starts or ends with a hyphen.", "Labels may contain hyphens but not begin or end with one: %q.", label)
	case strings.IndexFunc(label, notLDH) >= 0:
		f = errorf("R-02", -1, name, "The name contains a character that is not allowed.",
			"Labels consist of letters a-z, digits and hyphens; %q has %q.", label, string(label[strings.IndexFunc(label, notLDH)]))
	case strings.HasPrefix(label, "xn--"):
		if _, err := idna.Registration.ToUnicode(label); err != nil {
			f = errorf("R-12", -1, name, "The name has an invalid internationalized label.", "%q is not a valid IDNA A-label: %v.", label, err)
			break
		}
		return nil
	default:
		return nil
	}
	out := f // allocated only here, on the error path
	return &out
}

// nonASCII refuses a name written in non-ASCII characters, showing its A-label form.
func nonASCII(name string) *Finding {
	detail := "Names in Chinese or other non-ASCII characters cannot be issued by the service (R-12)."
	if alabel, err := idna.Lookup.ToASCII(strings.TrimPrefix(name, "*.")); err == nil {
		if strings.HasPrefix(name, "*.") {
			alabel = "*." + alabel
		}
		detail += " Its A-label (punycode) form, for reference, is \"" + alabel + "\"; the CA may refuse it as well."
	}
	f := errorf("R-12", -1, name, "The name contains non-ASCII characters.", "%s", detail)
	return &f
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
}

func notLDH(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// mayBeIP is a cheap filter before netip.ParseAddr, whose failure allocates: an IPv4 address ends
// in a digit, an IPv6 address has a colon.
func mayBeIP(s string) bool {
	last := s[len(s)-1]
	return last >= '0' && last <= '9' || strings.IndexByte(s, ':') >= 0
}
