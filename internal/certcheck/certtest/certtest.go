// Package certtest builds certificates and private keys for tests: a root CA, intermediates and
// leaves with the names, dates and key type a test asks for, their keys in the PEM encodings users
// upload (PKCS #1, PKCS #8, SEC 1, and two encrypted forms), and SM2 dual pairs.
//
// Test-only helpers. certcheck's tests and the resources' acceptance tests use it; nothing else
// should. Every key is generated in memory when a test runs (no key is checked in), and nothing
// here is fit for real use: the encrypted forms use the fixed Password.
package certtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/pkcs8"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// KeyType is a kind of key pair.
type KeyType string

// Key types. RSA and ECC are what the service calls "international" algorithms; SM2 is the
// Chinese national one; Ed25519 is here to test that it is refused.
const (
	RSA2048 KeyType = "RSA2048"
	RSA4096 KeyType = "RSA4096"
	P256    KeyType = "P256"
	P384    KeyType = "P384"
	SM2     KeyType = "SM2"
	Ed25519 KeyType = "Ed25519"
)

// NewKey generates a fresh key pair.
func NewKey(tb testing.TB, kt KeyType) crypto.Signer {
	tb.Helper()
	var (
		key crypto.Signer
		err error
	)
	switch kt {
	case RSA2048:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case RSA4096:
		key, err = rsa.GenerateKey(rand.Reader, 4096)
	case P256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case P384:
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case SM2:
		key, err = sm2.GenerateKey(rand.Reader)
	case Ed25519:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	default:
		err = fmt.Errorf("unknown key type %q", kt)
	}
	if err != nil {
		tb.Fatalf("certtest: generate %s key: %v", kt, err)
	}
	return key
}

var (
	cacheMu sync.Mutex
	cache   = map[string]crypto.Signer{}
)

// CachedKey is the same key for the same type and slot throughout one test binary, so that tests
// needing several RSA keys do not generate them again and again. Tests that need distinct keys
// use distinct slots.
func CachedKey(tb testing.TB, kt KeyType, slot int) crypto.Signer {
	tb.Helper()
	id := fmt.Sprintf("%s/%d", kt, slot)
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if k, ok := cache[id]; ok {
		return k
	}
	k := NewKey(tb, kt)
	cache[id] = k
	return k
}

// Spec describes a certificate to make. Zero fields take defaults: a fresh RSA 2048 key, a random
// serial, and validity from an hour ago to 90 days later (five years for a CA).
type Spec struct {
	CommonName   string
	Organization string
	DNSNames     []string
	IPAddresses  []net.IP
	NotBefore    time.Time
	NotAfter     time.Time
	KeyType      KeyType       // used when Key is nil
	Key          crypto.Signer // the certificate's key pair, e.g. a CachedKey
	Serial       *big.Int
	KeyUsage     x509.KeyUsage // default: by role (CA, TLS server, SM2 encryption)
}

// Cert is a certificate with its private key.
type Cert struct {
	Cert *smx509.Certificate
	Key  crypto.Signer
}

// DER is the certificate's DER encoding.
func (c *Cert) DER() []byte { return c.Cert.Raw }

// PEM is the certificate as one PEM block.
func (c *Cert) PEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw}))
}

// KeyPEM is the certificate's private key in the given format.
func (c *Cert) KeyPEM(tb testing.TB, f KeyFormat) string {
	tb.Helper()
	return KeyPEM(tb, c.Key, f)
}

// Bundle concatenates certificates' PEM in the order given (leaf first for a chain).
func Bundle(certs ...*Cert) string {
	var b strings.Builder
	for _, c := range certs {
		b.WriteString(c.PEM())
	}
	return b.String()
}

// NewRoot makes a self-signed root CA.
func NewRoot(tb testing.TB, spec Spec) *Cert {
	tb.Helper()
	return issue(tb, nil, spec, roleCA)
}

// Intermediate makes a CA certificate issued by c.
func (c *Cert) Intermediate(tb testing.TB, spec Spec) *Cert {
	tb.Helper()
	return issue(tb, c, spec, roleCA)
}

// Leaf makes a TLS server certificate issued by c.
func (c *Cert) Leaf(tb testing.TB, spec Spec) *Cert {
	tb.Helper()
	return issue(tb, c, spec, roleServer)
}

// SelfSigned makes a self-signed TLS server certificate (not a CA).
func SelfSigned(tb testing.TB, spec Spec) *Cert {
	tb.Helper()
	return issue(tb, nil, spec, roleServer)
}

// SM2Dual is an SM2 certificate pair as the service takes it: a signing certificate and
// an encryption certificate for the same names, with their CA.
type SM2Dual struct {
	CA, Sign, Encrypt *Cert
}

// NewSM2Dual makes an SM2 root CA and, issued by it, a signing certificate (digitalSignature) and
// an encryption certificate (keyEncipherment, dataEncipherment, keyAgreement), each with a fresh
// SM2 key. spec gives names and dates; its key fields are ignored.
func NewSM2Dual(tb testing.TB, spec Spec) *SM2Dual {
	tb.Helper()
	ca := NewRoot(tb, Spec{CommonName: "certtest SM2 Root", KeyType: SM2})
	spec.Key, spec.KeyType = nil, SM2
	spec.KeyUsage = x509.KeyUsageDigitalSignature
	sign := issue(tb, ca, spec, roleServer)
	spec.KeyUsage = x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment | x509.KeyUsageKeyAgreement
	enc := issue(tb, ca, spec, roleServer)
	return &SM2Dual{CA: ca, Sign: sign, Encrypt: enc}
}

