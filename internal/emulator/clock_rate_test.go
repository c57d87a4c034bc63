package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// settableWall is a real clock that a test moves by hand. It starts at the real time, so that the
// SDK's signatures (stamped with the real time) stay within the skew window.
type settableWall struct {
	mu sync.Mutex
	t  time.Time
}

func (w *settableWall) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.t
}

func (w *settableWall) add(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t = w.t.Add(d)
}

// holdWall gives the emulator a real clock that moves only when the test says, and restarts the
// emulated clock on it (Reset: an empty account, the clock at the real time at Options.ClockRate).
func holdWall(t *testing.T, emu *Emulator) *settableWall {
	t.Helper()
	w := &settableWall{t: time.Now().UTC().Truncate(time.Second)}
	emu.wallNow = w.now
	if err := emu.Reset(); err != nil {
		t.Fatal(err)
	}
	return w
}

func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s (off by %s)", what, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano), got.Sub(want))
	}
}

// clockOf reads GET /_emulator/clock (the control client has only Now).
func clockOf(t *testing.T, srv *httptest.Server) control.Clock {
	t.Helper()
	resp, err := http.Get(srv.URL + "/_emulator/clock")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c control.Clock
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_emulator/clock: HTTP %d, %v", resp.StatusCode, err)
	}
	return c
}

func TestClockRate_defaultIsRealTime(t *testing.T) {
	srv, emu, _ := startEmulator(t, Options{Seed: 1})
	c := clockOf(t, srv)
	if c.Rate != 1 || c.OffsetSeconds != 0 {
		t.Errorf("clock = %+v, want rate 1 and offset 0", c)
	}
	if emu.ClockRate() != 1 {
		t.Errorf("ClockRate() = %v, want 1", emu.ClockRate())
	}
	w := holdWall(t, emu)
	start := w.now()
	wantTime(t, "Now at the start", emu.Now(), start)
	w.add(90 * time.Second)
	wantTime(t, "Now 90 real seconds later", emu.Now(), start.Add(90*time.Second))
	if err := emu.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	wantTime(t, "Now after advancing an hour", emu.Now(), start.Add(time.Hour+90*time.Second))
	if c := clockOf(t, srv); c.OffsetSeconds != 3600 {
		t.Errorf("offset_seconds = %v, want 3600", c.OffsetSeconds)
	}
}

