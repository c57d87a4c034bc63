package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

func TestHostedDomain(t *testing.T) {
	zones := []string{"example.com", "corp.example.org"}
	for _, tt := range []struct {
		domain string
		want   bool
	}{
		{"example.com", true},
		{"www.example.com", true},
		{"a.b.example.com", true},
		{"*.example.com", true},
		{"*.shop.example.com", true},
		{"WWW.Example.COM", true},
		{"notexample.com", false},
		{"example.com.cn", false},
		{"example.org", false},
		{"www.example.org", false},
		{"corp.example.org", true},
		{"*.corp.example.org", true},
		{"x.corp.example.org", true},
		{"1.2.3.4", false},
	} {
		if got := hostedDomain(zones, tt.domain); got != tt.want {
			t.Errorf("hostedDomain(%q) = %v, want %v", tt.domain, got, tt.want)
		}
	}
	if hostedDomain(nil, "example.com") {
		t.Error("a domain is hosted without any zone")
	}
}

// hostedZones reads GET /_emulator/hosted_zones.
func hostedZones(t *testing.T, srv *httptest.Server) []string {
	t.Helper()
	resp, err := http.Get(srv.URL + "/_emulator/hosted_zones")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var zones []string
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &zones) != nil || zones == nil {
		t.Fatalf("GET /_emulator/hosted_zones = %d %s, want a JSON list", resp.StatusCode, body)
	}
	return zones
}

