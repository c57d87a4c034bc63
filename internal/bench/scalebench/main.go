// Command scalebench measures how `terraform plan` refreshes many uploaded certificates, with the
// provider's batched refresh on and off (ALICLOUDCAS_DISABLE_BATCHING). For each N it starts an
// in-process emulator, applies N alicloudcas_uploaded_certificate resources (no faults, no limits),
// then sets the measured conditions — 30 ms latency on every CAS call and an account limit of 20
// requests per second — and times one refreshing plan per mode, printing API calls, wall time and
// the provider process's peak memory.
//
//	go run ./internal/bench/scalebench -n 100,1000      (make bench runs it)
//
// It needs go and terraform on PATH, builds the provider into a temporary directory and points
// terraform at it with a development override: nothing is downloaded.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("scalebench: ")
	sizes := flag.String("n", "100,1000", "comma-separated numbers of certificates")
	latency := flag.Int("latency-ms", 30, "latency added to every CAS call while measuring")
	rps := flag.Float64("rps", 20, "account-wide request limit while measuring (Throttling.User above it)")
	flag.Parse()
	work, err := os.MkdirTemp("", "scalebench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	bin, err := buildProvider(work)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-6s %-11s %10s %10s %12s\n", "N", "batching", "API calls", "wall (s)", "peak RSS MB")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			log.Fatalf("bad -n value %q", s)
		}
		if err := run(work, bin, n, *latency, *rps); err != nil {
			log.Fatal(err)
		}
	}
}

// run measures one N: setup, then one plan per mode.
func run(work, bin string, n, latencyMS int, rps float64) error {
	srv, emu := emulator.NewTestServer(emulator.Options{Seed: 1})
	defer srv.Close()
	dir := filepath.Join(work, fmt.Sprintf("n%d", n))
	if err := writeConfig(dir, srv.URL, n); err != nil {
		return err
	}
	tf := terraform{dir: dir, bin: bin}
	if err := tf.run(nil, "apply", "-auto-approve", "-parallelism=32", "-input=false"); err != nil {
		return fmt.Errorf("setup apply of %d certificates: %w", n, err)
	}
	if err := emu.SetFaults(emulator.Faults{LatencyMS: latencyMS}); err != nil {
		return err
	}
	if err := emu.SetLimits(emulator.Limits{GlobalRPS: rps}); err != nil {
		return err
	}
	for _, mode := range []struct {
		name string
		env  []string
		args []string
	}{
		{"on", nil, nil},
		{"off", []string{"ALICLOUDCAS_DISABLE_BATCHING=1"}, nil},
		// The floor: the same plan without refresh, i.e. terraform's and the provider's own work.
		{"no-refresh", nil, []string{"-refresh=false"}},
	} {
		before := emu.Counters().Total
		start := time.Now()
		args := append([]string{"plan", "-detailed-exitcode", "-input=false", "-parallelism=10"}, mode.args...)
		peak, err := tf.runMeasured(mode.env, args...)
		if err != nil {
			return fmt.Errorf("N=%d batching %s: %w", n, mode.name, err)
		}
		calls := emu.Counters().Total - before
		fmt.Printf("%-6d %-11s %10d %10.1f %12.1f\n", n, mode.name, calls, time.Since(start).Seconds(), float64(peak)/1024)
	}
	return nil
}

// buildProvider compiles the provider once into work/bin.
func buildProvider(work string) (string, error) {
	binDir := filepath.Join(work, "bin")
	cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "terraform-provider-alicloudcas"), ".")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build of the provider (run from the repository root): %w", err)
	}
	return binDir, nil
}

// writeConfig writes N uploaded certificates sharing one key, each its own leaf.
func writeConfig(dir, url string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return err
	}
	var certs strings.Builder
	for i := range n {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 1)), Subject: pkix.Name{CommonName: fmt.Sprintf("h%d.example.com", i)},
			DNSNames: []string{fmt.Sprintf("h%d.example.com", i)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			return err
		}
		fmt.Fprintf(&certs, "  %q = %q\n", strconv.Itoa(i), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	}
	config := fmt.Sprintf(`terraform {
  required_providers {
    alicloudcas = { source = "certforge/alicloudcas" }
  }
}

provider "alicloudcas" {
  endpoint    = %q
  access_key  = %q
  secret_key  = %q
  max_retries = 20
}

locals {
  certs = {
%s  }
}

resource "alicloudcas_uploaded_certificate" "c" {
  for_each    = local.certs
  name        = "scale-${each.key}"
  certificate = each.value
  private_key = file("${path.module}/key.pem")
}
`, url, emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret, certs.String())
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644)
}

type terraform struct{ dir, bin string }

func (t terraform) cmd(env []string, args ...string) *exec.Cmd {
	rc := filepath.Join(t.dir, "terraformrc")
	_ = os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"certforge/alicloudcas\" = %q\n  }\n  direct {}\n}\n", t.bin)), 0o644)
	c := exec.Command("terraform", args...)
	c.Dir = t.dir
	c.Env = append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"), env...)
	return c
}

func (t terraform) run(env []string, args ...string) error {
	c := t.cmd(env, args...)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("terraform %s: %w\n%s", args[0], err, tail(out))
	}
	return nil
}

// runMeasured runs terraform and samples the provider process's peak resident memory (VmHWM, in
// KiB) while it runs. A plan that is not empty (exit code 2) is an error: the benchmark measures a
// refresh of an unchanged state.
func (t terraform) runMeasured(env []string, args ...string) (peakKiB int64, err error) {
	c := t.cmd(env, args...)
	out := &strings.Builder{}
	c.Stdout, c.Stderr = out, out
	if err := c.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.ExitCode() == 2 {
				return peakKiB, fmt.Errorf("the plan is not empty:\n%s", tail([]byte(out.String())))
			}
			if err != nil {
				return peakKiB, fmt.Errorf("terraform plan: %w\n%s", err, tail([]byte(out.String())))
			}
			return peakKiB, nil
		case <-tick.C:
			peakKiB = max(peakKiB, providerPeak())
		}
	}
}

// providerPeak reads VmHWM of the running provider processes (Linux /proc).
func providerPeak() int64 {
	var peak int64
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), "terraform-provi") {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				peak = max(peak, kb)
			}
		}
	}
	return peak
}

func tail(b []byte) string {
	const keep = 3000
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return string(b)
}
