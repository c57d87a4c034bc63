package certcheck

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// ParsePrivateKey reads a private key field: one PEM private key, PKCS #1 (RSA PRIVATE KEY),
// SEC 1 (EC PRIVATE KEY, ECC or SM2) or PKCS #8 (PRIVATE KEY, RSA, ECC or SM2 under either the
// id-ecPublicKey or the SM2 algorithm identifier), optionally with the EC PARAMETERS block that
// `openssl ecparam -genkey` writes before it. It answers an *rsa.PrivateKey, *ecdsa.PrivateKey or
// *sm2.PrivateKey, or nil and the findings that say why not: an encrypted key, a key of
// another algorithm (the service's are RSA, ECC and SM2), or anything that is not one PEM key
// . Findings never quote the key.
func ParsePrivateKey(field, text string) (crypto.PrivateKey, domains.Findings) {
	sc := scanPEM(text)
	if f := structureFinding(field, text, sc); f != nil {
		return nil, domains.Findings{*f}
	}
	var fs domains.Findings
	var keys []int
	for i, b := range sc.blocks {
		switch {
		case b.Type == "EC PARAMETERS":
		case b.Type == "PRIVATE KEY" || b.Type == "RSA PRIVATE KEY" || b.Type == "EC PRIVATE KEY" || b.Type == "SM2 PRIVATE KEY":
			keys = append(keys, i)
		default:
			fs = append(fs, blockTypeFinding(field, i, b))
		}
	}
	what := capital(info(field).noun)
	if len(keys) > 1 {
		fs = append(fs, errorf("R-41", field, keys[1], fmt.Sprintf("%s holds %d private keys.", what, len(keys)),
			"Give exactly one private key: the one that matches the certificate (R-41)."))
	}
	if sc.outside != 0 {
		fs = append(fs, outsideFinding(field, sc.outside))
	}
	if fs.HasErrors() || len(keys) == 0 {
		if len(keys) == 0 && !fs.HasErrors() {
			fs = append(fs, errorf("R-40", field, -1, what+" holds no private key.",
				"Give the PEM private key that matches the certificate: -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY (R-40, R-41)."))
		}
		return nil, fs
	}
	i := keys[0]
	b := sc.blocks[i]
	if strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") || b.Headers["DEK-Info"] != "" {
		tool := "pkey"
		switch b.Type {
		case "RSA PRIVATE KEY":
			tool = "rsa"
		case "EC PRIVATE KEY":
			tool = "ec"
		}
		return nil, append(fs, errorf("R-42", field, i, what+" is encrypted (password-protected).",
			"Its PEM has a \"Proc-Type: 4,ENCRYPTED\" header; the service cannot read a password-protected key and refuses it as not matching the certificate (R-42). Decrypt it with `openssl %s -in enc.key -out dec.key` (it asks for the password) and give the decrypted key; keep it as secret as before.", tool))
	}
	key, err := parseKeyBlock(b.Type, b.Bytes)
	if err != nil {
		if isEncryptedPKCS8(b.Bytes) {
			return nil, append(fs, errorf("R-42", field, i, what+" is encrypted (password-protected).",
				"It is an encrypted PKCS #8 key labelled PRIVATE KEY; the service cannot read a password-protected key (R-42). Decrypt it with `openssl pkey -in enc.key -out dec.key` (it asks for the password)."))
		}
		return nil, append(fs, errorf("R-40", field, i, fmt.Sprintf("%s cannot be read: its %s block is not valid.", what, b.Type),
			"Its PEM is complete but its content is not what the label %s says (%v) (R-40). Copy the key again, or write it anew with `openssl pkey -in key.pem -out key-pkcs8.pem`.", b.Type, err))
	}
	switch key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, *sm2.PrivateKey:
		return key, fs
	}
	return nil, append(fs, errorf("R-41", field, i, fmt.Sprintf("%s is an %s key, which the service does not take.", what, describePrivate(key)),
		"The service's key algorithms are RSA, ECC and SM2 (its Algorithm values, R-41); a certificate for an %s key cannot be uploaded. Get a certificate for an RSA or ECC key.", describePrivate(key)))
}

