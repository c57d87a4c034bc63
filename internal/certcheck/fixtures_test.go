package certcheck

import (
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Fixtures, generated once per test binary from certtest: no key is checked in. Dates are fixed
// around t0 and the checks run at now, so that the date rules are deterministic.

var (
	t0  = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	now = t0.AddDate(0, 0, 10)
)

type fixtureSet struct {
	root, inter1, inter2 *certtest.Cert // RSA root → intermediate 1 → intermediate 2
	leaf                 *certtest.Cert // RSA 2048, issued by inter2
	short                *certtest.Cert // RSA 2048, issued by inter1: a three-certificate chain with the root
	other                *certtest.Cert // another RSA 2048 leaf of inter2, with another key
	leaf4096             *certtest.Cert
	leafP256, leafP384   *certtest.Cert
	leafEd25519          *certtest.Cert
	selfSigned           *certtest.Cert
	otherRoot            *certtest.Cert // a root of another CA
	expired, expiring    *certtest.Cert
	future, long         *certtest.Cert
	expiredInter         *certtest.Cert // an intermediate of root that expired before now
	sm2, sm2b            *certtest.SM2Dual
}

var (
	fxOnce sync.Once
	fx     *fixtureSet
)

func fixtures(tb testing.TB) *fixtureSet {
	tb.Helper()
	fxOnce.Do(func() {
		ca := func(slot int) certtest.Spec {
			return certtest.Spec{NotBefore: t0.AddDate(-1, 0, 0), NotAfter: t0.AddDate(5, 0, 0), Key: certtest.CachedKey(tb, certtest.RSA2048, slot)}
		}
		leaf := func(cn string, kt certtest.KeyType, slot int) certtest.Spec {
			s := certtest.Spec{CommonName: cn, DNSNames: []string{cn}, NotBefore: t0, NotAfter: t0.AddDate(0, 0, 90)}
			if kt == certtest.RSA2048 || kt == certtest.RSA4096 {
				s.Key = certtest.CachedKey(tb, kt, slot)
			} else {
				s.KeyType = kt
			}
			return s
		}
		s := &fixtureSet{}
		rootSpec := ca(10)
		rootSpec.CommonName = "certcheck Test Root"
		s.root = certtest.NewRoot(tb, rootSpec)
		i1 := ca(11)
		i1.CommonName = "certcheck Intermediate 1"
		s.inter1 = s.root.Intermediate(tb, i1)
		i2 := ca(12)
		i2.CommonName = "certcheck Intermediate 2"
		s.inter2 = s.inter1.Intermediate(tb, i2)
		ls := leaf("www.example.com", certtest.RSA2048, 0)
		ls.DNSNames = []string{"www.example.com", "API.Example.com", "www.example.com.", "api.example.com"}
		ls.IPAddresses = []net.IP{net.ParseIP("203.0.113.7"), net.ParseIP("2001:db8::1")}
		ls.Serial, _ = new(big.Int).SetString("06ea4879591ddf84e6c8b6ba43607ccf", 16)
		s.leaf = s.inter2.Leaf(tb, ls)
		s.other = s.inter2.Leaf(tb, leaf("other.example.com", certtest.RSA2048, 1))
		s.short = s.inter1.Leaf(tb, leaf("short.example.com", certtest.RSA2048, 2))
		s.leaf4096 = s.inter2.Leaf(tb, leaf("big.example.com", certtest.RSA4096, 0))
		s.leafP256 = s.inter2.Leaf(tb, leaf("p256.example.com", certtest.P256, 0))
		s.leafP384 = s.inter2.Leaf(tb, leaf("p384.example.com", certtest.P384, 0))
		s.leafEd25519 = s.inter2.Leaf(tb, leaf("ed.example.com", certtest.Ed25519, 0))
		s.selfSigned = certtest.SelfSigned(tb, leaf("self.example.com", certtest.P256, 0))
		or := ca(13)
		or.CommonName = "Another Root"
		s.otherRoot = certtest.NewRoot(tb, or)
		dated := func(cn string, from, to time.Time) *certtest.Cert {
			sp := leaf(cn, certtest.RSA2048, 0)
			sp.NotBefore, sp.NotAfter = from, to
			return s.inter2.Leaf(tb, sp)
		}
		s.expired = dated("expired.example.com", t0.AddDate(0, -3, 0), now.Add(-time.Hour))
		s.expiring = dated("expiring.example.com", t0, now.AddDate(0, 0, 10))
		s.future = dated("future.example.com", now.AddDate(0, 0, 2), now.AddDate(0, 0, 92))
		s.long = dated("long.example.com", t0, t0.AddDate(0, 0, 398))
		ei := ca(14)
		ei.CommonName = "Expired Intermediate"
		ei.NotAfter = now.AddDate(0, 0, -1)
		s.expiredInter = s.root.Intermediate(tb, ei)
		sm := certtest.Spec{CommonName: "sm2.example.com", DNSNames: []string{"sm2.example.com"}, NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)}
		s.sm2 = certtest.NewSM2Dual(tb, sm)
		s.sm2b = certtest.NewSM2Dual(tb, sm)
		fx = s
	})
	if fx == nil {
		tb.Fatal("fixtures failed")
	}
	return fx
}

