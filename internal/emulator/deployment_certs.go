package emulator

import (
	"strings"
	"time"
	"unicode"
)

// The certificate side of deployment jobs: which certificates a job may hold (R-23, R-60, R-61,
// R-64), the wire names of their kinds, and which certificate a resource gets.
// A refusal is 400 InvalidParameter naming the rule (no code is documented, cas-deploy.md §7).

// checkJobCerts applies the deployment rules to a job's certificates.
func checkJobCerts(s *State, ids []int64, now time.Time) *APIError {
	kinds := map[string]int64{}
	for _, id := range ids {
		cert, ok := certByID(s, id)
		if !ok {
			return errJobParam("The parameter CertIds is invalid: the certificate %d does not exist.", id)
		}
		if strings.ContainsFunc(cert.Name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			return errJobParam("The certificate %d cannot be deployed: its name %q contains Chinese characters (R-61); rename it first.", id, cert.Name)
		}
		if st := certStatus(cert, now); st != "ISSUED" {
			return errJobParam("The certificate %d cannot be deployed: it is %s, and only issued certificates can be deployed (R-60); renew it first.", id, st)
		}
		if cert.Source == "buy" && cert.Key == "" && cert.SignPrivateKey == "" {
			return errJobParam("The certificate %d cannot be deployed: it was issued for your own CSR and the service holds no private key (R-23); upload it with its key instead.", id)
		}
		kinds[certGroup(cert)] = id
	}
	if len(kinds) > 1 {
		return errJobParam("The parameter CertIds is invalid: certificate %d is uploaded and %d purchased; one deployment job holds certificates of one type only (R-64).", kinds["upload"], kinds["buy"])
	}
	return nil
}

// certGroup is the R-64 kind: purchased (buy, free) or uploaded (upload, and shared ones, which
// the receiver sees among its uploaded certificates, R-54).
func certGroup(cert *Certificate) string {
	if cert.Source == "buy" {
		return "buy"
	}
	return "upload"
}

// certOrderType is the wire CertType/CertOrderType: upload, buy, or free for a free product.
func certOrderType(s *State, cert *Certificate) string {
	if cert.Source != "buy" {
		return "upload"
	}
	if o, ok := orderByID(s, cert.OrderID); ok {
		if spec, ok := lookupProduct(o.ProductCode); ok && spec.CertType == "FREE" {
			return "free"
		}
	}
	return "buy"
}

// matchingCert is the first of the job's certificates that covers every domain of a resource
// (comma-separated; R-08); a resource without a domain (a listener) takes the first certificate.
// 0 when none covers it.
func matchingCert(s *State, certIDs []int64, domain string) int64 {
	var hosts []string
	for _, h := range strings.Split(domain, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			hosts = append(hosts, h)
		}
	}
	for _, id := range certIDs {
		cert, ok := certByID(s, id)
		if !ok {
			continue
		}
		covered := true
		for _, h := range hosts {
			covered = covered && certCovers(cert, h)
		}
		if covered {
			return id
		}
	}
	return 0
}

// certCovers applies R-08: an exact name matches itself; *.example.com matches one more label
// (www.example.com), not example.com nor a.b.example.com.
func certCovers(cert *Certificate, host string) bool {
	for _, name := range append([]string{cert.CommonName}, cert.Sans...) {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == host {
			return true
		}
		if base, ok := strings.CutPrefix(name, "*."); ok {
			if label, rest, found := strings.Cut(host, "."); found && label != "" && rest == base {
				return true
			}
		}
	}
	return false
}
