package certcheck

import (
	"encoding/pem"
	"strings"
)

// block is one complete PEM block of a field.
type block struct {
	*pem.Block
	line int // 1-based line of its BEGIN line
}

// scanned is what a field's text holds: its complete PEM blocks, where the first text outside
// them is, and the first structural problem, if any.
type scanned struct {
	blocks  []block
	outside int // line of the first non-blank text outside the blocks; 0 when none
	problem *scanProblem
}

type problemKind int

const (
	pemTruncated       problemKind = iota + 1 // a BEGIN line without its END line
	pemStrayEnd                               // an END line without a BEGIN line
	pemEndMismatch                            // "BEGIN X" closed by "END Y"
	pemDamaged                                // the body is not base64, or its headers are broken
	pemInlineMarker                           // a BEGIN or END marker that is not on a line of its own
	pemEscapedNewlines                        // the text has "\n" written as two characters
)

type scanProblem struct {
	kind problemKind
	line int    // 1-based line where it shows
	typ  string // the block's type, when known
}

// normalizeNewlines turns CRLF and lone CR line ends into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// scanPEM splits text into PEM blocks line by line. Unlike pem.Decode, which skips whatever it
// cannot read and would take "BEGIN A … BEGIN B … END B" for one good block, it reports the first
// thing that is not a complete block, where it is. Spaces and tabs around each line, CRLF line
// ends and the width of the base64 lines make no difference.
func scanPEM(text string) scanned {
	var s scanned
	text = normalizeNewlines(text)
	if strings.Contains(text, "-----BEGIN") && strings.Contains(text, `\n`) {
		s.problem = &scanProblem{kind: pemEscapedNewlines, line: 1}
		return s
	}
	var (
		inside    bool
		typ       string
		beginLine int
		body      []string
	)
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.Trim(raw, " \t")
		begin, isBegin := marker(line, "-----BEGIN ")
		end, isEnd := marker(line, "-----END ")
		switch {
		case !isBegin && !isEnd && (strings.Contains(line, "-----BEGIN") || strings.Contains(line, "-----END")):
			s.problem = &scanProblem{kind: pemInlineMarker, line: n}
			return s
		case isBegin && inside:
			s.problem = &scanProblem{kind: pemTruncated, line: beginLine, typ: typ}
			return s
		case isBegin:
			inside, typ, beginLine, body = true, begin, n, body[:0]
		case isEnd && !inside:
			s.problem = &scanProblem{kind: pemStrayEnd, line: n, typ: end}
			return s
		case isEnd && end != typ:
			s.problem = &scanProblem{kind: pemEndMismatch, line: n, typ: typ}
			return s
		case isEnd:
			inside = false
			var b strings.Builder
			b.WriteString("-----BEGIN " + typ + "-----\n")
			for _, l := range body {
				b.WriteString(l + "\n")
			}
			b.WriteString("-----END " + typ + "-----\n")
			p, _ := pem.Decode([]byte(b.String()))
			if p == nil {
				s.problem = &scanProblem{kind: pemDamaged, line: beginLine, typ: typ}
				return s
			}
			s.blocks = append(s.blocks, block{Block: p, line: beginLine})
		case inside:
			body = append(body, line)
		case line != "" && s.outside == 0:
			s.outside = n
		}
	}
	if inside {
		s.problem = &scanProblem{kind: pemTruncated, line: beginLine, typ: typ}
	}
	return s
}

// marker reports whether line is exactly "<prefix>TYPE-----" and returns TYPE.
func marker(line, prefix string) (string, bool) {
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, "-----") || len(line) < len(prefix)+len("-----") {
		return "", false
	}
	typ := line[len(prefix) : len(line)-len("-----")]
	if typ == "" || strings.Contains(typ, "-----") {
		return "", false
	}
	return typ, true
}