type role int

const (
	roleCA role = iota
	roleServer
)

func issue(tb testing.TB, parent *Cert, spec Spec, r role) *Cert {
	tb.Helper()
	key := spec.Key
	if key == nil {
		kt := spec.KeyType
		if kt == "" {
			kt = RSA2048
		}
		key = NewKey(tb, kt)
	}
	serial := spec.Serial
	if serial == nil {
		var err error
		if serial, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127)); err != nil {
			tb.Fatalf("certtest: serial: %v", err)
		}
		serial.Add(serial, big.NewInt(1))
	}
	notBefore := spec.NotBefore
	if notBefore.IsZero() {
		notBefore = time.Now().Add(-time.Hour).Truncate(time.Second)
	}
	notAfter := spec.NotAfter
	if notAfter.IsZero() {
		notAfter = notBefore.AddDate(0, 0, 90)
		if r == roleCA {
			notAfter = notBefore.AddDate(5, 0, 0)
		}
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: spec.CommonName},
		DNSNames:     spec.DNSNames,
		IPAddresses:  spec.IPAddresses,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     spec.KeyUsage,
	}
	if spec.Organization != "" {
		tmpl.Subject.Organization = []string{spec.Organization}
	}
	switch r {
	case roleCA:
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		if tmpl.KeyUsage == 0 {
			tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		}
	case roleServer:
		tmpl.BasicConstraintsValid = true
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		if tmpl.KeyUsage == 0 {
			tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
		}
	}
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.Cert.ToX509(), parent.Key
	}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	if err != nil {
		tb.Fatalf("certtest: create certificate %q: %v", spec.CommonName, err)
	}
	cert, err := smx509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("certtest: parse certificate %q: %v", spec.CommonName, err)
	}
	return &Cert{Cert: cert, Key: key}
}

// KeyFormat is a PEM encoding of a private key.
type KeyFormat string

// Key formats. LegacyEncrypted is OpenSSL's traditional encryption (a "Proc-Type: 4,ENCRYPTED"
// header on an RSA or EC PRIVATE KEY block); EncryptedPKCS8 is an "ENCRYPTED PRIVATE KEY" block.
// Both use Password.
const (
	PKCS1           KeyFormat = "PKCS1" // RSA PRIVATE KEY, RSA only
	PKCS8           KeyFormat = "PKCS8" // PRIVATE KEY
	SEC1            KeyFormat = "SEC1"  // EC PRIVATE KEY, ECDSA and SM2 only
	LegacyEncrypted KeyFormat = "LegacyEncrypted"
	EncryptedPKCS8  KeyFormat = "EncryptedPKCS8"
)

// Password protects the encrypted key formats.
const Password = "certtest-password"

// KeyPEM encodes a private key.
func KeyPEM(tb testing.TB, key crypto.Signer, f KeyFormat) string {
	tb.Helper()
	var block *pem.Block
	switch f {
	case PKCS1, SEC1:
		block = traditional(tb, key, f)
	case PKCS8:
		der, err := smx509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			tb.Fatalf("certtest: PKCS #8: %v", err)
		}
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
	case LegacyEncrypted:
		var plain *pem.Block
		if _, ok := key.(*rsa.PrivateKey); ok {
			plain = traditional(tb, key, PKCS1)
		} else {
			plain = traditional(tb, key, SEC1)
		}
		var err error
		//lint:ignore SA1019 the insecure legacy format is exactly what the test needs
		block, err = smx509.EncryptPEMBlock(rand.Reader, plain.Type, plain.Bytes, []byte(Password), smx509.PEMCipherAES256)
		if err != nil {
			tb.Fatalf("certtest: legacy encryption: %v", err)
		}
	case EncryptedPKCS8:
		der, err := pkcs8.MarshalPrivateKey(key, []byte(Password), nil)
		if err != nil {
			tb.Fatalf("certtest: encrypted PKCS #8: %v", err)
		}
		block = &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}
	default:
		tb.Fatalf("certtest: unknown key format %q", f)
	}
	return string(pem.EncodeToMemory(block))
}

// traditional is the algorithm-specific encoding: PKCS #1 for RSA, SEC 1 for ECDSA and SM2.
func traditional(tb testing.TB, key crypto.Signer, f KeyFormat) *pem.Block {
	tb.Helper()
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if f == PKCS1 {
			return &pem.Block{Type: "RSA PRIVATE KEY", Bytes: smx509.MarshalPKCS1PrivateKey(k)}
		}
	case *ecdsa.PrivateKey:
		if f == SEC1 {
			der, err := smx509.MarshalECPrivateKey(k)
			if err != nil {
				tb.Fatalf("certtest: SEC 1: %v", err)
			}
			return &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
		}
	case *sm2.PrivateKey:
		if f == SEC1 {
			der, err := smx509.MarshalSM2PrivateKey(k)
			if err != nil {
				tb.Fatalf("certtest: SEC 1 SM2: %v", err)
			}
			return &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
		}
	}
	tb.Fatalf("certtest: a %T cannot be encoded as %s", key, f)
	return nil
}
