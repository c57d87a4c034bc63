package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

func TestControl_objectsRoundTrip(t *testing.T) {
	_, emu, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	const code = "geotrust-dv-1-starter"

	if _, found, err := ctl.Object(ctx, "packages", code); err != nil || found {
		t.Fatalf("before PUT: found %v, %v", found, err)
	}
	seedPackage(t, ctl, code, 5, 0, 0)
	emu.mu.Lock()
	p := emu.state.Packages[code]
	emu.mu.Unlock()
	if p == nil || p.TotalCount != 5 {
		t.Fatalf("state after PUT: %+v", p)
	}
	if err := ctl.PatchObject(ctx, "packages", code, map[string]any{"used_count": 2, "issued_count": 1}); err != nil {
		t.Fatal(err)
	}
	obj, found, err := ctl.Object(ctx, "packages", code)
	if err != nil || !found {
		t.Fatalf("GET: %v %v", found, err)
	}
	want := map[string]any{"product_code": code, "total_count": 5.0, "used_count": 2.0, "issued_count": 1.0}
	for k, v := range want {
		if obj[k] != v {
			t.Errorf("%s = %v, want %v", k, obj[k], v)
		}
	}
	all, err := ctl.Objects(ctx, "packages")
	if m, _ := all.(map[string]any); err != nil || len(m) != 1 {
		t.Errorf("Objects = %v, %v", all, err)
	}
	if err := ctl.DeleteObject(ctx, "packages", code); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ctl.Object(ctx, "packages", code); found {
		t.Error("the package survived DELETE")
	}
}

func TestControl_objectErrors(t *testing.T) {
	_, _, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	seedPackage(t, ctl, "geotrust-dv-1-starter", 5, 0, 0)
	tests := []struct {
		name   string
		call   func() error
		status int
	}{
		{"unknown kind", func() error { _, err := ctl.Objects(ctx, "nope"); return err }, 404},
		{"next_id is not a kind", func() error { _, err := ctl.Objects(ctx, "next_id"); return err }, 404},
		{"patch of a missing object", func() error { return ctl.PatchObject(ctx, "packages", "missing", map[string]any{"x": 1}) }, 404},
		{"delete of a missing object", func() error { return ctl.DeleteObject(ctx, "packages", "missing") }, 404},
		{"wrong type", func() error {
			return ctl.PatchObject(ctx, "packages", "geotrust-dv-1-starter", map[string]any{"total_count": "five"})
		}, 400},
		{"unknown field", func() error {
			return ctl.PutObject(ctx, "packages", "x", map[string]any{"product_code": "x", "totl_count": 5})
		}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			ce, ok := err.(*control.Error)
			if !ok || ce.StatusCode != tt.status {
				t.Fatalf("err = %v, want HTTP %d", err, tt.status)
			}
		})
	}
	obj, _, _ := ctl.Object(ctx, "packages", "geotrust-dv-1-starter")
	if obj["total_count"] != 5.0 {
		t.Errorf("a refused edit changed the state: %v", obj)
	}
}

// Objects with numeric ids raise NextID, so that new objects never take a seeded id.
func TestControl_seededIDsRaiseNextID(t *testing.T) {
	_, emu, ctl := startEmulator(t, Options{Seed: 1})
	if err := ctl.PutObject(testContext(t), "orders", "200000", map[string]any{"id": 200000}); err != nil {
		t.Fatal(err)
	}
	emu.mu.Lock()
	got := emu.state.newID()
	emu.mu.Unlock()
	if got != 200001 {
		t.Errorf("next id = %d, want 200001", got)
	}
}

func TestControl_reset(t *testing.T) {
	srv, emu, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	seedPackage(t, ctl, "geotrust-dv-1-starter", 5, 0, 0)
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	if _, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, map[string]string{"ProductCode": "geotrust-dv-1-starter"})); err != nil {
		t.Fatal(err)
	}
	if err := ctl.SetFaults(ctx, control.Faults{LatencyMS: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := ctl.Advance(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	state, err := ctl.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := state["packages"].(map[string]any); len(p) != 0 {
		t.Errorf("packages after reset: %v", p)
	}
	if reqs, _ := ctl.Requests(ctx, ""); len(reqs) != 0 {
		t.Errorf("log after reset: %v", reqs)
	}
	if c, _ := ctl.Counters(ctx); c.Total != 0 {
		t.Errorf("counters after reset: %+v", c)
	}
	if f := emu.Faults(); f.LatencyMS != 0 {
		t.Errorf("faults after reset: %+v", f)
	}
	if now, _ := ctl.Now(ctx); now.Sub(time.Now()).Abs() > time.Minute {
		t.Errorf("clock after reset: %s", now)
	}
	// The key pair still works.
	if _, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil)); err == nil || !strings.Contains(err.Error(), "NotFoundPackage") {
		t.Errorf("after reset: %v", err)
	}
}