func parseKeyBlock(typ string, der []byte) (crypto.PrivateKey, error) {
	switch typ {
	case "RSA PRIVATE KEY":
		return smx509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY", "SM2 PRIVATE KEY":
		return smx509.ParseTypedECPrivateKey(der)
	default:
		return smx509.ParsePKCS8PrivateKey(der)
	}
}

// publicOf is a private key's public half.
func publicOf(key crypto.PrivateKey) crypto.PublicKey {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return &k.PublicKey
	case *ecdsa.PrivateKey:
		return &k.PublicKey
	case *sm2.PrivateKey:
		return &k.PublicKey
	case ed25519.PrivateKey:
		return k.Public()
	}
	return nil
}

// keyMatches: the private key is the certificate's: RSA same modulus and exponent; ECC and
// SM2 same curve and point.
func keyMatches(cert *smx509.Certificate, key crypto.PrivateKey) bool {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		k, ok := publicOf(key).(*rsa.PublicKey)
		return ok && k.E == pub.E && k.N.Cmp(pub.N) == 0
	case *ecdsa.PublicKey:
		k, ok := publicOf(key).(*ecdsa.PublicKey)
		return ok && k.Curve == pub.Curve && k.X.Cmp(pub.X) == 0 && k.Y.Cmp(pub.Y) == 0
	case ed25519.PublicKey:
		k, ok := publicOf(key).(ed25519.PublicKey)
		return ok && pub.Equal(k)
	}
	return false
}

// algorithm names a public key as the service does (GetUserCertificateDetail Algorithm: RSA,
// ECC, SM2) with its size in bits (the curve's size for ECC and SM2); "" and 0 for others.
func algorithm(pub crypto.PublicKey) (string, int) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		if sm2.IsSM2PublicKey(k) {
			return "SM2", 256
		}
		return "ECC", k.Curve.Params().BitSize
	}
	return "", 0
}

// describe names a public key for a message: "RSA 2048-bit", "ECC P-256", "SM2 256-bit".
func describe(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d-bit", k.N.BitLen())
	case *ecdsa.PublicKey:
		if sm2.IsSM2PublicKey(k) {
			return "SM2 256-bit"
		}
		return "ECC " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	case nil:
		return "unknown"
	}
	return fmt.Sprintf("%T", pub)
}

func describePrivate(key crypto.PrivateKey) string {
	if pub := publicOf(key); pub != nil {
		return describe(pub)
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", key), "*")
}

// matchFinding is R-41 for a certificate field and its key field.
func matchFinding(certField, keyField string, cert *smx509.Certificate, key crypto.PrivateKey) *domains.Finding {
	if keyMatches(cert, key) {
		return nil
	}
	certKey, privKey := describe(cert.PublicKey), describePrivate(key)
	why := fmt.Sprintf("The certificate in %s has an %s key, but %s is an %s key: it belongs to another certificate (R-41).", certField, certKey, keyField, privKey)
	if certKey == privKey {
		why = fmt.Sprintf("Both are %s keys, but %s is not the key of the certificate in %s (their public keys differ): it belongs to another certificate, or the certificate was reissued with a new key (R-41).", certKey, keyField, certField)
	}
	f := errorf("R-41", keyField, -1, "The certificate and private key do not match.",
		"%s Give the key the CSR was made with; `openssl x509 -noout -pubkey -in cert.pem | openssl md5` and `openssl pkey -pubout -in key.pem | openssl md5` must print the same value.", why)
	return &f
}

// supportedFinding: the service's algorithms are RSA, ECC and SM2.
func supportedFinding(field string, cert *smx509.Certificate) *domains.Finding {
	if alg, _ := algorithm(cert.PublicKey); alg != "" {
		return nil
	}
	f := errorf("R-41", field, 0, fmt.Sprintf("The certificate has an %s key, which the service does not take.", describe(cert.PublicKey)),
		"The service's key algorithms are RSA, ECC and SM2 (its Algorithm values, R-41). Get a certificate for an RSA or ECC key.")
	return &f
}
