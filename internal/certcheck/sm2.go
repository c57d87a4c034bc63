package certcheck

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// SM2 dual certificates: a signing certificate with its key and an encryption certificate
// with its key, uploaded together in SignCert/SignPrivateKey and EncryptCert/EncryptPrivateKey.
// The service ignores those four when Cert and Key are set (cas-certs.md, UploadUserCertificate).

// sm2Pair is one of the two pairs, as read.
type sm2Pair struct {
	certField, keyField string
	leaf                *smx509.Certificate // nil when not given or unreadable
	key                 crypto.PrivateKey   // nil when not given or unreadable
}

// checkSM2 applies R-44 to the four SM2 fields; it answers the signing certificate, whose facts
// are the certificate's, when it is readable.
func checkSM2(in Input, given func(field, value string) bool, standard bool) (*smx509.Certificate, domains.Findings) {
	values := map[string]string{
		FieldSignCertificate: in.SignCertificate, FieldSignPrivateKey: in.SignPrivateKey,
		FieldEncryptCertificate: in.EncryptCertificate, FieldEncryptPrivateKey: in.EncryptPrivateKey,
	}
	order := []string{FieldSignCertificate, FieldSignPrivateKey, FieldEncryptCertificate, FieldEncryptPrivateKey}
	first := ""
	for _, f := range order {
		if given(f, values[f]) && first == "" {
			first = f
		}
	}
	if first == "" {
		return nil, nil
	}
	var fs domains.Findings
	if standard {
		fs = append(fs, errorf("R-44", first, -1, "SM2 pairs and certificate/private_key are both set.",
			"An upload is either one certificate with its private key, or SM2's two pairs (R-44); the service ignores the SM2 fields when certificate and private_key are set (UploadUserCertificate). Set only one of the two."))
	}
	for _, f := range order {
		if !standard && !given(f, values[f]) {
			fs = append(fs, errorf("R-44", f, -1, fmt.Sprintf("%s is missing.", capital(info(f).noun)),
				"SM2 certificates are uploaded as two pairs: the signing certificate with its private key, and the encryption certificate with its private key, each pair matching (R-44). Give %s as well.", f))
		}
	}
	sign := readSM2Pair(FieldSignCertificate, FieldSignPrivateKey, in.SignCertificate, in.SignPrivateKey, in.Now, &fs)
	enc := readSM2Pair(FieldEncryptCertificate, FieldEncryptPrivateKey, in.EncryptCertificate, in.EncryptPrivateKey, in.Now, &fs)
	fs = append(fs, pairFindings(sign, enc)...)
	return sign.leaf, fs
}

// readSM2Pair parses one pair: the certificate field (a chain checked like certificate's, R-43)
// and the key, each SM2.
func readSM2Pair(certField, keyField, certText, keyText string, now time.Time, fs *domains.Findings) sm2Pair {
	p := sm2Pair{certField: certField, keyField: keyField}
	if certText != "" {
		certs, f := Parse(certField, certText)
		*fs = append(*fs, f...)
		order, misplaced := checkOrder(place(certField, certs))
		*fs = append(*fs, order...)
		switch {
		case len(certs) == 0, misplaced:
		default:
			if !sm2.IsSM2PublicKey(certs[0].PublicKey) {
				*fs = append(*fs, errorf("R-44", certField, 0, fmt.Sprintf("%s is not an SM2 certificate.", capital(info(certField).noun)),
					"Its key is %s; the SM2 fields take SM2 certificates only (R-44). Upload an RSA or ECC certificate with certificate and private_key instead.", describe(certs[0].PublicKey)))
			} else {
				p.leaf = certs[0]
			}
			*fs = append(*fs, CheckDates(certField, certs[0], now)...)
			*fs = append(*fs, checkIssuerDates(place(certField, certs)[1:], now)...)
		}
	}
	if keyText != "" {
		key, f := ParsePrivateKey(keyField, keyText)
		*fs = append(*fs, f...)
		if key != nil {
			if _, ok := key.(*sm2.PrivateKey); !ok {
				*fs = append(*fs, errorf("R-44", keyField, -1, fmt.Sprintf("%s is not an SM2 key.", capital(info(keyField).noun)),
					"It is an %s key; the SM2 fields take SM2 keys only (R-44).", describePrivate(key)))
			} else {
				p.key = key
			}
		}
	}
	return p
}

