package certcheck

import (
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	tests := []struct {
		name, value string
		finds       []want
	}{
		{"suggested form", "example.com-2026-rsa2048", nil},
		{"not given", "", nil},
		{"64 characters", strings.Repeat("a", 64), nil},
		{"64 characters, not ASCII", strings.Repeat("é", 64), nil},
		{"65 characters", strings.Repeat("a", 65), []want{e("R-45", "name", -1)}},
		{"R-61 Chinese characters", "网站证书", []want{w("R-61", "name", -1)}},
		{"too long and Chinese", strings.Repeat("证", 65), []want{e("R-45", "name", -1), w("R-61", "name", -1)}},
		{"Japanese with kanji (Han script)", "サイト証明書", []want{w("R-61", "name", -1)}},
		{"Japanese kana alone", "さいと", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fs := CheckName(tt.value); !sameFindings(fs, tt.finds...) {
				t.Fatalf("findings\n%s; want %v", render(fs), tt.finds)
			}
		})
	}
}
