package emulator

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Test support for the business actions: calling an action directly, reading its answer as the
// wire JSON, and making certificates, keys and CSRs with crypto/x509 (and gmsm for SM2).

const testAccountID = "1234567890123456"

// testEpoch is the emulated "now" the business tests start from.
var testEpoch = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// wire is an action's answer as the client would decode it (numbers kept exact).
type wire map[string]any

// bizCall runs a registered action of a version against s at now and returns its answer as JSON.
func bizCallVersion(t *testing.T, s *State, now time.Time, version, action string, params map[string]string) (wire, *APIError) {
	t.Helper()
	fn, ok := lookupAction(version, action)
	if !ok {
		t.Fatalf("action %s/%s is not registered", version, action)
	}
	if params == nil {
		params = map[string]string{}
	}
	result, apiErr := fn(&Call{Action: action, Version: version, Params: params, Now: now, State: s,
		AccountID: testAccountID, RegionID: "cn-hangzhou", RequestID: "TEST-REQUEST"})
	if apiErr != nil {
		return nil, apiErr
	}
	raw, err := json.Marshal(result)
	if err != nil {
		t.Fatalf("%s answered a value that does not marshal: %v", action, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out wire
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("%s answered %s, not a JSON object: %v", action, raw, err)
	}
	return out, nil
}

func bizCall(t *testing.T, s *State, now time.Time, action string, params map[string]string) (wire, *APIError) {
	t.Helper()
	return bizCallVersion(t, s, now, casVersion, action, params)
}

// mustCall runs an action that must succeed.
func mustCall(t *testing.T, s *State, now time.Time, action string, params map[string]string) wire {
	t.Helper()
	out, apiErr := bizCall(t, s, now, action, params)
	if apiErr != nil {
		t.Fatalf("%s: %v", action, apiErr)
	}
	return out
}

// wantAPIError checks an error's status and code and, when given, a piece of its message.
func wantAPIError(t *testing.T, apiErr *APIError, status int, code, msgPart string) {
	t.Helper()
	switch {
	case apiErr == nil:
		t.Fatalf("no error; want %d %s", status, code)
	case apiErr.HTTPStatus != status || apiErr.Code != code:
		t.Fatalf("error %v; want %d %s", apiErr, status, code)
	case msgPart != "" && !strings.Contains(apiErr.Message, msgPart):
		t.Fatalf("message %q does not contain %q", apiErr.Message, msgPart)
	}
}

// jsonKind is the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// wantKinds checks the JSON type of fields; "absent" means the field must not be there.
func wantKinds(t *testing.T, obj map[string]any, kinds map[string]string) {
	t.Helper()
	for field, want := range kinds {
		v, present := obj[field]
		got := jsonKind(v)
		if !present {
			got = "absent"
		}
		if got != want {
			t.Errorf("%s is %s (%v); want %s", field, got, v, want)
		}
	}
}

func (w wire) int64(t *testing.T, field string) int64 {
	t.Helper()
	n, ok := w[field].(json.Number)
	if !ok {
		t.Fatalf("%s is %v, not a number", field, w[field])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (w wire) list(t *testing.T, field string) []map[string]any {
	t.Helper()
	raw, ok := w[field].([]any)
	if !ok {
		t.Fatalf("%s is %v, not an array", field, w[field])
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

func idString(n int64) string { return strconv.FormatInt(n, 10) }

var (
	rsaOnce sync.Once
	rsaKeys [2]*rsa.PrivateKey
)

// testRSAKey is one of two RSA 2048 keys made once per test binary (key generation is slow).
func testRSAKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		for j := range rsaKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			rsaKeys[j] = k
		}
	})
	return rsaKeys[i]
}

func testECKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// certSpec describes a test certificate.
type certSpec struct {
	cn        string
	sans      []string
	org       string
	notBefore time.Time
	notAfter  time.Time
	key       crypto.Signer // the certificate's key
	parent    *x509.Certificate
	parentKey crypto.Signer // nil: self-signed
	isCA      bool
}

// makeCert signs a certificate (SM2 keys through smx509) and returns it with its PEM.
func makeCert(t *testing.T, sp certSpec) (*x509.Certificate, string) {
	t.Helper()
	if sp.notBefore.IsZero() {
		sp.notBefore = testEpoch.Add(-24 * time.Hour)
	}
	if sp.notAfter.IsZero() {
		sp.notAfter = testEpoch.Add(200 * 24 * time.Hour)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: sp.cn}, DNSNames: sp.sans,
		NotBefore: sp.notBefore, NotAfter: sp.notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: sp.isCA, IsCA: sp.isCA,
	}
	if sp.isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if sp.org != "" {
		tmpl.Subject.Organization, tmpl.Subject.Country = []string{sp.org}, []string{"CN"}
	}
	parent, signer := tmpl, sp.key
	if sp.parent != nil {
		parent, signer = sp.parent, sp.parentKey
	}
	var der []byte
	var err error
	if _, isSM2 := sp.key.(*sm2.PrivateKey); isSM2 {
		der, err = smx509.CreateCertificate(rand.Reader, tmpl, parent, sp.key.Public(), signer)
	} else {
		der, err = x509.CreateCertificate(rand.Reader, tmpl, parent, sp.key.Public(), signer)
	}
	if err != nil {
		t.Fatal(err)
	}
	cert, err := smx509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert.ToX509(), encodePEM("CERTIFICATE", der)
}

