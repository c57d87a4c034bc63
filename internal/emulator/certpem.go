package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Reading what UploadUserCertificate receives: PEM certificate chains and private keys, RSA, ECC
// and SM2 (github.com/emmansun/gmsm parses the SM2 curve, which crypto/x509 does not). The
// messages carry the service's own words where the product documents give them.
//
// Error codes: the service documents none for these refusals (cas-certs.md §7, "not found"); the
// emulator answers 400 InvalidParameter with the documented text in the message.

// errCertFormat is R-40: anything but complete PEM blocks of the right kind.
func errCertFormat(field, detail string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter",
		"The certificate format incorrect: %s %s. Only PEM is accepted (complete -----BEGIN ...----- / -----END ...----- blocks); convert PFX, JKS and DER first.", field, detail)
}

// errKeyMismatch is R-41.
func errKeyMismatch(certField, keyField string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter",
		"The certificate and private key do not match: %s does not belong to the certificate in %s.", keyField, certField)
}

// pemBlocks splits text into PEM blocks, refusing anything else around them: pem.Decode
// alone would skip leading garbage and truncated blocks.
func pemBlocks(field, text string) ([]*pem.Block, *APIError) {
	rest := strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if rest == "" {
		return nil, errCertFormat(field, "is empty")
	}
	var blocks []*pem.Block
	for rest != "" {
		if !strings.HasPrefix(rest, "-----BEGIN ") {
			return nil, errCertFormat(field, "has text outside its PEM blocks")
		}
		block, after := pem.Decode([]byte(rest))
		consumed := rest[:len(rest)-len(after)]
		if block == nil || strings.Count(consumed, "-----BEGIN ") != 1 {
			return nil, errCertFormat(field, "holds an incomplete PEM block")
		}
		blocks = append(blocks, block)
		rest = strings.TrimSpace(string(after))
	}
	return blocks, nil
}

// parseCertChain reads a certificate followed by its intermediates. The first block is the
// server certificate.
func parseCertChain(field, text string) ([]*smx509.Certificate, *APIError) {
	blocks, apiErr := pemBlocks(field, text)
	if apiErr != nil {
		return nil, apiErr
	}
	chain := make([]*smx509.Certificate, 0, len(blocks))
	for _, b := range blocks {
		if b.Type != "CERTIFICATE" {
			return nil, errCertFormat(field, "holds a "+b.Type+" block where a CERTIFICATE was expected")
		}
		cert, err := smx509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, errCertFormat(field, "is not a readable X.509 certificate ("+err.Error()+")")
		}
		chain = append(chain, cert)
	}
	return chain, nil
}

// parsePrivateKey reads one private key: PKCS#1, SEC 1 (EC, SM2) or PKCS#8, optionally preceded
// by the EC PARAMETERS block that `openssl ecparam -genkey` writes. An encrypted key is refused
// the service cannot read it.
func parsePrivateKey(field, text string) (crypto.PrivateKey, *APIError) {
	blocks, apiErr := pemBlocks(field, text)
	if apiErr != nil {
		return nil, apiErr
	}
	var keyBlocks []*pem.Block
	for _, b := range blocks {
		if b.Type != "EC PARAMETERS" {
			keyBlocks = append(keyBlocks, b)
		}
	}
	if len(keyBlocks) != 1 {
		return nil, errCertFormat(field, "must hold exactly one private key")
	}
	b := keyBlocks[0]
	if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter",
			"The private key in %s is encrypted (password-protected) and cannot be read; decrypt it first, e.g. `openssl rsa -in enc.key -out dec.key` (R-42).", field)
	}
	var key any
	var err error
	switch b.Type {
	case "RSA PRIVATE KEY":
		key, err = smx509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY", "SM2 PRIVATE KEY":
		key, err = smx509.ParseTypedECPrivateKey(b.Bytes)
	case "PRIVATE KEY":
		key, err = smx509.ParsePKCS8PrivateKey(b.Bytes)
	default:
		return nil, errCertFormat(field, "holds a "+b.Type+" block where a private key was expected")
	}
	if err != nil {
		return nil, errCertFormat(field, "is not a readable private key ("+err.Error()+")")
	}
	switch key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, *sm2.PrivateKey:
		return key, nil
	}
	return nil, Errorf(http.StatusBadRequest, "InvalidParameter",
		"The key algorithm of %s is not supported: only RSA, ECC and SM2 keys are accepted.", field)
}

// publicOf is a supported private key's public half.
func publicOf(key crypto.PrivateKey) crypto.PublicKey {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return &k.PublicKey
	case *ecdsa.PrivateKey:
		return &k.PublicKey
	case *sm2.PrivateKey:
		return &k.PublicKey
	}
	return nil
}

// keyMatches reports whether a private key belongs to a certificate (R-41: RSA same modulus and
// exponent; ECC and SM2 same curve and point).
func keyMatches(cert *smx509.Certificate, key crypto.PrivateKey) bool {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		k, ok := publicOf(key).(*rsa.PublicKey)
		return ok && k.N.Cmp(pub.N) == 0 && k.E == pub.E
	case *ecdsa.PublicKey:
		k, ok := publicOf(key).(*ecdsa.PublicKey)
		return ok && k.Curve == pub.Curve && k.X.Cmp(pub.X) == 0 && k.Y.Cmp(pub.Y) == 0
	}
	return false
}

// keyAlgorithm names a certificate's key as the service does (Algorithm: RSA, ECC, SM2) and
// gives its size in bits.
func keyAlgorithm(cert *smx509.Certificate) (string, int) {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", pub.N.BitLen()
	case *ecdsa.PublicKey:
		if sm2.IsSM2PublicKey(pub) {
			return "SM2", 256
		}
		return "ECC", pub.Curve.Params().BitSize
	}
	return "", 0
}

// certFacts fills a Certificate's descriptive fields from its server certificate.
func certFacts(c *Certificate, leaf *smx509.Certificate) {
	c.CommonName = leaf.Subject.CommonName
	c.Sans = nil
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			c.Sans = append(c.Sans, n)
		}
	}
	for _, n := range leaf.DNSNames {
		add(n)
	}
	for _, ip := range leaf.IPAddresses {
		add(ip.String())
	}
	if c.CommonName == "" && len(c.Sans) > 0 {
		c.CommonName = c.Sans[0]
	}
	if len(c.Sans) == 0 {
		add(c.CommonName)
	}
	c.NotBefore, c.NotAfter = leaf.NotBefore.UTC(), leaf.NotAfter.UTC()
	c.Issuer = firstString(leaf.Issuer.Organization)
	if c.Issuer == "" {
		c.Issuer = leaf.Issuer.CommonName
	}
	c.OrgName = firstString(leaf.Subject.Organization)
	c.Country = firstString(leaf.Subject.Country)
	c.Province = firstString(leaf.Subject.Province)
	c.City = firstString(leaf.Subject.Locality)
	sum1 := sha1.Sum(leaf.Raw)
	sum2 := sha256.Sum256(leaf.Raw)
	c.Fingerprint = strings.ToUpper(hex.EncodeToString(sum1[:]))
	c.Sha2 = strings.ToUpper(hex.EncodeToString(sum2[:]))
	c.SerialNo = hex.EncodeToString(leaf.SerialNumber.Bytes())
	c.Algorithm, c.KeySize = keyAlgorithm(leaf)
}

func firstString(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
