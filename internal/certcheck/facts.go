package certcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emmansun/gmsm/smx509"
)

// Facts are the attributes known from the server certificate's PEM alone, for the resource's
// computed attributes at plan time. They depend on the certificate's DER only, so the same
// certificate gives the same facts whatever its line ends, white space or base64 line width.
type Facts struct {
	// CommonName is the subject's Common Name as written in the certificate; "" when it has none.
	CommonName string
	// SANs are the DNS names (lower case, without a trailing dot) and IP addresses (Go's
	// canonical text form: dotted IPv4, compressed IPv6) of the subject alternative names,
	// deduplicated and sorted. Email and URI names are left out.
	SANs []string
	// Issuer is the Common Name of the issuer, or, when the issuer has no Common Name, its whole
	// distinguished name in RFC 2253 form ("O=Example CA,C=CN"). The service's own Issuer field is
	// not this: it shows the CA's brand or organisation (cas-models.md, e.g. "Digicert").
	Issuer string
	// SerialNumber is the serial in lower-case hex, two digits per byte, no separators, leading
	// zero kept: the form of GetUserCertificateDetail's SerialNo (cas-models.md, e.g.
	// "06ea4879591ddf84e6c8b6ba43607ccf"; cas-certs.md: lower-hex).
	SerialNumber string
	// FingerprintSHA256 is the SHA-256 of the certificate's DER, lower-case hex. The service's Sha2
	// is the same value in upper case (cas-certs.md); compare them without regard to case.
	FingerprintSHA256 string
	// KeyAlgorithm is "RSA", "ECC" or "SM2", the service's names (GetUserCertificateDetail
	// Algorithm, CreateCsr KeySize); "" for a key the service does not take.
	KeyAlgorithm string
	// KeySize is the key's size in bits: the modulus for RSA, the curve's size for ECC and SM2
	// (256 for P-256 and SM2, 384 for P-384).
	KeySize int
	// NotBefore and NotAfter are the validity dates, in UTC. The attributes hold them as RFC 3339
	// text: FormatTime.
	NotBefore time.Time
	NotAfter  time.Time
}

// FactsOf computes the facts of a server certificate.
func FactsOf(leaf *smx509.Certificate) *Facts {
	sum := sha256.Sum256(leaf.Raw)
	f := &Facts{
		CommonName:        leaf.Subject.CommonName,
		SANs:              sans(leaf),
		Issuer:            leaf.Issuer.CommonName,
		SerialNumber:      hex.EncodeToString(leaf.SerialNumber.Bytes()),
		FingerprintSHA256: hex.EncodeToString(sum[:]),
		NotBefore:         leaf.NotBefore.UTC(),
		NotAfter:          leaf.NotAfter.UTC(),
	}
	if f.Issuer == "" {
		f.Issuer = leaf.Issuer.String()
	}
	f.KeyAlgorithm, f.KeySize = algorithm(leaf.PublicKey)
	return f
}

// ReadFacts computes the facts of the first certificate of a PEM text, for Read and import, where
// the certificate comes back from the service: unlike Check, it applies no rule, so a certificate
// that has since expired still reads.
func ReadFacts(certificatePEM string) (*Facts, error) {
	certs, fs := Parse(FieldCertificate, certificatePEM)
	if len(certs) == 0 {
		if errs := fs.Errors(); len(errs) > 0 {
			return nil, errs[0]
		}
		return nil, fmt.Errorf("no certificate")
	}
	return FactsOf(certs[0]), nil
}

// FormatTime is the text form of the date attributes: RFC 3339 in UTC, "2026-05-01T12:00:00Z".
func FormatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

func sans(c *smx509.Certificate) []string {
	out := make([]string, 0, len(c.DNSNames)+len(c.IPAddresses))
	for _, n := range c.DNSNames {
		out = append(out, strings.TrimSuffix(strings.ToLower(n), "."))
	}
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}