func TestHostedZones_control(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	if z := hostedZones(t, srv); len(z) != 0 {
		t.Fatalf("zones of a new account = %v, want none", z)
	}
	for _, zone := range []string{"", "com", "*.example.com", "1.2.3.4", "exa mple.com", "-bad.example.com", "例子.com", "example.123"} {
		err := ctl.AddHostedZone(ctx, zone)
		var ce *control.Error
		if !errors.As(err, &ce) || ce.StatusCode != http.StatusBadRequest || ce.Code != "InvalidParameter" {
			t.Errorf("AddHostedZone(%q) = %v, want 400 InvalidParameter", zone, err)
		}
	}
	resp, err := http.Post(srv.URL+"/_emulator/hosted_zones", "application/json", strings.NewReader(`{"zone": "example.com", "ttl": 600}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST with an unknown field = %d, want 400", resp.StatusCode)
	}

	for _, zone := range []string{"Example.COM.", "shop.example.net", "example.com"} {
		if err := ctl.AddHostedZone(ctx, zone); err != nil {
			t.Fatalf("AddHostedZone(%q): %v", zone, err)
		}
	}
	if z := hostedZones(t, srv); !slices.Equal(z, []string{"example.com", "shop.example.net"}) {
		t.Errorf("zones = %v, want [example.com shop.example.net] (normalised, once each)", z)
	}
	state, err := ctl.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(state["hosted_zones"]); string(got) != `["example.com","shop.example.net"]` {
		t.Errorf("state hosted_zones = %s", got)
	}

	// A state document carries them (the demo seed does).
	if err := ctl.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/_emulator/state", strings.NewReader(`{"hosted_zones": ["seeded.example"]}`))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT state: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if z := hostedZones(t, srv); !slices.Equal(z, []string{"seeded.example"}) {
		t.Errorf("zones after PUT state = %v", z)
	}
}

// The demo's seed file is a state document; it hosts example.com.
func TestHostedZones_demoSeed(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "demo", "emulator-seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := decodeState(data, true)
	if err != nil {
		t.Fatalf("the demo seed is not a state document: %v", err)
	}
	if !slices.Equal(s.HostedZones, []string{"example.com"}) {
		t.Errorf("the demo seed hosts %v, want [example.com]", s.HostedZones)
	}
}

// orderView is an order as the control API shows it.
func orderView(t *testing.T, ctl *control.Client, id int64) map[string]any {
	t.Helper()
	o, found, err := ctl.Object(testContext(t), "orders", strconv.FormatInt(id, 10))
	if err != nil || !found {
		t.Fatalf("order %d: found %v, %v", id, found, err)
	}
	return o
}

func orderTime(t *testing.T, o map[string]any, field string) time.Time {
	t.Helper()
	s, _ := o[field].(string)
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("order %v: %s = %q", o["id"], field, s)
	}
	return at
}

// createPackageOrder applies through CreateCertificateForPackageRequest (up to 5 domains, any
// specification) and returns the OrderId.
func createPackageOrder(t *testing.T, srv *httptest.Server, client *sdk.Client, code, domains, validateType string) int64 {
	t.Helper()
	resp, err := process(t, client, casRequest(srv, "CreateCertificateForPackageRequest", requests.POST, map[string]string{
		"ProductCode": code, "Domain": domains, "ValidateType": validateType,
		"Username": "Ops", "Phone": "13800000000", "Email": "ops@example.com", "CompanyName": "Example Ltd",
	}))
	if err != nil {
		t.Fatalf("CreateCertificateForPackageRequest %s %s: %v", code, domains, err)
	}
	var out struct{ OrderId int64 }
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil || out.OrderId == 0 {
		t.Fatalf("CreateCertificateForPackageRequest answered %s (%v)", resp.GetHttpContentString(), err)
	}
	return out.OrderId
}

func TestHostedZones_autoApproveDNSOrders(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	holdWall(t, emu) // the real clock stands still: only Advance moves the emulated one
	for _, code := range []string{"digicert-free-1-free", "geotrust-dv-w-starter", "geotrust-dv-1-starter", "geotrust-ov-1-personal"} {
		seedPackage(t, ctl, code, 10, 0, 0)
	}
	if err := ctl.AddHostedZone(ctx, "example.com"); err != nil {
		t.Fatal(err)
	}
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))

	submitted := emu.Now()
	hosted := map[string]int64{
		"sub":      createDVOrder(t, srv, client, "www.example.com", "DNS"),
		"apex":     createDVOrder(t, srv, client, "example.com", "DNS"),
		"wildcard": createPackageOrder(t, srv, client, "geotrust-dv-w-starter", "*.shop.example.com", "DNS"),
		"multi":    createPackageOrder(t, srv, client, "geotrust-dv-1-starter", "a.example.com,b.example.com", "DNS"),
		"ov":       createPackageOrder(t, srv, client, "geotrust-ov-1-personal", "corp.example.com", "DNS"),
	}
	notHosted := map[string]int64{
		"file":        createDVOrder(t, srv, client, "files.example.com", "FILE"),
		"other zone":  createDVOrder(t, srv, client, "www.example.org", "DNS"),
		"suffix only": createDVOrder(t, srv, client, "notexample.com", "DNS"),
		"one outside": createPackageOrder(t, srv, client, "geotrust-dv-1-starter", "a.example.com,b.example.net", "DNS"),
	}
	wantType := func(when string, ids map[string]int64, want string) {
		t.Helper()
		for name, id := range ids {
			if st := certificateState(t, srv, client, id); st["Type"] != want {
				t.Errorf("%s: order %q is %v, want %s", when, name, st["Type"], want)
			}
		}
	}

	if _, err := ctl.Advance(ctx, 29*time.Second); err != nil {
		t.Fatal(err)
	}
	wantType("29 s after submission", hosted, "domain_verify")
	wantType("29 s after submission", notHosted, "domain_verify")

	if _, err := ctl.Advance(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
	wantType("30 s after submission", hosted, "process")
	wantType("30 s after submission", notHosted, "domain_verify")
	for name, id := range hosted {
		wantTime(t, "process_at of "+name, orderTime(t, orderView(t, ctl, id), "process_at"), submitted.Add(30*time.Second))
	}

	// One Advance across approval and review issues a DV order, dated from the review's end.
	if _, err := ctl.Advance(ctx, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sub", "apex", "wildcard", "multi"} {
		o := orderView(t, ctl, hosted[name])
		if o["status"] != "certificate" {
			t.Errorf("order %q after the review = %v, want certificate", name, o["status"])
			continue
		}
		wantTime(t, "issued_at of "+name, orderTime(t, o, "issued_at"), submitted.Add(5*time.Minute+30*time.Second))
	}
	wantType("after the DV review", map[string]int64{"ov": hosted["ov"]}, "process") // 5 days for OV
	if _, err := ctl.Advance(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	wantType("a day later", notHosted, "domain_verify") // FILE and other zones wait for a hand
}

// An order that waited before its zone was hosted is approved when the zone is added, not back
// dated; one whose 30 s are not over yet is approved when they are.
func TestHostedZones_zoneAddedLater(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	holdWall(t, emu)
	seedPackage(t, ctl, "digicert-free-1-free", 10, 0, 0)
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))

	start := emu.Now()
	waited := createDVOrder(t, srv, client, "www.late.example", "DNS")
	if _, err := ctl.Advance(ctx, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	recent := createDVOrder(t, srv, client, "api.late.example", "DNS")
	if _, err := ctl.Advance(ctx, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if st := certificateState(t, srv, client, waited); st["Type"] != "domain_verify" {
		t.Fatalf("before the zone: %v", st["Type"])
	}
	if err := ctl.AddHostedZone(ctx, "late.example"); err != nil {
		t.Fatal(err)
	}
	added := start.Add(10*time.Minute + 10*time.Second)
	o := orderView(t, ctl, waited)
	if o["status"] != "process" {
		t.Fatalf("the order that waited, after its zone was added: %v, want process", o["status"])
	}
	wantTime(t, "process_at of the order that waited", orderTime(t, o, "process_at"), added)
	if o := orderView(t, ctl, recent); o["status"] != "domain_verify" {
		t.Errorf("the recent order right after its zone was added: %v, want domain_verify", o["status"])
	}

	if _, err := ctl.Advance(ctx, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	o = orderView(t, ctl, recent)
	if o["status"] != "process" {
		t.Fatalf("the recent order 30 s after submission: %v, want process", o["status"])
	}
	wantTime(t, "process_at of the recent order", orderTime(t, o, "process_at"), start.Add(10*time.Minute+30*time.Second))

	// The review runs from the approval: 5 minutes after the zone was added, not before.
	if _, err := ctl.Advance(ctx, 4*time.Minute); err != nil {
		t.Fatal(err)
	}
	if st := certificateState(t, srv, client, waited); st["Type"] != "process" {
		t.Errorf("4m20s after the zone was added: %v, want process", st["Type"])
	}
	if _, err := ctl.Advance(ctx, 40*time.Second); err != nil {
		t.Fatal(err)
	}
	if st := certificateState(t, srv, client, waited); st["Type"] != "certificate" {
		t.Errorf("5 min after the zone was added: %v, want certificate", st["Type"])
	}
}
