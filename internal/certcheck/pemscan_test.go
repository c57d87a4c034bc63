package certcheck

import (
	"strings"
	"testing"
)

func TestScanPEM(t *testing.T) {
	fx := fixtures(t)
	cert := fx.leaf.PEM()
	chain := cert + fx.inter2.PEM()
	lines := strings.Split(strings.TrimSpace(cert), "\n")
	tests := []struct {
		name    string
		text    string
		blocks  int
		outside int
		problem problemKind
	}{
		{name: "one block", text: cert, blocks: 1},
		{name: "two blocks", text: chain, blocks: 2},
		{name: "CRLF", text: crlf(chain), blocks: 2},
		{name: "lone CR", text: strings.ReplaceAll(chain, "\n", "\r"), blocks: 2},
		{name: "indented heredoc", text: indent(chain, "    "), blocks: 2},
		{name: "base64 in one line", text: rewrap(cert, 0), blocks: 1},
		{name: "base64 in 76 columns", text: rewrap(cert, 76), blocks: 1},
		{name: "blank lines between blocks", text: cert + "\n\n\n" + fx.inter2.PEM(), blocks: 2},
		{name: "Bag Attributes before the block", text: "Bag Attributes\n    localKeyID: 01\nsubject=CN = www.example.com\n" + cert, blocks: 1, outside: 1},
		{name: "text after the block", text: cert + "garbage\n", blocks: 1, outside: len(lines) + 1},
		{name: "no END line", text: strings.Join(lines[:len(lines)-1], "\n"), problem: pemTruncated},
		{name: "BEGIN inside a block", text: strings.Join(lines[:5], "\n") + "\n" + chain, problem: pemTruncated},
		{name: "END without BEGIN", text: strings.Join(lines[1:], "\n"), outside: 1, problem: pemStrayEnd},
		{name: "END of another type", text: strings.Join(lines[:len(lines)-1], "\n") + "\n-----END PRIVATE KEY-----\n", problem: pemEndMismatch},
		{name: "damaged base64", text: strings.Replace(cert, lines[3], lines[3][:10]+"!!"+lines[3][12:], 1), problem: pemDamaged},
		{name: "all on one line", text: strings.ReplaceAll(cert, "\n", " "), problem: pemInlineMarker},
		{name: "escaped newlines", text: strings.ReplaceAll(cert, "\n", `\n`), problem: pemEscapedNewlines},
		{name: "not PEM", text: "hello", outside: 1},
		{name: "empty", text: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scanPEM(tt.text)
			var got problemKind
			if sc.problem != nil {
				got = sc.problem.kind
			}
			if got != tt.problem || len(sc.blocks) != tt.blocks || sc.outside != tt.outside {
				t.Fatalf("scanPEM: %d blocks, outside line %d, problem %v; want %d, %d, %v", len(sc.blocks), sc.outside, sc.problem, tt.blocks, tt.outside, tt.problem)
			}
			for _, b := range sc.blocks {
				if b.Type != "CERTIFICATE" {
					t.Errorf("block type %q", b.Type)
				}
			}
		})
	}
}
