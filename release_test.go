package main

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// The release configuration produces what the Terraform Registry reads: one zip per OS/arch named
// terraform-provider-alicloudcas_{version}_{os}_{arch}.zip, a SHA256SUMS file, its detached
// signature, and the manifest with protocol 6.0. (goreleaser itself is not installed here: this
// test checks the same fields `goreleaser check` and the registry care about.)
func TestGoreleaserConfig(t *testing.T) {
	data, err := os.ReadFile(".goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Env    []string `yaml:"env"`
			Goos   []string `yaml:"goos"`
			Goarch []string `yaml:"goarch"`
			Binary string   `yaml:"binary"`
		} `yaml:"builds"`
		Archives []struct {
			Formats      []string `yaml:"formats"`
			NameTemplate string   `yaml:"name_template"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
			ExtraFiles   []struct {
				Glob         string `yaml:"glob"`
				NameTemplate string `yaml:"name_template"`
			} `yaml:"extra_files"`
		} `yaml:"checksum"`
		Signs []struct {
			Artifacts string `yaml:"artifacts"`
		} `yaml:"signs"`
		Release struct {
			ExtraFiles []struct {
				Glob string `yaml:"glob"`
			} `yaml:"extra_files"`
		} `yaml:"release"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"goreleaser config version 2", cfg.Version == 2},
		{"one build, static (CGO_ENABLED=0)", len(cfg.Builds) == 1 && slices.Contains(cfg.Builds[0].Env, "CGO_ENABLED=0")},
		{"linux, darwin and windows builds", len(cfg.Builds) == 1 && slices.Contains(cfg.Builds[0].Goos, "linux") && slices.Contains(cfg.Builds[0].Goos, "darwin") && slices.Contains(cfg.Builds[0].Goos, "windows")},
		{"amd64 and arm64 builds", len(cfg.Builds) == 1 && slices.Contains(cfg.Builds[0].Goarch, "amd64") && slices.Contains(cfg.Builds[0].Goarch, "arm64")},
		{"binary terraform-provider-alicloudcas_v{version}", len(cfg.Builds) == 1 && cfg.Builds[0].Binary == "{{ .ProjectName }}_v{{ .Version }}"},
		{"zip archives named {name}_{version}_{os}_{arch}", len(cfg.Archives) == 1 && slices.Equal(cfg.Archives[0].Formats, []string{"zip"}) &&
			cfg.Archives[0].NameTemplate == "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"},
		{"SHA256SUMS named {name}_{version}_SHA256SUMS", cfg.Checksum.NameTemplate == "{{ .ProjectName }}_{{ .Version }}_SHA256SUMS" && cfg.Checksum.Algorithm == "sha256"},
		{"the manifest is in the checksums", len(cfg.Checksum.ExtraFiles) == 1 && cfg.Checksum.ExtraFiles[0].Glob == "terraform-registry-manifest.json" &&
			cfg.Checksum.ExtraFiles[0].NameTemplate == "{{ .ProjectName }}_{{ .Version }}_manifest.json"},
		{"the checksums are signed", len(cfg.Signs) == 1 && cfg.Signs[0].Artifacts == "checksum"},
		{"the manifest is released", len(cfg.Release.ExtraFiles) == 1 && cfg.Release.ExtraFiles[0].Glob == "terraform-registry-manifest.json"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf(".goreleaser.yml: %s: not so", c.what)
		}
	}
	var manifest struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	raw, err := os.ReadFile("terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &manifest); err != nil || manifest.Version != 1 || !slices.Equal(manifest.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("terraform-registry-manifest.json must declare protocol 6.0: %s (%v)", raw, err)
	}
}
