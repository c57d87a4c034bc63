package domains

import (
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Kind is what a certificate name is.
type Kind int

const (
	// Specific is one exact host name, such as "www.example.com".
	Specific Kind = iota
	// Wildcard is "*.<domain>", covering the first-level subdomains of <domain> (R-03).
	Wildcard
	// IPAddress is a public IPv4 address.
	IPAddress
)

// Name is a normalised certificate name and its kind.
type Name struct {
	Text string
	Kind Kind
}

// Base is the domain under a wildcard ("example.com" for "*.example.com"), or the name itself.
func (n Name) Base() string { return strings.TrimPrefix(n.Text, "*.") }

// CheckName normalises one name and applies the rules a name must meet on a publicly trusted
// certificate: a public top-level domain and at least a registrable domain, a wildcard
// above a public suffix, a public IPv4 address. Findings carry index.
func CheckName(name string, index int) (Name, Findings) {
	text, f := Normalize(name)
	if f != nil {
		f.Index, f.Value = index, name
		return Name{}, Findings{*f}
	}
	if addr, err := netip.ParseAddr(text); err == nil {
		n := Name{Text: text, Kind: IPAddress}
		if f := checkIP(addr); f != nil {
			f.Index, f.Value = index, name
			return n, Findings{*f}
		}
		return n, nil
	}
	n := Name{Text: text, Kind: Specific}
	if strings.HasPrefix(text, "*.") {
		n.Kind = Wildcard
	}
	return n, checkPublicName(n, name, index)
}

// checkPublicName: the top-level domain must be a public (ICANN) one, a specific name must be at
// or below a registrable domain, and a wildcard must not sit directly on a public suffix.
func checkPublicName(n Name, given string, index int) Findings {
	base := n.Base()
	tld := base[strings.LastIndexByte(base, '.')+1:]
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return Findings{errorf("R-02", index, given, "The name is not under a public top-level domain.",
			"%q is not a public top-level domain, so a publicly trusted CA cannot validate or issue this name (R-02). Use a registered domain such as \"www.example.com\".", tld)}
	}
	suffix, icann := publicsuffix.PublicSuffix(base)
	if suffix != base {
		return nil
	}
	if n.Kind == Wildcard {
		if !icann {
			return Findings{warnf("R-03", index, given, "The wildcard sits directly on a privately registered public suffix.",
				"%q is on the public suffix list's private section: each name under it belongs to a different owner, and CAs may refuse \"*.%s\" (R-03). Use your own subdomain, such as \"*.yourname.%s\".", base, base, base)}
		}
		return Findings{errorf("R-03", index, given, "The wildcard sits directly on a public suffix.",
			"\"*.%s\" would cover every domain registered under %q, which no CA issues (R-03). Put the wildcard under your registered domain, such as \"*.example.%s\".", base, base, base)}
	}
	if icann {
		return Findings{errorf("R-02", index, given, "The name is a public suffix, not a domain.",
			"%q is a suffix under which domains are registered; a certificate names a registered domain or a subdomain of it, such as \"example.%s\" (R-02).", base, base)}
	}
	return nil
}

// Reserved and special-purpose IPv4 ranges (IANA special-purpose registry) besides those netip
// classifies itself (private, loopback, link-local, multicast, unspecified).
var nonPublicIPv4 = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (carrier-grade NAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("192.88.99.0/24"),  // deprecated 6to4 relay anycast
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the limited broadcast address
}

// checkIP: only public IPv4 addresses can be on a certificate.
func checkIP(addr netip.Addr) *Finding {
	if !addr.Is4() {
		f := errorf("R-02", -1, "", "IPv6 addresses cannot be on a certificate.",
			"The service issues certificates for public IPv4 addresses only (R-02); use a domain name that resolves to %s.", addr)
		return &f
	}
	why := ""
	switch {
	case addr.IsPrivate():
		why = "a private address (RFC 1918)"
	case addr.IsLoopback():
		why = "a loopback address"
	case addr.IsLinkLocalUnicast():
		why = "a link-local address"
	case addr.IsMulticast():
		why = "a multicast address"
	case addr.IsUnspecified():
		why = "the unspecified address"
	}
	for _, p := range nonPublicIPv4 {
		if why == "" && p.Contains(addr) {
			why = "in the reserved range " + p.String()
		}
	}
	if why == "" {
		return nil
	}
	f := errorf("R-02", -1, "", "The IP address is not public.",
		"%s is %s; only public IPv4 addresses can be on a certificate, because a CA must validate control of them from the Internet (R-02).", addr, why)
	return &f
}

func isIPv4OrV6(text string) bool {
	if !mayBeIP(text) {
		return false
	}
	_, err := netip.ParseAddr(text)
	return err == nil
}
