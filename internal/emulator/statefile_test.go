package emulator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStateFile_roundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	_, emu, ctl := startEmulator(t, Options{Seed: 1, StateFile: file})
	seedPackage(t, ctl, "geotrust-dv-1-starter", 7, 1, 0)
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), `"total_count": 7`) {
		t.Fatalf("state file after a control change: %s, %v", data, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}

	again := New(Options{StateFile: file})
	p := again.state.Packages["geotrust-dv-1-starter"]
	if p == nil || p.TotalCount != 7 || p.UsedCount != 1 {
		t.Fatalf("reloaded package = %+v", p)
	}
	if again.state.Certificates == nil || again.state.Orders == nil {
		t.Error("reloaded collections are nil")
	}
}

func TestStateFile_unreadableIsNeverOverwritten(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	var logged []string
	emu, err := Open(Options{StateFile: file, Logf: func(f string, a ...any) { logged = append(logged, f) }})
	if err == nil {
		t.Fatal("Open accepted a broken state file")
	}
	if err := emu.ImportState([]byte(`{"packages": {"x": {"product_code": "x", "total_count": 1}}}`)); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(file); string(data) != "{not json" {
		t.Errorf("the broken file was overwritten: %s", data)
	}
	New(Options{StateFile: file, Logf: func(f string, a ...any) { logged = append(logged, f) }})
	if len(logged) == 0 {
		t.Error("New did not report the broken file")
	}
}

func TestStateFile_missingStartsEmpty(t *testing.T) {
	emu, err := Open(Options{StateFile: filepath.Join(t.TempDir(), "none.json")})
	if err != nil || len(emu.state.Packages) != 0 {
		t.Fatalf("Open = %v, %v", emu.state, err)
	}
}

func TestImportState(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantErr bool
	}{
		{"demo seed", `{"packages": {"geotrust-dv-1-starter": {"product_code": "geotrust-dv-1-starter", "total_count": 10}}}`, false},
		{"empty", `{}`, false},
		{"unknown field", `{"packagez": {}}`, true},
		{"not JSON", `{`, true},
		{"two documents", `{} {}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu := New(Options{})
			err := emu.ImportState([]byte(tt.doc))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if emu.state.Packages == nil || emu.state.Jobs == nil {
				t.Error("nil collections after import")
			}
		})
	}
}
