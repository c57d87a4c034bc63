package emulator

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
)

// The checks of an application, written from the service's rules (service-rules.md R-02..R-24)
// and the create actions' parameter descriptions. Refusals are 400 InvalidParameter (the service
// documents no finer codes for them, cas-certs.md §7), with the rule's id in the message.

func errOrderParam(format string, args ...any) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", format, args...)
}

// readOrderSubject reads what the certificate is for: Domain (up to maxDomains names) and, when
// allowCSR, Csr. With both, the CSR's CN must be one of the domains; with the CSR
// alone, its CN and SANs are the domains; with neither, the request is refused. Without a CSR the
// service generates the key.
func readOrderSubject(c *Call, spec productSpec, o *Order, maxDomains int, allowCSR bool) *APIError {
	raw, csrText := c.String("Domain"), ""
	if allowCSR {
		csrText = c.String("Csr")
	}
	if raw == "" && csrText == "" {
		return Errorf(http.StatusBadRequest, "MissingDomain", "Domain is mandatory for this action when Csr is not given.")
	}
	var domains []string
	var apiErr *APIError
	if raw != "" {
		if domains, apiErr = parseDomains("Domain", raw, maxDomains); apiErr != nil {
			return apiErr
		}
	}
	if csrText != "" {
		csr, apiErr := parseCSR(csrText)
		if apiErr != nil {
			return apiErr
		}
		cn := strings.ToLower(strings.TrimSpace(csr.Subject.CommonName))
		if domains == nil {
			names := append([]string{cn}, csr.DNSNames...)
			if domains, apiErr = parseDomains("Csr", strings.Join(dedupeLower(names), ","), maxDomains); apiErr != nil {
				return apiErr
			}
		} else if !slices.Contains(domains, cn) {
			return errOrderParam("The CSR's common name %q is not one of the domains %q (R-13, R-16): the CSR would change the certificate's domain.", cn, strings.Join(domains, ","))
		}
		o.CSR, o.KeyAlgorithm = normalizePEM(csrText), csrAlgorithm(csr)
	} else {
		o.SystemKey, o.KeyAlgorithm = true, "RSA"
	}
	if apiErr := checkShape(spec, domains); apiErr != nil {
		return apiErr
	}
	o.Domains = domains
	return nil
}

// readApplicant reads ValidateType (DNS by default where optional), the applicant and, for OV/EV,
// the company. Where the applicant fields are optional (CreateCertificateForPackageRequest) the
// most recent contact of information management stands in; without any contact they are
// required.
func readApplicant(c *Call, spec productSpec, o *Order, required bool) *APIError {
	vt := c.String("ValidateType")
	if vt == "" {
		vt = "DNS"
	}
	if vt != "DNS" && vt != "FILE" {
		return errOrderParam("The parameter ValidateType is invalid: %q; use DNS or FILE.", vt)
	}
	if vt == "FILE" && isWildcard(o.Domains[0]) {
		return errOrderParam("Wildcard domains do not support file validation (R-24): use ValidateType DNS for %s.", o.Domains[0])
	}
	o.ValidateType = vt
	o.Username, o.Phone, o.Email = c.String("Username"), c.String("Phone"), c.String("Email")
	if !required && (o.Username == "" || o.Phone == "" || o.Email == "") {
		contact, ok := latestContact(c.State)
		for _, f := range []struct {
			param string
			dst   *string
			keys  []string
		}{
			{"Username", &o.Username, []string{"name", "Name"}},
			{"Phone", &o.Phone, []string{"mobile", "phone", "Mobile"}},
			{"Email", &o.Email, []string{"email", "Email"}},
		} {
			if *f.dst != "" {
				continue
			}
			if !ok {
				return Errorf(http.StatusBadRequest, "Missing"+f.param,
					"%s is mandatory for this action when information management holds no contact (R-18).", f.param)
			}
			for _, k := range f.keys {
				if v, isString := contact[k].(string); isString && *f.dst == "" {
					*f.dst = v
				}
			}
		}
	}
	if c.String("Email") != "" && (!strings.Contains(o.Email, "@") || strings.HasPrefix(o.Email, "@") || strings.HasSuffix(o.Email, "@")) {
		return errOrderParam("The parameter Email is invalid: %q is not an email address.", o.Email)
	}
	if spec.CertType == "OV" || spec.CertType == "EV" {
		o.CompanyName = c.String("CompanyName") // absent: the latest company profile (not emulated)
	}
	return nil
}

// latestContact is the most recently added contact as a JSON object, read through JSON so that
// this file needs nothing of the Contact type but its id.
func latestContact(s *State) (map[string]any, bool) {
	var latest *Contact
	for _, ct := range s.Contacts {
		if ct != nil && (latest == nil || ct.ID > latest.ID) {
			latest = ct
		}
	}
	if latest == nil {
		return nil, false
	}
	var m map[string]any
	raw, _ := json.Marshal(latest)
	_ = json.Unmarshal(raw, &m)
	return m, true
}