// keyPEM encodes a key: PKCS#1 for RSA, SEC 1 for EC and SM2 (format "pkcs8" for PKCS#8).
func keyPEM(t *testing.T, key any, format string) string {
	t.Helper()
	if format == "pkcs8" {
		der, err := smx509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return encodePEM("PRIVATE KEY", der)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return encodePEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return encodePEM("EC PRIVATE KEY", der)
	case *sm2.PrivateKey:
		der, err := smx509.MarshalSM2PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return encodePEM("EC PRIVATE KEY", der)
	}
	t.Fatalf("unsupported key %T", key)
	return ""
}

// leafWithKey is a self-signed RSA certificate for cn and its PKCS#1 key.
func leafWithKey(t *testing.T, cn string, notAfter time.Time) (certPEM, key string) {
	t.Helper()
	k := testRSAKey(t, 0)
	_, certPEM = makeCert(t, certSpec{cn: cn, sans: []string{cn}, key: k, notAfter: notAfter})
	return certPEM, keyPEM(t, k, "")
}

// makeCSR is a PEM CSR for cn (and SANs) signed by key.
func makeCSR(t *testing.T, key crypto.Signer, cn string, sans ...string) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}, DNSNames: sans}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// uploadCert uploads a certificate valid until notAfter and returns its CertId.
func uploadCert(t *testing.T, s *State, now time.Time, name, cn string, notAfter time.Time) int64 {
	t.Helper()
	certPEM, key := leafWithKey(t, cn, notAfter)
	out := mustCall(t, s, now, "UploadUserCertificate", map[string]string{"Name": name, "Cert": certPEM, "Key": key})
	return out.int64(t, "CertId")
}

// issuedOrder buys one certificate of the given specification for domain through
// CreateCertificateForPackageRequest, approves its validation and has the CA issue it; it answers
// the order id and the issued certificate's id.
func issuedOrder(t *testing.T, s *State, now time.Time, code, domain string) (orderID, certID int64) {
	t.Helper()
	if p, ok := s.Packages[code]; !ok || p == nil {
		s.Packages[code] = &Package{ProductCode: code, TotalCount: 10}
	} else {
		p.TotalCount++
	}
	out := mustCall(t, s, now, "CreateCertificateForPackageRequest", map[string]string{
		"ProductCode": code, "Domain": domain, "Username": "Ops", "Phone": "13800000000", "Email": "ops@example.com",
	})
	orderID = out.int64(t, "OrderId")
	o, ok := orderByID(s, orderID)
	if !ok {
		t.Fatalf("order %d not recorded", orderID)
	}
	o.Status, o.ProcessAt = orderProcess, now
	if err := issueOrder(s, o, now); err != nil {
		t.Fatalf("issue order %d: %v", orderID, err)
	}
	return orderID, o.CertID
}
