package certcheck

import (
	"fmt"

	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Parse reads a certificate field: one or more PEM CERTIFICATE blocks, the server certificate
// first and its intermediates after it, RSA, ECC or SM2. It answers the certificates
// in order when every block is a readable certificate, or nil and the findings that say why not:
// empty text, another format (PKCS #12, JKS, PKCS #7, DER, a CSR, a private key), an incomplete
// or damaged block. Text outside the blocks is a warning only (CanonicalPEM drops it). Findings'
// Value is field and Index the position of the block in it.
func Parse(field, text string) ([]*smx509.Certificate, domains.Findings) {
	sc := scanPEM(text)
	if f := structureFinding(field, text, sc); f != nil {
		return nil, domains.Findings{*f}
	}
	var fs domains.Findings
	certs := make([]*smx509.Certificate, 0, len(sc.blocks))
	for i, b := range sc.blocks {
		if b.Type != "CERTIFICATE" {
			fs = append(fs, blockTypeFinding(field, i, b))
			continue
		}
		c, err := smx509.ParseCertificate(b.Bytes)
		if err != nil {
			fs = append(fs, errorf("R-40", field, i, fmt.Sprintf("%s has a certificate that cannot be read (block %d, line %d).", capital(info(field).noun), i+1, b.line),
				"Its PEM is complete but its content is not a valid X.509 certificate (%v). The service refuses it as \"certificate format incorrect\" (R-40): copy the certificate again from the file the CA sent.", err))
			continue
		}
		certs = append(certs, c)
	}
	if sc.outside != 0 {
		fs = append(fs, outsideFinding(field, sc.outside))
	}
	if fs.HasErrors() {
		return nil, fs
	}
	return certs, fs
}
