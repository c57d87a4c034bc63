// Command casemu runs the CAS API emulator as a process: `make emulator`, or
//
//	go run ./internal/emulator/cmd/casemu [-addr 127.0.0.1:8787] [-state file.json] [-realistic=false]
//	    [-latency 50ms] [-latency-jitter 20ms] [-throttle-rate 0.1] [-error-rate 0.05] [-fault-seed N] [-initial-state FILE] [-region R]
//	    [-clock-rate 60]
//
// It prints, one per line, "endpoint: http://HOST:PORT", "access_key_id: ..." and
// "access_key_secret: ...", then export lines to paste into a shell, and serves until
// interrupted. It listens on loopback addresses only, unless -allow-remote. SIGINT or SIGTERM stops it after saving the state file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("casemu: ")
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	var (
		addr        = flag.String("addr", "127.0.0.1:8787", "listen address (loopback only unless -allow-remote; port 0 picks a free one)")
		allowRemote = flag.Bool("allow-remote", false, "allow a non-loopback listen address (the control API has no authentication)")
		stateFile   = flag.String("state", "", "state file: loaded at start if present, saved after every change")
		realistic   = flag.Bool("realistic", true, "enforce the service's documented per-action rate limits")
		latency     = flag.Duration("latency", 0, "latency added to every CAS call")
		jitter      = flag.Duration("latency-jitter", 0, "random extra latency, uniform between 0 and this")
		throttle    = flag.Float64("throttle-rate", 0, "share of CAS calls answered Throttling.User (0..1)")
		errorRate   = flag.Float64("error-rate", 0, "share of CAS calls answered 503/500 (0..1)")
		region      = flag.String("region", emulator.DefaultRegion, "region answered when a request names none")
		faultSeed   = flag.Int64("fault-seed", 0, "seed of fault randomness (0: random)")
		initial     = flag.String("initial-state", "", "JSON file of initial state, e.g. examples/demo/emulator-seed.json (ignored when -state was loaded)")
		clockRate   = flag.Float64("clock-rate", 1, "emulated seconds per real second (above 0, at most 100000): at 60 a DV order's 5-minute review takes 5 real seconds")
	)
	flag.Parse()
	if *clockRate <= 0 || *clockRate > 100000 || *clockRate != *clockRate {
		return fmt.Errorf("-clock-rate %v: use a number of emulated seconds per real second above 0 and at most 100000", *clockRate)
	}

	if err := checkLoopback(*addr, *allowRemote); err != nil {
		return err
	}
	emu, err := emulator.Open(emulator.Options{
		Realistic: *realistic,
		StateFile: *stateFile,
		Region:    *region,
		Seed:      *faultSeed,
		ClockRate: *clockRate,
		Logf:      log.Printf,
	})
	if err != nil {
		return err
	}
	if *clockRate != 1 {
		log.Printf("the emulated clock runs at %v emulated seconds per real second", *clockRate)
	}
	if *initial != "" {
		if err := seedState(emu, *initial, *stateFile); err != nil {
			return err
		}
	}
	if *latency != 0 || *jitter != 0 || *throttle != 0 || *errorRate != 0 {
		err := emu.SetFaults(emulator.Faults{
			LatencyMS: int(latency.Milliseconds()), LatencyJitterMS: int(jitter.Milliseconds()),
			ThrottleRate: *throttle, Error5xxRate: *errorRate, Seed: *faultSeed,
		})
		if err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 10 * time.Second}
	printBanner(os.Stdout, url, *realistic)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Print("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}
	return emu.Close()
}

// checkLoopback refuses a listen address that is not on a loopback interface.
func checkLoopback(addr string, allowRemote bool) error {
	if allowRemote {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address: the emulator has no real security and its control API none at all; "+
		"use 127.0.0.1:PORT, or pass -allow-remote if you really mean it", addr)
}

// seedState loads the initial state document unless a state file already held one.
func seedState(emu *emulator.Emulator, seedFile, stateFile string) error {
	if stateFile != "" {
		if st, err := os.Stat(stateFile); err == nil && st.Size() > 0 {
			log.Printf("state file %s exists: not applying initial state %s", stateFile, seedFile)
			return nil
		}
	}
	data, err := os.ReadFile(seedFile)
	if err != nil {
		return fmt.Errorf("-initial-state: %w", err)
	}
	if err := emu.ImportState(data); err != nil {
		return fmt.Errorf("-initial-state %s: %w", seedFile, err)
	}
	return nil
}

// printBanner tells the user where the emulator is and which keys it accepts. The first three
// lines are for scripts (examples/demo/run.sh reads them): "name: value", in this order.
func printBanner(w io.Writer, url string, realistic bool) {
	fmt.Fprintf(w, "endpoint: %s\n", url)
	fmt.Fprintf(w, "access_key_id: %s\n", emulator.DemoAccessKeyID)
	fmt.Fprintf(w, "access_key_secret: %s\n", emulator.DemoAccessKeySecret)
	fmt.Fprintf(w, "account_id: %s\n", emulator.DemoAccountID)
	fmt.Fprintf(w, "control_api: %s/_emulator/ (reset, state, objects, clock, requests, faults, limits)\n", url)
	fmt.Fprintf(w, "rate_limits: realistic=%v\n", realistic)
	fmt.Fprintln(w, "# paste into a shell to point the provider at the emulator:")
	fmt.Fprintf(w, "export ALIBABA_CLOUD_CAS_ENDPOINT=%s ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n",
		url, emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)
	fmt.Fprintf(w, "export ALIBABA_CLOUD_STS_ENDPOINT=%s  # only for assume_role against the emulator\n", url)
	fmt.Fprintln(w, "# serving until interrupted (Ctrl-C)")
}
