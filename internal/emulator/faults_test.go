package emulator

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

func TestFaults(t *testing.T) {
	assumeParams := map[string]string{"RoleArn": "acs:ram::" + DemoAccountID + ":role/r", "RoleSessionName": "s1"}
	tests := []struct {
		name   string
		faults control.Faults
		// sts calls AssumeRole instead of DescribePackageState.
		sts           bool
		wantStatus    int    // 0: a connection error, no answer
		wantCode      string // "" with status 200
		wantFault     string
		wantCommitted bool
	}{
		{name: "throttle", faults: control.Faults{ThrottleRate: 1},
			wantStatus: 400, wantCode: "Throttling.User", wantFault: "throttle"},
		{name: "5xx", faults: control.Faults{Error5xxRate: 1},
			wantStatus: 503, wantCode: "ServiceUnavailable", wantFault: "error_5xx"},
		{name: "drop before commit", faults: control.Faults{DropBeforeCommitRate: 1},
			wantFault: "drop_before_commit"},
		{name: "drop after commit", faults: control.Faults{DropAfterCommitRate: 1},
			wantFault: "drop_after_commit", wantCommitted: true},
		{name: "filtered out by actions", faults: control.Faults{ThrottleRate: 1, Actions: []string{"ListCert"}},
			wantStatus: 200, wantCommitted: true},
		{name: "named in actions", faults: control.Faults{ThrottleRate: 1, Actions: []string{"ListCert", "DescribePackageState"}},
			wantStatus: 400, wantCode: "Throttling.User", wantFault: "throttle"},
		{name: "never on STS", faults: control.Faults{ThrottleRate: 1, DropBeforeCommitRate: 1}, sts: true,
			wantStatus: 200, wantCommitted: true},
		{name: "rate 0 is off", faults: control.Faults{ThrottleRate: 0, Seed: 7},
			wantStatus: 200, wantCommitted: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, ctl := startEmulator(t, Options{Seed: 1})
			seedPackage(t, ctl, "digicert-free-1-free", 1, 0, 0)
			if err := ctl.SetFaults(testContext(t), tt.faults); err != nil {
				t.Fatal(err)
			}
			client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
			req := casRequest(srv, "DescribePackageState", requests.POST, nil)
			action := "DescribePackageState"
			if tt.sts {
				req, action = apiRequest(srv, "Sts", stsVersion, "AssumeRole", requests.POST, assumeParams), "AssumeRole"
			}
			_, err := process(t, client, req)
			switch {
			case tt.wantStatus == 0:
				var se *sdkerrors.ServerError
				if err == nil || errors.As(err, &se) {
					t.Fatalf("err = %v, want a connection error", err)
				}
			case tt.wantCode != "":
				serverError(t, err, tt.wantStatus, tt.wantCode)
			case err != nil:
				t.Fatal(err)
			}
			reqs, err := ctl.Requests(testContext(t), action)
			if err != nil || len(reqs) != 1 {
				t.Fatalf("log = %v, %v", reqs, err)
			}
			if got := reqs[0]; got.Fault != tt.wantFault || got.Committed != tt.wantCommitted || got.HTTPStatus != tt.wantStatus {
				t.Errorf("logged fault %q committed %v status %d, want %q %v %d", got.Fault, got.Committed, got.HTTPStatus, tt.wantFault, tt.wantCommitted, tt.wantStatus)
			}
		})
	}
}

func TestFaults_5xxAlternates(t *testing.T) {
	srv, emu, _ := startEmulator(t, Options{Seed: 1})
	if err := emu.SetFaults(Faults{Error5xxRate: 1}); err != nil {
		t.Fatal(err)
	}
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	for _, want := range []struct {
		status int
		code   string
	}{{503, "ServiceUnavailable"}, {500, "InternalError"}, {503, "ServiceUnavailable"}} {
		_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil))
		serverError(t, err, want.status, want.code)
	}
}

func TestFaults_latency(t *testing.T) {
	srv, emu, _ := startEmulator(t, Options{Seed: 1})
	if err := emu.SetFaults(Faults{LatencyMS: 120, LatencyJitterMS: 30}); err != nil {
		t.Fatal(err)
	}
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	start := time.Now()
	_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil))
	serverError(t, err, http.StatusNotFound, "NotFoundPackage") // the action still runs
	if d := time.Since(start); d < 120*time.Millisecond || d > 2*time.Second {
		t.Errorf("the call took %s, want 120-150ms", d)
	}
	if got := emu.Requests("")[0]; got.Fault != "latency" || !got.Committed {
		t.Errorf("logged %+v", got)
	}
}

// A client that gives up while the latency runs gets nothing run.
func TestFaults_latencyRespectsCancellation(t *testing.T) {
	srv, emu, _ := startEmulator(t, Options{Seed: 1})
	if err := emu.SetFaults(Faults{LatencyMS: 5000}); err != nil {
		t.Fatal(err)
	}
	p := map[string]string{
		"Action": "DescribePackageState", "Version": casVersion, "AccessKeyId": DemoAccessKeyID,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": "n1",
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	}
	p["Signature"] = rpcSign(rpcStringToSign("GET", p), DemoAccessKeySecret)
	q := ""
	for k, v := range p {
		q += "&" + encodeRFC3986(k) + "=" + encodeRFC3986(v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/?"+q[1:], nil)
	start := time.Now()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the call returned before the latency")
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(emu.Requests("")) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if time.Since(start) > 3*time.Second {
		t.Error("the emulator kept waiting after the client left")
	}
	reqs := emu.Requests("")
	if len(reqs) != 1 || reqs[0].Committed || reqs[0].Fault != "latency" {
		t.Errorf("logged %+v", reqs)
	}
}

func TestFaults_validation(t *testing.T) {
	_, _, ctl := startEmulator(t, Options{Seed: 1})
	for _, f := range []control.Faults{{ThrottleRate: 1.5}, {Error5xxRate: -0.1}, {LatencyMS: -1}} {
		if err := ctl.SetFaults(testContext(t), f); err == nil {
			t.Errorf("SetFaults(%+v) was accepted", f)
		}
	}
	if err := ctl.ClearFaults(testContext(t)); err != nil {
		t.Fatal(err)
	}
}

// The same seed draws the same faults.
func TestFaults_seedRepeats(t *testing.T) {
	draws := func() []string {
		emu := New(Options{Seed: 42})
		_ = emu.SetFaults(Faults{ThrottleRate: 0.3, Error5xxRate: 0.3, DropBeforeCommitRate: 0.3})
		var out []string
		emu.mu.Lock()
		defer emu.mu.Unlock()
		for range 50 {
			out = append(out, emu.planFaultsLocked(casVersion, "ListCert").kind)
		}
		return out
	}
	a, b := draws(), draws()
	kinds := map[string]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d: %q then %q", i, a[i], b[i])
		}
		kinds[a[i]] = true
	}
	if len(kinds) < 3 {
		t.Errorf("50 draws gave only %v", kinds)
	}
}
