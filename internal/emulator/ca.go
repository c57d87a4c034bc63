package emulator

import (
	"crypto"
	"crypto/ecdsa"
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
	"time"
)

// The emulated certificate authority: one ECDSA P-256 root for the process and, under it, one
// intermediate per brand (DigiCert, GeoTrust, GlobalSign, CFCA), created on first use. Orders are
// issued by the intermediate of their brand, so a purchased certificate's Issuer names the brand
// as the service's do. Nothing here is trusted anywhere: every name says "Emulated".
//
// The CA adds no names to an order's domains. R-10 (some brands add the base domain to a wildcard
// or www name) and R-11 (Entrust adds www.) depend on the registrable domain and on brands the
// emulator does not sell, so the certificate holds exactly the domains applied for.

// caValidity bounds the root and intermediates: wide enough for any emulated clock.
var (
	caNotBefore = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	caNotAfter  = time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC)
)

// caIssuer is one signing certificate and its key.
type caIssuer struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string
}

// emulatedCA is the process's root and its per-brand intermediates.
type emulatedCA struct {
	mu    sync.Mutex
	root  *caIssuer
	inter map[string]*caIssuer // by brand display name
}

var (
	theCAOnce sync.Once
	theCA     *emulatedCA
	theCAErr  error
)

// processCA returns the process's CA, creating the root on first use.
func processCA() (*emulatedCA, error) {
	theCAOnce.Do(func() {
		var root *caIssuer
		root, theCAErr = newCAIssuer("Emulated CAS Root CA", "CAS Emulator", nil)
		theCA = &emulatedCA{root: root, inter: map[string]*caIssuer{}}
	})
	return theCA, theCAErr
}

// newCAIssuer creates a CA certificate signed by parent, or self-signed when parent is nil.
func newCAIssuer(cn, org string, parent *caIssuer) (*caIssuer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{org}, Country: []string{"US"}},
		NotBefore:             caNotBefore,
		NotAfter:              caNotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	signer, signerCert := crypto.Signer(key), tmpl
	if parent != nil {
		signer, signerCert = parent.key, parent.cert
		tmpl.MaxPathLenZero = true
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signer)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &caIssuer{cert: cert, key: key, pem: encodePEM("CERTIFICATE", der)}, nil
}

// intermediate returns the brand's issuing CA, creating it on first use.
func (ca *emulatedCA) intermediate(brand, certType string) (*caIssuer, error) {
	name := fmt.Sprintf("Emulated %s %s TLS CA", brand, certType)
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if in, ok := ca.inter[name]; ok {
		return in, nil
	}
	in, err := newCAIssuer(name, brand, ca.root)
	if err != nil {
		return nil, err
	}
	ca.inter[name] = in
	return in, nil
}

// leafRequest is what the CA needs to issue one certificate.
type leafRequest struct {
	Brand     string // issuer organisation, e.g. "DigiCert"
	CertType  string // DV, OV, EV (FREE is issued as DV)
	Domains   []string
	Company   string // subject O for OV/EV
	PublicKey any
	NotBefore time.Time
	NotAfter  time.Time
}

// issueLeaf signs a server certificate: CN is the first domain, the SANs are the domains. It
// returns the leaf PEM and the chain PEM (the intermediate; roots are not sent).
func issueLeaf(req leafRequest) (leafPEM, chainPEM string, err error) {
	ca, err := processCA()
	if err != nil {
		return "", "", err
	}
	if len(req.Domains) == 0 {
		return "", "", fmt.Errorf("no domains to issue for")
	}
	certType := req.CertType
	if certType == "FREE" {
		certType = "DV"
	}
	in, err := ca.intermediate(req.Brand, certType)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: req.Domains[0]},
		NotBefore:    req.NotBefore,
		NotAfter:     req.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if _, isRSA := req.PublicKey.(*rsa.PublicKey); isRSA {
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	if certType != "DV" && req.Company != "" {
		tmpl.Subject.Organization = []string{req.Company}
		tmpl.Subject.Country = []string{"CN"}
	}
	for _, d := range issuedNames(req.Brand, req.Domains) {
		if ip := net.ParseIP(d); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, d)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, in.cert, req.PublicKey, in.key)
	if err != nil {
		return "", "", err
	}
	return encodePEM("CERTIFICATE", der), in.pem, nil
}

// generateKeyAndCSR makes the key pair and CSR of a system-generated application: RSA 2048,
// the service's default, with the first domain as CN and every domain as a SAN. The key is
// PKCS#1 PEM, as the service hands it out ("BEGIN RSA PRIVATE KEY").
func generateKeyAndCSR(domains []string) (keyPEM, csrPEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.CertificateRequest{Subject: pkix.Name{CommonName: domains[0]}}
	for _, d := range domains {
		if ip := net.ParseIP(d); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, d)
		}
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		return "", "", err
	}
	return encodePEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)), encodePEM("CERTIFICATE REQUEST", der), nil
}

// randomSerial is a positive 128-bit serial number.
func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n.Add(n, big.NewInt(1))
}

// encodePEM is one PEM block as a string.
func encodePEM(blockType string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}))
}

// joinPEM concatenates PEM texts, one block after another.
func joinPEM(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString(p)
			b.WriteString("\n")
		}
	}
	return b.String()
}