func TestClockRate_fromOptionsAndControl(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1, ClockRate: 600})
	ctx := testContext(t)
	w := holdWall(t, emu)
	start := w.now()

	if c := clockOf(t, srv); c.Rate != 600 {
		t.Fatalf("rate = %v, want 600 from Options.ClockRate", c.Rate)
	}
	w.add(time.Second)
	wantTime(t, "Now one real second later at 600", emu.Now(), start.Add(10*time.Minute))
	w.add(500 * time.Millisecond)
	wantTime(t, "Now 1.5 real seconds later at 600", emu.Now(), start.Add(15*time.Minute))

	// An advance adds to the running clock.
	after, err := ctl.Advance(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	wantTime(t, "Advance's answer", after, start.Add(75*time.Minute))

	// A new rate goes on from the current emulated time.
	at, err := ctl.SetClockRate(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	wantTime(t, "SetClockRate's answer", at, start.Add(75*time.Minute))
	c := clockOf(t, srv)
	if c.Rate != 2 || c.OffsetSeconds != (75*time.Minute-1500*time.Millisecond).Seconds() {
		t.Errorf("clock after SetClockRate(2) = %+v, want rate 2 and offset %v", c, (75*time.Minute - 1500*time.Millisecond).Seconds())
	}
	w.add(10 * time.Second)
	wantTime(t, "Now 10 real seconds later at 2", emu.Now(), start.Add(75*time.Minute+20*time.Second))

	// Slowing down never moves the clock back.
	at, err = ctl.SetClockRate(ctx, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	wantTime(t, "SetClockRate(0.5)'s answer", at, start.Add(75*time.Minute+20*time.Second))
	w.add(4 * time.Second)
	wantTime(t, "Now 4 real seconds later at 0.5", emu.Now(), start.Add(75*time.Minute+22*time.Second))

	// Reset: the real time again, at the rate of the options.
	if err := ctl.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if c := clockOf(t, srv); c.Rate != 600 || c.OffsetSeconds != 0 {
		t.Errorf("clock after reset = %+v, want rate 600 and offset 0", c)
	}
	wantTime(t, "Now after reset", emu.Now(), w.now())
}

func TestClockRate_neverBackwards(t *testing.T) {
	_, emu, _ := startEmulator(t, Options{Seed: 1, ClockRate: 10})
	w := holdWall(t, emu)
	start := w.now()
	w.add(time.Second)
	first := emu.Now()
	wantTime(t, "Now", first, start.Add(10*time.Second))
	// The real clock steps back (NTP): the emulated clock waits instead of going back.
	w.add(-5 * time.Second)
	wantTime(t, "Now after the real clock stepped back", emu.Now(), first)
	if _, err := emu.SetClockRate(100); err != nil {
		t.Fatal(err)
	}
	wantTime(t, "Now after a new rate", emu.Now(), first)
	w.add(time.Second)
	wantTime(t, "Now a real second later at 100", emu.Now(), first.Add(100*time.Second))
}

func TestClockRate_invalid(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	for _, rate := range []float64{0, -1, 100001, 1e12} {
		_, err := ctl.SetClockRate(ctx, rate)
		var ce *control.Error
		if !errors.As(err, &ce) || ce.StatusCode != http.StatusBadRequest {
			t.Errorf("SetClockRate(%v) = %v, want HTTP 400", rate, err)
		}
	}
	for _, tt := range []struct {
		method, body string
		status       int
	}{
		{"PUT", `{}`, 400},
		{"PUT", `{"rate": "fast"}`, 400},
		{"PUT", `{"rate": 2, "offset": 1}`, 400},
		{"PUT", `not json`, 400},
		{"POST", `{"rate": 2}`, 405},
		{"DELETE", ``, 405},
		{"PUT", `{"rate": 100000}`, 200},
		{"PUT", `{"rate": 0.25}`, 200},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+"/_emulator/clock", strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s /_emulator/clock %s = %d %s, want %d", tt.method, tt.body, resp.StatusCode, body.String(), tt.status)
		}
		if tt.status == 200 && !strings.Contains(body.String(), `"rate":`) {
			t.Errorf("%s /_emulator/clock %s answered %s, want the clock with its rate", tt.method, tt.body, body.String())
		}
	}
	if got := emu.ClockRate(); got != 0.25 {
		t.Errorf("rate = %v, want 0.25 (the last valid PUT)", got)
	}

	// An invalid rate in the options is reported and replaced by 1.
	var logged []string
	e := New(Options{ClockRate: -3, Logf: func(f string, a ...any) { logged = append(logged, f) }})
	if e.ClockRate() != 1 || len(logged) != 1 {
		t.Errorf("ClockRate -3 in options: rate %v, logged %q; want 1 and one line", e.ClockRate(), logged)
	}
}

// createDVOrder applies for a DV certificate of one domain through the SDK (CreateCertificateRequest,
// digicert-free-1-free) and returns the OrderId.
func createDVOrder(t *testing.T, srv *httptest.Server, client *sdk.Client, domain, validateType string) int64 {
	t.Helper()
	resp, err := process(t, client, casRequest(srv, "CreateCertificateRequest", requests.POST, map[string]string{
		"Domain": domain, "ValidateType": validateType, "Username": "Ops", "Phone": "13800000000", "Email": "ops@example.com",
	}))
	if err != nil {
		t.Fatalf("CreateCertificateRequest %s: %v", domain, err)
	}
	var out struct{ OrderId int64 }
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil || out.OrderId == 0 {
		t.Fatalf("CreateCertificateRequest answered %s (%v)", resp.GetHttpContentString(), err)
	}
	return out.OrderId
}

// certificateState is DescribeCertificateState through the SDK.
func certificateState(t *testing.T, srv *httptest.Server, client *sdk.Client, orderID int64) map[string]any {
	t.Helper()
	resp, err := process(t, client, casRequest(srv, "DescribeCertificateState", requests.POST, map[string]string{"OrderId": strconv.FormatInt(orderID, 10)}))
	if err != nil {
		t.Fatalf("DescribeCertificateState %d: %v", orderID, err)
	}
	var out map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The emulated clock moves on its own, and API calls see its effects: an approved DV order is
// issued once its 5-minute review has passed in emulated time, with no Advance.
func TestClockRate_ticksOnRequestsWithoutAdvance(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1, ClockRate: 600})
	ctx := testContext(t)
	w := holdWall(t, emu)
	seedPackage(t, ctl, "digicert-free-1-free", 5, 0, 0)
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	id := createDVOrder(t, srv, client, "www.rate.test", "DNS")
	if err := ctl.Post(ctx, "orders/"+strconv.FormatInt(id, 10)+"/validation", map[string]string{"result": "approve"}, nil); err != nil {
		t.Fatal(err)
	}
	approvedAt := emu.Now()
	w.add(499 * time.Millisecond) // 299.4 emulated seconds
	if st := certificateState(t, srv, client, id); st["Type"] != "process" {
		t.Fatalf("before the review time: Type = %v, want process", st["Type"])
	}
	w.add(time.Millisecond) // 300 emulated seconds: the review is over
	st := certificateState(t, srv, client, id)
	if st["Type"] != "certificate" || !strings.Contains(st["Certificate"].(string), "BEGIN CERTIFICATE") {
		t.Fatalf("after the review time: %v, want the certificate", st)
	}
	o, found, err := ctl.Object(ctx, "orders", strconv.FormatInt(id, 10))
	if err != nil || !found {
		t.Fatalf("order %d: %v, %v", id, found, err)
	}
	issued, _ := time.Parse(time.RFC3339Nano, o["issued_at"].(string))
	wantTime(t, "issued_at", issued, approvedAt.Add(5*time.Minute))
	if emu.offset.Load() != 0 {
		t.Errorf("the clock was advanced by hand: offset %s", time.Duration(emu.offset.Load()))
	}
}

