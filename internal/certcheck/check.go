package certcheck

import (
	"slices"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Input is what the user uploads, one string per attribute, as configured.
//
// An empty string means "not given, or not known yet": its checks are skipped, and so are the
// checks between it and the others. In particular an empty PrivateKey skips the key checks (the
// key may come from an unknown value, or be checked elsewhere); pass the key whenever it is known,
// including from a write-only argument. Text that is only white space is given, and is an error.
type Input struct {
	Name string
	// Certificate is the server certificate, optionally followed by its intermediates.
	Certificate string
	// Chain is the optional certificate chain: the intermediates (and the root, for client and
	// server trust), continuing Certificate. The API has no chain parameter: the resource
	// is to upload CanonicalPEM(Certificate) followed by CanonicalPEM(Chain) as Cert, which is
	// also what makes text outside the PEM blocks harmless (a warning here).
	Chain      string
	PrivateKey string
	// The SM2 pairs, instead of Certificate and PrivateKey.
	SignCertificate, SignPrivateKey       string
	EncryptCertificate, EncryptPrivateKey string
	// Unknown lists the fields (Field… names) whose values are not known yet. Like empty fields
	// they are not checked, but they count as given where two fields must come together: with
	// encrypt_private_key unknown, three known SM2 fields are not "a pair missing".
	Unknown []string
	// Now is the time the dates are checked against; the zero time skips the checks that depend
	// on it (expired, expiring, not yet valid).
	Now time.Time
}

// Check applies the upload rules to in and computes the facts known from the PEM.
//
// Each finding's Value is the Field… name of the input field it is about ("certificate",
// "certificate_chain", "private_key", "sign_certificate", …, "name"), so that the resource puts
// the diagnostic on that attribute; Index is the position of the PEM block in that field (0 for
// the first), or -1 when the finding is about the field as a whole. This differs from the domains
// package, where Value is the offending value: here it would be a private key or a whole
// certificate, which must not be repeated in diagnostics.
//
// The rules: name length and Chinese characters; PEM only, and what was given instead
// the order of certificate followed by certificate_chain; the private key readable,
// not encrypted, RSA/ECC/SM2, and matching the server certificate; SM2's two pairs,
// complete, SM2, each matching and not swapped; the dates of the server certificate (R-14,
// ) and of the chain.
//
// Facts are those of the server certificate (the first certificate of Certificate), or of the SM2
// signing certificate when Certificate is empty; nil when neither is readable, or when another
// certificate of the field must come first (R-43: the checks of the server certificate, key
// match and dates, wait until the order is fixed too). Otherwise facts are computed even when
// findings have errors.
func Check(in Input) (*Facts, domains.Findings) {
	unknown := map[string]bool{}
	for _, f := range in.Unknown {
		unknown[f] = true
	}
	given := func(field, value string) bool { return value != "" || unknown[field] }

	fs := CheckName(in.Name)
	var facts *Facts
	var certs, chain []*smx509.Certificate
	if in.Certificate != "" {
		var f domains.Findings
		certs, f = Parse(FieldCertificate, in.Certificate)
		fs = append(fs, f...)
	}
	if in.Chain != "" {
		var f domains.Findings
		chain, f = Parse(FieldChain, in.Chain)
		fs = append(fs, f...)
	}
	var key any
	if in.PrivateKey != "" {
		var f domains.Findings
		key, f = ParsePrivateKey(FieldPrivateKey, in.PrivateKey)
		fs = append(fs, f...)
	}
	certificateOK := in.Certificate != "" && len(certs) > 0
	chainOK := in.Chain == "" || len(chain) > 0
	misplaced := false
	switch {
	case certificateOK && chainOK:
		all := append(place(FieldCertificate, certs), place(FieldChain, chain)...)
		var f domains.Findings
		f, misplaced = checkOrder(all)
		fs = append(fs, f...)
		if !misplaced {
			fs = append(fs, checkIssuerDates(all[1:], in.Now)...)
		}
	case in.Certificate == "" && len(chain) > 0:
		f, _ := checkOrder(place(FieldChain, chain))
		fs = append(fs, f...)
		fs = append(fs, checkIssuerDates(place(FieldChain, chain), in.Now)...)
	}
	if certificateOK && !misplaced {
		leaf := certs[0]
		facts = FactsOf(leaf)
		switch f := supportedFinding(FieldCertificate, leaf); {
		case f != nil:
			fs = append(fs, *f)
		case sm2.IsSM2PublicKey(leaf.PublicKey):
			fs = append(fs, warnf("R-44", FieldCertificate, 0, "The certificate is an SM2 certificate.",
				"The API documents certificate and private_key (Cert, Key) for certificates that do not use SM algorithms, and SM2 certificates as two pairs (R-44): sign_certificate with sign_private_key and encrypt_certificate with encrypt_private_key. The service may refuse this upload or not treat it as SM2."))
		}
		if key != nil {
			if f := matchFinding(FieldCertificate, FieldPrivateKey, leaf, key); f != nil {
				fs = append(fs, *f)
			}
		}
		fs = append(fs, CheckDates(FieldCertificate, leaf, in.Now)...)
	}
	standard := given(FieldCertificate, in.Certificate) || given(FieldChain, in.Chain) || given(FieldPrivateKey, in.PrivateKey)
	signLeaf, f := checkSM2(in, given, standard)
	fs = append(fs, f...)
	if facts == nil && signLeaf != nil && in.Certificate == "" {
		facts = FactsOf(signLeaf)
	}
	sortFindings(fs)
	return facts, fs
}

// sortFindings orders findings by field (the order of Fields), keeping each field's in the order
// they were found, so that diagnostics read from top to bottom.
func sortFindings(fs domains.Findings) {
	rank := func(field string) int {
		if i := slices.Index(Fields, field); i >= 0 {
			return i
		}
		return len(Fields)
	}
	slices.SortStableFunc(fs, func(a, b domains.Finding) int { return rank(a.Value) - rank(b.Value) })
}