// pairFindings: each pair matches. A key that matches the other pair's certificate, or
// certificates whose key usages are the other pair's, mean that keys, certificates or whole
// pairs were swapped; the finding says which.
func pairFindings(sign, enc sm2Pair) domains.Findings {
	if sign.leaf != nil && enc.leaf != nil && bytes.Equal(sign.leaf.Raw, enc.leaf.Raw) {
		return domains.Findings{errorf("R-44", FieldEncryptCertificate, 0, "The signing and encryption certificates are the same certificate.",
			"SM2 uses two certificates with two keys: one for signatures, one for encryption (R-44). Give the encryption certificate the CA issued with the signing one.")}
	}
	matches := func(c *smx509.Certificate, k crypto.PrivateKey) bool { return c != nil && k != nil && keyMatches(c, k) }
	crossed := matches(enc.leaf, sign.key) && matches(sign.leaf, enc.key)
	roles := sign.leaf != nil && enc.leaf != nil && forEncryption(sign.leaf) && forSigning(enc.leaf)
	switch {
	case crossed && roles:
		return domains.Findings{errorf("R-44", FieldSignCertificate, 0, "The SM2 signing and encryption certificates are swapped.",
			"sign_certificate holds the encryption certificate (its key usage is for encryption, not digitalSignature) and encrypt_certificate the signing one; the keys are in their right places (R-44). Exchange sign_certificate and encrypt_certificate.")}
	case crossed:
		return domains.Findings{errorf("R-44", FieldSignPrivateKey, -1, "The SM2 signing and encryption private keys are swapped.",
			"The key in sign_private_key belongs to the certificate in encrypt_certificate and the key in encrypt_private_key to the one in sign_certificate; each pair must match (R-44). Exchange sign_private_key and encrypt_private_key.")}
	case roles && matches(sign.leaf, sign.key) && matches(enc.leaf, enc.key):
		return domains.Findings{errorf("R-44", FieldSignCertificate, 0, "The SM2 signing and encryption pairs are swapped.",
			"The pair in sign_certificate and sign_private_key is the encryption pair (its certificate's key usage is for encryption, not digitalSignature), and the pair in encrypt_certificate and encrypt_private_key the signing pair (R-44). Exchange the pairs: both certificates and both keys.")}
	}
	var fs domains.Findings
	for _, p := range []struct{ pair, other sm2Pair }{{sign, enc}, {enc, sign}} {
		if p.pair.leaf == nil || p.pair.key == nil || keyMatches(p.pair.leaf, p.pair.key) {
			continue
		}
		if matches(p.other.leaf, p.pair.key) {
			fs = append(fs, errorf("R-44", p.pair.keyField, -1, "The certificate and private key do not match.",
				"The key in %s belongs to the certificate in %s, not to the one in %s: the pairs are mixed up (R-44). Give each certificate its own key.", p.pair.keyField, p.other.certField, p.pair.certField))
			continue
		}
		if f := matchFinding(p.pair.certField, p.pair.keyField, p.pair.leaf, p.pair.key); f != nil {
			f.Rule = "R-44"
			f.Detail += " Each SM2 pair must match (R-44)."
			fs = append(fs, *f)
		}
	}
	if sign.leaf != nil && forEncryption(sign.leaf) {
		fs = append(fs, warnf("R-44", FieldSignCertificate, 0, "The SM2 signing certificate's key usage is for encryption.",
			"Its key usage lacks digitalSignature, so TLS clients cannot verify signatures made with it (R-44). Check that it is the signing certificate of the pair."))
	}
	if enc.leaf != nil && forSigning(enc.leaf) {
		fs = append(fs, warnf("R-44", FieldEncryptCertificate, 0, "The SM2 encryption certificate's key usage is for signatures only.",
			"Its key usage has no keyEncipherment, dataEncipherment or keyAgreement, so TLS clients cannot use it for key exchange (R-44). Check that it is the encryption certificate of the pair."))
	}
	return fs
}

const encryptionUsages = x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment | x509.KeyUsageKeyAgreement

// forEncryption: the key usage is set and allows encryption but not signatures.
func forEncryption(c *smx509.Certificate) bool {
	return c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageDigitalSignature == 0 && c.KeyUsage&encryptionUsages != 0
}

// forSigning: the key usage is set and allows signatures but not encryption.
func forSigning(c *smx509.Certificate) bool {
	return c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageDigitalSignature != 0 && c.KeyUsage&encryptionUsages == 0
}
