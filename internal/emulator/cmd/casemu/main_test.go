package main

import "testing"

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