// want is a finding as tests compare it.
type want struct {
	sev   domains.Severity
	rule  string
	field string
	index int
}

func (w want) String() string {
	sev := "error"
	if w.sev == domains.Warning {
		sev = "warning"
	}
	return fmt.Sprintf("%s %s %s[%d]", sev, w.rule, w.field, w.index)
}

func e(rule, field string, index int) want { return want{domains.Error, rule, field, index} }
func w(rule, field string, index int) want { return want{domains.Warning, rule, field, index} }

func summarize(fs domains.Findings) []want {
	out := []want{}
	for _, f := range fs {
		out = append(out, want{f.Severity, f.Rule, f.Value, f.Index})
	}
	return out
}

// sameFindings compares findings with wants, order included.
func sameFindings(fs domains.Findings, ws ...want) bool {
	if ws == nil {
		ws = []want{}
	}
	return fmt.Sprint(summarize(fs)) == fmt.Sprint(ws)
}

func render(fs domains.Findings) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %v: %s | %s\n", want{f.Severity, f.Rule, f.Value, f.Index}, f.Summary, f.Detail)
	}
	return b.String()
}

// Text transformations that must not change the meaning of PEM.

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// rewrap re-encodes every PEM block of s with base64 lines of width columns (0: one line).
func rewrap(s string, width int) string {
	var b strings.Builder
	rest := []byte(s)
	for {
		blk, r := pem.Decode(rest)
		if blk == nil {
			return b.String()
		}
		rest = r
		body := base64.StdEncoding.EncodeToString(blk.Bytes)
		b.WriteString("-----BEGIN " + blk.Type + "-----\n")
		for width > 0 && len(body) > width {
			b.WriteString(body[:width] + "\n")
			body = body[width:]
		}
		b.WriteString(body + "\n-----END " + blk.Type + "-----\n")
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

// Foreign formats, built by hand: enough structure for the detection, nothing more.

var (
	oidData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
)

func contentInfo(tb testing.TB, oid asn1.ObjectIdentifier, inner []byte) asn1.RawValue {
	tb.Helper()
	oidDER, err := asn1.Marshal(oid)
	if err != nil {
		tb.Fatal(err)
	}
	content, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner})
	if err != nil {
		tb.Fatal(err)
	}
	return asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: append(oidDER, content...)}
}

// pkcs12DER is a minimal PFX (RFC 7292): version 3 and an authSafe of type data holding an empty
// OCTET STRING. Real files have bags and a MAC; the detection reads the first bytes only.
func pkcs12DER(tb testing.TB) []byte {
	tb.Helper()
	octets, _ := asn1.Marshal([]byte{})
	der, err := asn1.Marshal(struct {
		Version  int
		AuthSafe asn1.RawValue
	}{3, contentInfo(tb, oidData, octets)})
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

// pkcs12BER is the same PFX with indefinite lengths, as Windows and Java write it.
func pkcs12BER() []byte {
	return []byte{0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
		0xA0, 0x80, 0x24, 0x80, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}
}

// pkcs7DER is a degenerate signedData ContentInfo, the shape of a .p7b bundle.
func pkcs7DER(tb testing.TB) []byte {
	tb.Helper()
	empty, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true})
	der, err := asn1.Marshal(contentInfo(tb, oidSignedData, empty))
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

// jks is the start of a Java keystore: its magic number and version 2.
func jks() []byte {
	return []byte{0xFE, 0xED, 0xFE, 0xED, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01}
}

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}
