package main

import (
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr        string
		allowRemote bool
		ok          bool
	}{
		{"127.0.0.1:8787", false, true},
		{"127.0.0.1:0", false, true},
		{"localhost:8787", false, true},
		{"[::1]:8787", false, true},
		{":8787", false, false},
		{"0.0.0.0:8787", false, false},
		{"192.168.1.10:8787", false, false},
		{"0.0.0.0:8787", true, true},
		{"no-port", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if err := checkLoopback(tt.addr, tt.allowRemote); (err == nil) != tt.ok {
				t.Errorf("checkLoopback(%q, %v) = %v", tt.addr, tt.allowRemote, err)
			}
		})
	}
}

// The banner's first three lines are a contract with scripts and with the README.
func TestPrintBanner(t *testing.T) {
	var b strings.Builder
	printBanner(&b, "http://127.0.0.1:8787", true)
	lines := strings.Split(b.String(), "\n")
	want := []string{
		"endpoint: http://127.0.0.1:8787",
		"access_key_id: " + emulator.DemoAccessKeyID,
		"access_key_secret: " + emulator.DemoAccessKeySecret,
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
		}
	}
}
