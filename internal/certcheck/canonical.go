package certcheck

import (
	"encoding/pem"
	"strings"
)

// CanonicalPEM is the form for the resource to store and upload: every PEM block re-encoded as
// encoding/pem writes it (headers first, standard base64 in lines of 64 columns, LF line ends,
// one newline after each END line), in the order given. Text outside the blocks (such as the "Bag
// Attributes" lines that openssl pkcs12 writes) is dropped; it carries nothing the service reads.
//
// Text that is not a clean sequence of complete PEM blocks (not PEM at all, a block without its
// END line, damaged base64) is not re-encoded, so that nothing is lost silently: it comes back
// with LF line ends and without leading or trailing white space. Check reports why such text is
// refused. The empty string stays empty.
func CanonicalPEM(s string) string {
	sc := scanPEM(s)
	if sc.problem != nil || len(sc.blocks) == 0 {
		t := strings.TrimSpace(normalizeNewlines(s))
		if t == "" {
			return ""
		}
		return t + "\n"
	}
	var b strings.Builder
	for _, blk := range sc.blocks {
		b.Write(pem.EncodeToMemory(blk.Block))
	}
	return b.String()
}

// SamePEM reports whether two PEM texts hold the same blocks: CRLF or LF, trailing newlines,
// white space around the text or its lines, and the width of the base64 lines make no
// difference; different certificates or keys always do. It is CanonicalPEM(a) ==
// CanonicalPEM(b), for a plan modifier that keeps the stored value when the configuration's text
// differs only in form.
func SamePEM(a, b string) bool {
	return a == b || CanonicalPEM(a) == CanonicalPEM(b)
}
