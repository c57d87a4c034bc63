package certcheck

import (
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"strings"

	"github.com/emmansun/gmsm/smx509"
)

// What a field holds when it is not PEM: the formats users are given by CAs, keystores and
// Windows, so that the finding can say what it is and how to convert it.

type foreignKind int

const (
	foreignUnknown foreignKind = iota
	foreignPKCS12
	foreignJKS
	foreignJCEKS
	foreignPKCS7
	foreignCertificate // a DER certificate
	foreignCSR
	foreignKey          // a DER private key, unencrypted
	foreignEncryptedKey // a DER PKCS #8 EncryptedPrivateKeyInfo
	foreignDER          // some other DER structure
)

// foreign is what sniff found.
type foreign struct {
	kind    foreignKind
	base64  bool   // the bytes were base64 text (filebase64(), or a PEM body without its lines)
	binary  bool   // the value holds bytes that are not text
	label   string // the PEM type of the content, for a key or certificate: "RSA PRIVATE KEY"
	problem string // for foreignUnknown text: a hint, or ""
}

// sniff looks at a value that has no PEM block.
func sniff(text string) foreign {
	// Binary content first as it is (trimming could cut a DER structure ending in a byte that
	// looks like white space), then trimmed.
	raw := []byte(strings.TrimSpace(text))
	for _, b := range [][]byte{[]byte(text), raw} {
		if k, label := sniffDER(b); k != foreignUnknown {
			return foreign{kind: k, label: label, binary: true}
		}
	}
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, text)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if der, err := enc.DecodeString(compact); err == nil && len(der) >= 4 {
			if k, label := sniffDER(der); k != foreignUnknown {
				return foreign{kind: k, label: label, base64: true}
			}
		}
	}
	return foreign{kind: foreignUnknown, binary: !isText(raw)}
}

// isText: printable UTF-8 with ordinary white space.
func isText(b []byte) bool {
	for _, r := range string(b) {
		if r == 0xFFFD || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') {
			return false
		}
	}
	return true
}

var (
	magicJKS   = []byte{0xFE, 0xED, 0xFE, 0xED}
	magicJCEKS = []byte{0xCE, 0xCE, 0xCE, 0xCE}
	// id-data and id-signedData, the content types of PKCS #7 (RFC 2315) that PKCS #12 and .p7b
	// files start with, as DER object identifiers (tag, length, value).
	oidDataDER       = []byte{0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01}
	oidSignedDataDER = []byte{0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02}
)

// sniffDER names binary content. PKCS #12 and PKCS #7 are recognised by their first bytes rather
// than parsed, because Windows and Java write them in BER (indefinite lengths), which
// encoding/asn1 refuses.
func sniffDER(b []byte) (foreignKind, string) {
	switch {
	case bytes.HasPrefix(b, magicJKS):
		return foreignJKS, ""
	case bytes.HasPrefix(b, magicJCEKS):
		return foreignJCEKS, ""
	case len(b) < 2 || b[0] != 0x30:
		return foreignUnknown, ""
	case isPKCS12(b):
		return foreignPKCS12, ""
	case isPKCS7(b):
		return foreignPKCS7, ""
	}
	if _, err := smx509.ParseCertificate(b); err == nil {
		return foreignCertificate, "CERTIFICATE"
	}
	if _, err := smx509.ParseCertificateRequest(b); err == nil {
		return foreignCSR, "CERTIFICATE REQUEST"
	}
	if _, err := smx509.ParsePKCS1PrivateKey(b); err == nil {
		return foreignKey, "RSA PRIVATE KEY"
	}
	if _, err := smx509.ParsePKCS8PrivateKey(b); err == nil {
		return foreignKey, "PRIVATE KEY"
	}
	if _, err := smx509.ParseTypedECPrivateKey(b); err == nil {
		return foreignKey, "EC PRIVATE KEY"
	}
	if isEncryptedPKCS8(b) {
		return foreignEncryptedKey, "ENCRYPTED PRIVATE KEY"
	}
	if _, err := asn1.Unmarshal(b, new(asn1.RawValue)); err == nil {
		return foreignDER, ""
	}
	return foreignUnknown, ""
}

// isPKCS12: PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data or signedData), … }
// (RFC 7292).
func isPKCS12(b []byte) bool {
	rest, ok := enterSequence(b)
	if !ok || !bytes.HasPrefix(rest, []byte{0x02, 0x01, 0x03}) {
		return false
	}
	rest, ok = enterSequence(rest[3:])
	return ok && (bytes.HasPrefix(rest, oidDataDER) || bytes.HasPrefix(rest, oidSignedDataDER))
}

// isPKCS7: ContentInfo ::= SEQUENCE { contentType signedData, content [0] … } (RFC 2315), what a
// .p7b certificate bundle is.
func isPKCS7(b []byte) bool {
	rest, ok := enterSequence(b)
	return ok && bytes.HasPrefix(rest, oidSignedDataDER)
}

// enterSequence skips a SEQUENCE's tag and length (definite or indefinite) and returns its
// content.
func enterSequence(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != 0x30 {
		return nil, false
	}
	l := b[1]
	switch {
	case l < 0x80, l == 0x80:
		return b[2:], true
	case l&0x7F <= 4 && len(b) >= 2+int(l&0x7F):
		return b[2+int(l&0x7F):], true
	}
	return nil, false
}

// encryptedPKCS8 is EncryptedPrivateKeyInfo (RFC 5958).
type encryptedPKCS8 struct {
	Algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	EncryptedData []byte
}

// isEncryptedPKCS8 recognises EncryptedPrivateKeyInfo by its algorithm: PKCS #5 (PBES1, PBES2)
// or PKCS #12 password-based encryption.
func isEncryptedPKCS8(b []byte) bool {
	var k encryptedPKCS8
	if rest, err := asn1.Unmarshal(b, &k); err != nil || len(rest) != 0 {
		return false
	}
	oid := k.Algorithm.Algorithm
	pkcs5 := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5}
	pkcs12PBE := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1}
	return hasOIDPrefix(oid, pkcs5) || hasOIDPrefix(oid, pkcs12PBE)
}

func hasOIDPrefix(oid, prefix asn1.ObjectIdentifier) bool {
	return len(oid) > len(prefix) && oid[:len(prefix)].Equal(prefix)
}