// Through real time: at 600 emulated seconds per real second, a DV order of a hosted zone is
// approved (30 s) and reviewed (5 min) in about 0.55 real seconds; the test only polls
// DescribeCertificateState through the SDK.
func TestClockRate_realTimeDVOrderIssued(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1, ClockRate: 600})
	ctx := testContext(t)
	seedPackage(t, ctl, "digicert-free-1-free", 5, 0, 0)
	if err := ctl.AddHostedZone(ctx, "example.com"); err != nil {
		t.Fatal(err)
	}
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	start := time.Now()
	id := createDVOrder(t, srv, client, "shop.example.com", "DNS")
	var types []string
	for {
		st := certificateState(t, srv, client, id)
		typ, _ := st["Type"].(string)
		if len(types) == 0 || types[len(types)-1] != typ {
			types = append(types, typ)
		}
		if typ == "certificate" {
			if !strings.Contains(st["Certificate"].(string), "BEGIN CERTIFICATE") || st["PrivateKey"] == "" {
				t.Fatalf("issued order answers %v", st)
			}
			break
		}
		if time.Since(start) > 2500*time.Millisecond {
			t.Fatalf("not issued after %s of real time: states %v", time.Since(start), types)
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	t.Logf("issued after %s of real time; states seen: %v", elapsed.Round(time.Millisecond), types)
	if elapsed < 500*time.Millisecond {
		t.Errorf("issued after %s, before 330 emulated seconds could pass at rate 600", elapsed)
	}
	if types[0] != "domain_verify" {
		t.Errorf("states seen %v, want domain_verify first", types)
	}
	if emu.offset.Load() != 0 {
		t.Errorf("the clock was advanced by hand: offset %s", time.Duration(emu.offset.Load()))
	}
}