func TestControl_clockAdvanceRunsTickers(t *testing.T) {
	var seen []time.Time
	saved := tickers
	tickers = append(tickers[:len(tickers):len(tickers)], func(s *State, now time.Time) { seen = append(seen, now) })
	t.Cleanup(func() { tickers = saved })

	_, _, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	before, err := ctl.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, err := ctl.Advance(ctx, 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if d := after.Sub(before); d < 48*time.Hour || d > 48*time.Hour+time.Minute {
		t.Errorf("advanced by %s", d)
	}
	if len(seen) == 0 || seen[len(seen)-1].Sub(before) < 48*time.Hour {
		t.Errorf("tickers saw %v", seen)
	}
	if _, err := ctl.Advance(ctx, -time.Second); err == nil {
		t.Error("the clock moved backwards")
	}
}

func TestControl_requestLogMasksSecrets(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	_, _ = process(t, client, casRequest(srv, "DescribePackageState", requests.POST, map[string]string{
		"Key": "-----BEGIN PRIVATE KEY-----", "PrivateKey": "pk", "SignPrivateKey": "spk", "EncryptPrivateKey": "epk",
		"MyPrivateKey": "x", "Name": "visible", "ProductCode": "geotrust-dv-1-starter",
	}))
	reqs, err := ctl.Requests(testContext(t), "DescribePackageState")
	if err != nil || len(reqs) != 1 {
		t.Fatalf("log = %v, %v", reqs, err)
	}
	p := reqs[0].Params
	for _, k := range []string{"Key", "PrivateKey", "SignPrivateKey", "EncryptPrivateKey", "MyPrivateKey", "Signature"} {
		if p[k] != "***" {
			t.Errorf("%s logged as %q", k, p[k])
		}
	}
	for k, v := range map[string]string{"Name": "visible", "AccessKeyId": DemoAccessKeyID, "ProductCode": "geotrust-dv-1-starter"} {
		if p[k] != v {
			t.Errorf("%s logged as %q, want %q", k, p[k], v)
		}
	}
	r := reqs[0]
	if r.AccessKeyID != DemoAccessKeyID || r.SignatureStyle != "rpc" || r.Code != "NotFoundPackage" || r.HTTPStatus != 404 || !r.Committed || r.RequestID == "" || r.Version != casVersion {
		t.Errorf("entry = %+v", r)
	}
	c, err := ctl.Counters(testContext(t))
	if err != nil || c.Total != 1 || c.ByAction["DescribePackageState"] != 1 || c.ByCode["NotFoundPackage"] != 1 {
		t.Errorf("counters = %+v, %v", c, err)
	}
	if err := ctl.ClearRequests(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if reqs, _ := ctl.Requests(testContext(t), ""); len(reqs) != 0 {
		t.Errorf("log after clear: %d entries", len(reqs))
	}
}

func TestControl_credentials(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	if err := ctl.AddCredential(ctx, control.Credential{AccessKeyID: "LTAIextra", AccessKeySecret: "extra-secret"}); err != nil {
		t.Fatal(err)
	}
	client, _ := sdkClient(t, akCredential("LTAIextra", "extra-secret"))
	call := func() error {
		_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil))
		return err
	}
	if err := call(); err == nil || !strings.Contains(err.Error(), "NotFoundPackage") {
		t.Fatalf("with the added key: %v", err)
	}
	if err := ctl.RemoveCredential(ctx, "LTAIextra"); err != nil {
		t.Fatal(err)
	}
	serverError(t, call(), http.StatusNotFound, "InvalidAccessKeyId.NotFound")
	if err := ctl.RemoveCredential(ctx, "LTAIextra"); !control.IsNotFound(err) {
		t.Errorf("removing twice: %v", err)
	}
	if err := ctl.AddCredential(ctx, control.Credential{AccessKeyID: "LTAIx"}); err == nil {
		t.Error("a key without a secret was accepted")
	}
}

func TestControl_registeredRoutes(t *testing.T) {
	saved := controlRoutes
	t.Cleanup(func() { controlRoutes = saved })
	registerControl("POST", "testonly/{}/poke", func(s *State, now time.Time, args []string, body []byte) (any, *APIError) {
		if args[0] == "missing" {
			return nil, Errorf(http.StatusNotFound, "NotFoundOrder", "no order %s", args[0])
		}
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		return map[string]any{"id": args[0], "got": in["x"]}, nil
	})
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	var out map[string]any
	if err := ctl.Post(testContext(t), "testonly/42/poke", map[string]any{"x": "y"}, &out); err != nil {
		t.Fatal(err)
	}
	if out["id"] != "42" || out["got"] != "y" {
		t.Errorf("answer = %v", out)
	}
	err := ctl.Post(testContext(t), "/_emulator/testonly/missing/poke", nil, nil)
	if ce, ok := err.(*control.Error); !ok || ce.StatusCode != 404 || ce.Code != "NotFoundOrder" {
		t.Errorf("err = %v", err)
	}
	resp, err := http.Get(srv.URL + "/_emulator/no/such/route")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(body), `"error"`) {
		t.Errorf("unknown route: %d %s", resp.StatusCode, body)
	}
}
