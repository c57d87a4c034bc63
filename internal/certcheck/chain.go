package certcheck

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// placed is a certificate and where it was given.
type placed struct {
	cert  *smx509.Certificate
	field string
	index int
}

func place(field string, certs []*smx509.Certificate) []placed {
	out := make([]placed, len(certs))
	for i, c := range certs {
		out[i] = placed{cert: c, field: field, index: i}
	}
	return out
}

// links remembers which certificate issued which, so that each signature is verified once.
type links map[[2]*smx509.Certificate]error

// issued reports whether parent issued child: child's issuer is parent's subject and parent's
// key verifies child's signature. A signature with an algorithm Go no longer trusts (SHA-1, as
// on old cross-signed roots) counts as a link when the names match: the order is what is
// checked here, not the algorithms.
func (l links) issued(parent, child *smx509.Certificate) error {
	k := [2]*smx509.Certificate{parent, child}
	if err, ok := l[k]; ok {
		return err
	}
	var err error
	if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
		err = errNames
	} else if err = child.CheckSignatureFrom(parent); errors.As(err, new(x509.InsecureAlgorithmError)) {
		err = nil
	}
	l[k] = err
	return err
}

var errNames = errors.New("names differ")

// CheckChain applies R-43 to the certificates of the certificate field followed by those of the
// chain field: the server certificate first, then each certificate followed by the one that
// issued it (issuer name and signature); a root at the end is fine, none is needed. It reports a
// certificate given twice, a chain out of order with the order that works, and a certificate
// that does not link to the one before it (a missing intermediate, or one of another chain).
func CheckChain(certificate, chain []*smx509.Certificate) domains.Findings {
	fs, _ := checkOrder(append(place(FieldCertificate, certificate), place(FieldChain, chain)...))
	return fs
}

// checkOrder also reports whether the first certificate is not the server certificate (another
// one comes first in the order that works): the checks of the server certificate are then about
// the wrong one and are left until the order is fixed.
func checkOrder(certs []placed) (domains.Findings, bool) {
	if len(certs) < 2 {
		return nil, false
	}
	var fs domains.Findings
	var uniq []placed
	for i, c := range certs {
		dup := -1
		for j := range i {
			if bytes.Equal(certs[j].cert.Raw, c.cert.Raw) {
				dup = j
				break
			}
		}
		if dup < 0 {
			uniq = append(uniq, c)
			continue
		}
		d := certs[dup]
		fs = append(fs, errorf("R-43", c.field, c.index, fmt.Sprintf("The certificate %s is given twice.", subject(c.cert)),
			"Certificate %d of %s is the same as certificate %d of %s; each certificate of the chain appears once, in order (R-43). Remove one of them (intermediates go either after the server certificate in certificate, or in certificate_chain, not both).",
			c.index+1, c.field, d.index+1, d.field))
	}
	l := links{}
	broken := -1
	for i := 0; i+1 < len(uniq); i++ {
		if l.issued(uniq[i+1].cert, uniq[i].cert) != nil {
			broken = i
			break
		}
	}
	if broken < 0 {
		return fs, false
	}
	if order := l.order(uniq); order != nil {
		return append(fs, outOfOrder(uniq, order)), order[0].cert != uniq[0].cert
	}
	return append(fs, brokenLink(l, uniq[broken], uniq[broken+1])), false
}

// order finds the order in which every certificate is followed by its issuer, starting from the
// server certificate: the first certificate when it issued none of the others, or else the one
// certificate that issued none. It answers nil when no such order uses them all.
func (l links) order(certs []placed) []placed {
	issuesAnother := func(p placed) bool {
		for _, c := range certs {
			if c.cert != p.cert && l.issued(p.cert, c.cert) == nil {
				return true
			}
		}
		return false
	}
	var leaves []placed
	for _, c := range certs {
		if !issuesAnother(c) {
			leaves = append(leaves, c)
		}
	}
	if len(leaves) != 1 {
		return nil
	}
	out := []placed{leaves[0]}
	used := map[*smx509.Certificate]bool{leaves[0].cert: true}
	for len(out) < len(certs) {
		cur := out[len(out)-1].cert
		next := -1
		for i, c := range certs {
			if !used[c.cert] && l.issued(c.cert, cur) == nil {
				next = i
				break
			}
		}
		if next < 0 {
			return nil
		}
		out = append(out, certs[next])
		used[certs[next].cert] = true
	}
	return out
}

// outOfOrder names the first certificate out of place and the whole order that works.
func outOfOrder(given, order []placed) domains.Finding {
	k := 0
	for k < len(order) && order[k].cert == given[k].cert {
		k++
	}
	move := order[k]
	var want strings.Builder
	for i, p := range order {
		if i > 0 {
			want.WriteString(", ")
		}
		fmt.Fprintf(&want, "%d. %s", i+1, subject(p.cert))
	}
	put := fmt.Sprintf("Put the server certificate, whose subject is %s, first.", subject(move.cert))
	if given[0].field == FieldChain {
		put = fmt.Sprintf("Put the certificate whose subject is %s first: it issued none of the others.", subject(move.cert))
	}
	if k > 0 {
		put = fmt.Sprintf("Put the certificate whose subject is %s right after %s, which it issued.", subject(move.cert), subject(order[k-1].cert))
	}
	fields := given[0].field
	if last := given[len(given)-1].field; last != fields {
		fields += " followed by " + last
	}
	return errorf("R-43", move.field, move.index, "The certificate chain is out of order.",
		"The server certificate comes first, then each certificate is followed by the one that issued it, up to the root if it is included (R-43); clients given another order may fail to build the chain. %s The order that works (%s) is: %s.",
		put, fields, want.String())
}

// brokenLink explains why next did not issue cur, when no order of the certificates works.
func brokenLink(l links, cur, next placed) domains.Finding {
	err := l.issued(next.cert, cur.cert)
	reason := fmt.Sprintf("its issuer is %s, not %s", issuerName(cur.cert), subject(next.cert))
	if !errors.Is(err, errNames) {
		reason = fmt.Sprintf("the names match but the signature does not verify (%v)", err)
	}
	fix := "A certificate between them is missing (add the intermediate that issued it, from the CA's bundle), or the certificate does not belong to this chain (remove it)."
	if cur.field == FieldCertificate && next.field == FieldChain && next.index == 0 {
		return errorf("R-43", next.field, next.index, "The first certificate of certificate_chain did not issue the last certificate of certificate.",
			"certificate_chain continues the chain of certificate: its first certificate must be the issuer of the last certificate in certificate (R-43). Certificate %d of certificate (%s) was not issued by %s: %s. %s",
			cur.index+1, subject(cur.cert), subject(next.cert), reason, fix)
	}
	return errorf("R-43", next.field, next.index, fmt.Sprintf("The certificate %s did not issue the certificate before it.", subject(next.cert)),
		"Each certificate must be followed by the one that issued it (R-43). Certificate %d of %s (%s) was not issued by certificate %d of %s (%s): %s. %s",
		cur.index+1, cur.field, subject(cur.cert), next.index+1, next.field, subject(next.cert), reason, fix)
}

// subject names a certificate by its subject's Common Name, or its whole subject when it has
// none, quoted.
func subject(c *smx509.Certificate) string {
	if c.Subject.CommonName != "" {
		return fmt.Sprintf("%q", c.Subject.CommonName)
	}
	return fmt.Sprintf("%q", c.Subject.String())
}

func issuerName(c *smx509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return fmt.Sprintf("%q", c.Issuer.CommonName)
	}
	return fmt.Sprintf("%q", c.Issuer.String())
}