// parseDomains reads a comma-separated list of at most max names: each valid,
// no repeats, and all specific or all wildcard.
func parseDomains(field, raw string, max int) ([]string, *APIError) {
	var out []string
	for _, d := range strings.Split(raw, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" {
			return nil, errOrderParam("The parameter %s is invalid: it holds an empty domain name.", field)
		}
		if slices.Contains(out, d) {
			return nil, errOrderParam("The parameter %s is invalid: %s is given twice.", field, d)
		}
		if apiErr := checkDomainName(field, d); apiErr != nil {
			return nil, apiErr
		}
		out = append(out, d)
	}
	if len(out) > max {
		return nil, errOrderParam("The parameter %s is invalid: at most %d domain names are allowed here (R-15), got %d.", field, max, len(out))
	}
	wild := 0
	for _, d := range out {
		if isWildcard(d) {
			wild++
		}
	}
	if wild != 0 && wild != len(out) {
		return nil, errOrderParam("The parameter %s is invalid: the domain names must be all specific names or all wildcards, not a mix (R-15).", field)
	}
	return out, nil
}

func isWildcard(d string) bool { return strings.HasPrefix(d, "*.") }

// checkDomainName checks one name: ASCII only, a wildcard only as the whole leftmost label
// a public IPv4 address or a host name of at least two labels.
func checkDomainName(field, d string) *APIError {
	for _, r := range d {
		if r > 127 {
			return errOrderParam("The domain %q cannot be issued: internationalised (non-ASCII) names are not supported (R-12).", d)
		}
	}
	base := d
	if strings.Contains(d, "*") {
		if !isWildcard(d) || strings.Count(d, "*") != 1 {
			return errOrderParam("The domain %q is invalid: a wildcard is only the whole leftmost label, as in *.example.com (R-04).", d)
		}
		base = d[2:]
	}
	if ip := net.ParseIP(base); ip != nil {
		switch {
		case base != d:
			return errOrderParam("The domain %q is invalid: an IP address cannot be a wildcard (R-04).", d)
		case ip.To4() == nil:
			return errOrderParam("The domain %q is invalid: IPv6 addresses cannot be issued (R-02).", d)
		case !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback():
			return errOrderParam("The domain %q is invalid: only public IPv4 addresses can be issued (R-02).", d)
		}
		return nil
	}
	labels := strings.Split(base, ".")
	if len(base) > 253 || len(labels) < 2 {
		return errOrderParam("The parameter %s is invalid: %q is not a domain name.", field, d)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return errOrderParam("The parameter %s is invalid: %q is not a domain name.", field, d)
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return errOrderParam("The parameter %s is invalid: %q is not a domain name.", field, d)
	}
	return nil
}

// checkShape matches the names to the specification: a wildcard product ("w") takes wildcard
// names, a single-domain product ("1") specific names.
func checkShape(spec productSpec, domains []string) *APIError {
	for _, d := range domains {
		if isWildcard(d) != spec.Wildcard {
			if spec.Wildcard {
				return errOrderParam("ProductCode %s is a wildcard specification: %q must be a wildcard name such as *.example.com.", spec.Code, d)
			}
			return errOrderParam("ProductCode %s is a single-domain specification: %q must be a specific name, not a wildcard.", spec.Code, d)
		}
	}
	return nil
}

// parseCSR reads a PEM CSR and applies R-17 (RSA ≥ 2048 bits or ECC) and R-13 (a CN is needed).
func parseCSR(text string) (*x509.CertificateRequest, *APIError) {
	blocks, apiErr := pemBlocks("Csr", text)
	if apiErr != nil || len(blocks) != 1 || (blocks[0].Type != "CERTIFICATE REQUEST" && blocks[0].Type != "NEW CERTIFICATE REQUEST") {
		return nil, errOrderParam("The parameter Csr is invalid: it must be one PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----).")
	}
	csr, err := x509.ParseCertificateRequest(blocks[0].Bytes)
	if err != nil {
		return nil, errOrderParam("The parameter Csr is invalid: %v.", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, errOrderParam("The parameter Csr is invalid: its signature does not verify (%v).", err)
	}
	switch k := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, errOrderParam("The CSR's RSA key has %d bits; at least 2048 are required (R-17).", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
	default:
		return nil, errOrderParam("The CSR's key algorithm is not supported: use RSA (at least 2048 bits) or ECC (R-17).")
	}
	if strings.TrimSpace(csr.Subject.CommonName) == "" {
		return nil, errOrderParam("The CSR has no common name; it must be one of the certificate's domains (R-13).")
	}
	return csr, nil
}

// csrAlgorithm is the key algorithm of a checked CSR, as the order lists name it.
func csrAlgorithm(csr *x509.CertificateRequest) string {
	if _, ok := csr.PublicKey.(*ecdsa.PublicKey); ok {
		return "ECC"
	}
	return "RSA"
}

func dedupeLower(names []string) []string {
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
