package domains

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// MinRSABits is the smallest RSA key the service accepts in a CSR.
const MinRSABits = 2048

// CSR is what the rules need of a certificate signing request.
type CSR struct {
	CommonName string   // normalised
	DNSNames   []string // normalised
	Algorithm  string   // "RSA" or "ECC", the service's names
}

// CheckCSR parses a PEM CSR and applies: its signature verifies; its key is
// RSA of at least 2048 bits or ECC on P-256, P-384 or P-521; its Common Name is one of names (a
// specific one when names mix wildcards and specific names); it asks for no name outside names.
// With no names, the CSR's own names are checked as the application's domains.
func CheckCSR(text string, names []Name) (*CSR, Findings) {
	req, f := parseCSR(text)
	if f != nil {
		return nil, Findings{*f}
	}
	csr := &CSR{}
	var fs Findings
	switch pub := req.PublicKey.(type) {
	case *rsa.PublicKey:
		csr.Algorithm = "RSA"
		if bits := pub.N.BitLen(); bits < MinRSABits {
			fs = append(fs, errorf("R-17", -1, "", "The CSR's RSA key is too short.",
				"It has %d bits; the service accepts RSA keys of at least %d bits (R-17). Generate a new key, e.g. openssl req -new -newkey rsa:2048.", bits, MinRSABits))
		}
	case *ecdsa.PublicKey:
		csr.Algorithm = "ECC"
		if c := pub.Curve; c != elliptic.P256() && c != elliptic.P384() && c != elliptic.P521() {
			fs = append(fs, errorf("R-17", -1, "", "The CSR's elliptic curve is not supported.",
				"Publicly trusted CAs sign ECC keys on P-256, P-384 or P-521 only (R-17); this key is on %s.", c.Params().Name))
		}
	default:
		fs = append(fs, errorf("R-17", -1, "", "The CSR's key algorithm is not supported.",
			"The service accepts RSA (at least %d bits) or ECC keys (R-17); this CSR has a %T key.", MinRSABits, req.PublicKey))
	}
	cn, cnFinding := csrName("common name", req.Subject.CommonName)
	if cnFinding != nil {
		return csr, append(fs, *cnFinding)
	}
	csr.CommonName = cn
	for _, d := range req.DNSNames {
		n, f := csrName("subject alternative name", d)
		if f != nil {
			return csr, append(fs, *f)
		}
		csr.DNSNames = append(csr.DNSNames, n)
	}
	if len(names) == 0 {
		return csr, fs
	}
	return csr, append(fs, csrAgainstNames(csr, names)...)
}

func parseCSR(text string) (*x509.CertificateRequest, *Finding) {
	block, rest := pem.Decode([]byte(strings.TrimSpace(text)))
	if block == nil || (block.Type != "CERTIFICATE REQUEST" && block.Type != "NEW CERTIFICATE REQUEST") {
		f := errorf("R-13", -1, "", "The CSR is not a PEM certificate signing request.",
			"Give the whole PEM text, from \"-----BEGIN CERTIFICATE REQUEST-----\" to \"-----END CERTIFICATE REQUEST-----\" (R-13).")
		return nil, &f
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		f := errorf("R-13", -1, "", "The CSR has text after its PEM block.", "Give exactly one certificate signing request (R-13).")
		return nil, &f
	}
	req, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		f := errorf("R-13", -1, "", "The CSR cannot be read.", "Its content is not a valid PKCS #10 request: %v (R-13).", err)
		return nil, &f
	}
	if err := req.CheckSignature(); err != nil {
		f := errorf("R-13", -1, "", "The CSR's signature does not verify.",
			"A CSR is signed with its own private key, and this signature is wrong (%v): the request was altered or damaged; generate it again (R-13).", err)
		return nil, &f
	}
	return req, nil
}

func csrName(what, value string) (string, *Finding) {
	if value == "" && what == "common name" {
		f := errorf("R-17", -1, "", "The CSR has no Common Name.",
			"The service binds the certificate to the CSR's Common Name (R-16, R-17); generate the CSR with -subj \"/CN=www.example.com\".")
		return "", &f
	}
	n, f := Normalize(value)
	if f != nil {
		f.Summary = fmt.Sprintf("The CSR's %s is not a valid name. %s", what, f.Summary)
		return "", f
	}
	return n, nil
}

// csrAgainstNames: the CN is one of the names, specific when the list mixes kinds
// and no SAN is outside the names.
func csrAgainstNames(csr *CSR, names []Name) Findings {
	var fs Findings
	listed := map[string]Name{}
	mixed := false
	for _, n := range names {
		listed[n.Text] = n
		mixed = mixed || n.Kind != names[0].Kind
	}
	cn, ok := listed[csr.CommonName]
	switch {
	case !ok:
		fs = append(fs, errorf("R-16", -1, "", "The CSR's Common Name is not one of the domains.",
			"When a CSR is given, its Common Name %q becomes the certificate's bound domain (R-13, R-16), which would change the certificate to a name not in the list. Generate the CSR with one of the listed names as its CN.", csr.CommonName))
	case mixed && cn.Kind != Specific:
		fs = append(fs, errorf("R-13", -1, "", "The CSR's Common Name must be a specific name.",
			"With wildcard and specific names mixed, the Common Name must be a specific name (R-13); %q is a wildcard.", csr.CommonName))
	}
	for _, d := range csr.DNSNames {
		if _, ok := listed[d]; !ok {
			fs = append(fs, errorf("R-13", -1, "", "The CSR asks for a name outside the domains.",
				"Its subject alternative name %q is not in the list of domains; the CA issues the listed names only (R-13). Add it to the list or generate the CSR without it.", d))
		}
	}
	return fs
}
