package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// fakeClock is a settable clock for the limiter.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestRateLimiter(t *testing.T) {
	type step struct {
		after   time.Duration // clock advance before the calls
		account string
		action  string
		calls   int
		allowed int
	}
	tests := []struct {
		name      string
		realistic bool
		global    float64
		steps     []step
	}{
		{name: "documented limit of 10/s with a burst of 10", realistic: true, steps: []step{
			{account: "a", action: "ListUserCertificateOrder", calls: 11, allowed: 10},
			{after: 100 * time.Millisecond, account: "a", action: "ListUserCertificateOrder", calls: 2, allowed: 1},
			{after: 2 * time.Second, account: "a", action: "ListUserCertificateOrder", calls: 12, allowed: 10},
		}},
		{name: "per account", realistic: true, steps: []step{
			{account: "a", action: "DeleteUserCertificate", calls: 10, allowed: 10},
			{account: "b", action: "DeleteUserCertificate", calls: 10, allowed: 10},
			{account: "a", action: "DeleteUserCertificate", calls: 1, allowed: 0},
		}},
		{name: "per action", realistic: true, steps: []step{
			{account: "a", action: "GetUserCertificateDetail", calls: 101, allowed: 100},
			{account: "a", action: "ListCert", calls: 100, allowed: 100},
		}},
		{name: "undocumented actions are unlimited", realistic: true, steps: []step{
			{account: "a", action: "DescribePackageState", calls: 1000, allowed: 1000},
		}},
		{name: "not realistic", realistic: false, steps: []step{
			{account: "a", action: "ListUserCertificateOrder", calls: 50, allowed: 50},
		}},
		{name: "global limit", realistic: false, global: 5, steps: []step{
			{account: "a", action: "DescribePackageState", calls: 3, allowed: 3},
			{account: "a", action: "ListCert", calls: 3, allowed: 2},
			{after: time.Second, account: "a", action: "ListCert", calls: 6, allowed: 5},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			l := newRateLimiter(tt.realistic, clock.now)
			if tt.global > 0 {
				lim := l.get()
				lim.GlobalRPS = tt.global
				if err := l.set(lim); err != nil {
					t.Fatal(err)
				}
			}
			for i, s := range tt.steps {
				clock.advance(s.after)
				allowed := 0
				for range s.calls {
					if l.allowMethods(s.account, s.action) {
						allowed++
					}
				}
				if allowed != s.allowed {
					t.Errorf("step %d: %d of %d %s calls allowed, want %d", i, allowed, s.calls, s.action, s.allowed)
				}
			}
		})
	}
}

// Over HTTP: a limit set through the control API answers Throttling.User.
func TestRateLimit_throughTheAPI(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	seedPackage(t, ctl, "digicert-free-1-free", 1, 0, 0)
	if err := ctl.SetLimits(testContext(t), control.Limits{Realistic: true, PerAction: map[string]float64{"DescribePackageState": 2}}); err != nil {
		t.Fatal(err)
	}
	lim, err := ctl.Limits(testContext(t))
	if err != nil || !lim.Realistic || lim.PerAction["DescribePackageState"] != 2 {
		t.Fatalf("limits = %+v, %v", lim, err)
	}
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	for i := range 3 {
		_, err := process(t, client, casRequest(srv, "DescribePackageState", requests.POST, nil))
		if i < 2 && err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		if i == 2 {
			serverError(t, err, http.StatusBadRequest, "Throttling.User")
		}
	}
}
