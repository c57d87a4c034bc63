package provider

import "testing"

const (
	splitTestPEMA = "-----BEGIN CERTIFICATE-----\nQUFB\n-----END CERTIFICATE-----\n"
	splitTestPEMB = "-----BEGIN CERTIFICATE-----\nQkJC\n-----END CERTIFICATE-----\n"
	splitTestPEMC = "-----BEGIN CERTIFICATE-----\nQ0ND\n-----END CERTIFICATE-----\n"
)

func TestSplitCertificateChain(t *testing.T) {
	tests := []struct {
		name, text, leaf, chain string
	}{
		{"leaf only", splitTestPEMA, splitTestPEMA, ""},
		{"leaf and chain", splitTestPEMA + splitTestPEMB + splitTestPEMC, splitTestPEMA, splitTestPEMB + splitTestPEMC},
		{"CRLF and blank lines", "\r\n" + splitTestPEMA + "\r\n\r\n" + splitTestPEMB, splitTestPEMA, splitTestPEMB},
		{"no trailing newline", splitTestPEMA + splitTestPEMB[:len(splitTestPEMB)-1], splitTestPEMA, splitTestPEMB},
		{"text before the first block", "subject=CN=a\n" + splitTestPEMA + splitTestPEMB, splitTestPEMA, splitTestPEMB},
		{"empty", "", "", ""},
		{"not PEM", "garbage", "garbage\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf, chain := splitCertificateChain(tt.text)
			if leaf != tt.leaf || chain != tt.chain {
				t.Errorf("split = %q, %q; want %q, %q", leaf, chain, tt.leaf, tt.chain)
			}
		})
	}
}
