package cas

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

func TestShareCertificateSendsItsParameters(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	srv, _ := scripted(t, capture(&seen, &mu, ok(`{"RequestId":"R"}`)))
	c, _ := testClient(t, srv.URL, 0)
	if err := c.ShareCertificate(context.Background(), 23279004, 1622883344556677); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 {
		t.Fatalf("%d requests, want 1", len(seen))
	}
	q := seen[0].query
	if q.Get("Action") != "ShareCertificate" || q.Get("Version") != APIVersion ||
		q.Get("CertificateId") != "23279004" || q.Get("TargetUserId") != "1622883344556677" {
		t.Fatalf("sent %v", q)
	}
}

// A certificate is shared once and no action reads a share back: a share that may have
// happened is never resent, because the resend would be refused as "already shared" and nothing
// could tell that refusal from a real one.
func TestShareCertificateIsNotResentWhenItsOutcomeIsUnknown(t *testing.T) {
	for _, tt := range []struct {
		name string
		step step
	}{
		{"connection dropped after the request", drop},
		{"service unavailable", fail(503, "ServiceUnavailable")},
		{"internal error", fail(500, "InternalError")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.step, ok(`{"RequestId":"R"}`))
			c, _ := testClient(t, srv.URL, 5)
			err := c.ShareCertificate(context.Background(), 1, 1622883344556677)
			if !IsOutcomeUnknown(err) {
				t.Fatalf("err = %v, want OutcomeUnknownError", err)
			}
			if n.Load() != 1 {
				t.Fatalf("requests = %d, want exactly 1: the share was resent", n.Load())
			}
		})
	}
}

// Throttling means the service did not run the call: retrying it is safe.
func TestShareCertificateRetriesThrottling(t *testing.T) {
	srv, n := scripted(t, fail(400, "Throttling.User"), ok(`{"RequestId":"R"}`))
	c, _ := testClient(t, srv.URL, 3)
	if err := c.ShareCertificate(context.Background(), 1, 1622883344556677); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Fatalf("requests = %d, want 2", n.Load())
	}
}

func TestShareCertificateErrors(t *testing.T) {
	tests := []struct {
		name string
		step step
		is   func(error) bool
	}{
		{"refused (R-51, R-52)", fail(400, "OperationDenied"), func(err error) bool { return IsShareRefused(err) }},
		{"unknown certificate", fail(404, "NotFound"), func(err error) bool { return IsNotFound(err) && !IsShareRefused(err) }},
		{"bad account id", fail(400, "InvalidParameter"), func(err error) bool { return IsInvalidParameter(err) && !IsShareRefused(err) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.step, ok(`{"RequestId":"R"}`))
			c, _ := testClient(t, srv.URL, 3)
			err := c.ShareCertificate(context.Background(), 1, 1622883344556677)
			if !tt.is(err) || n.Load() != 1 {
				t.Fatalf("err = %v after %d requests", err, n.Load())
			}
		})
	}
}

// Against the emulator, over HTTP with real signatures: a purchased, issued certificate is shared
// once; the second share, an unknown certificate and a malformed account are refused.
func TestShareCertificateAgainstTheEmulator(t *testing.T) {
	srv, _ := emulator.NewTestServer(emulator.Options{Seed: 1})
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := New(Config{Endpoint: ep, Retry: RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		Credentials: credentials.NewStaticAKCredentialsProvider(emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)})
	ctl := control.New(srv.URL)
	ctx := context.Background()
	const product = "geotrust-dv-1-starter"
	if err := ctl.PutObject(ctx, "packages", product, map[string]any{"product_code": product, "total_count": 1}); err != nil {
		t.Fatal(err)
	}
	order, err := c.CreateOrder(ctx, OrderRequest{ProductCode: product, Domains: []string{"www.example.com"}, ValidateType: "DNS",
		Username: "Tom", Phone: "13900000000", Email: "tom@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"validation", "issue"} {
		var body any
		if route == "validation" {
			body = map[string]string{"result": "approve"}
		}
		if err := ctl.Post(ctx, fmt.Sprintf("orders/%d/%s", order, route), body, nil); err != nil {
			t.Fatal(err)
		}
	}
	st, err := c.DescribeCertificateState(ctx, order)
	if err != nil || st.CertID == 0 {
		t.Fatalf("issued order: %+v, %v", st, err)
	}
	const target = 1622883344556677
	if err := c.ShareCertificate(ctx, st.CertID, target); err != nil {
		t.Fatal(err)
	}
	shares, err := ctl.Objects(ctx, "shares")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := shares.([]any)
	if len(list) != 1 {
		t.Fatalf("shares = %v, want one", shares)
	}
	share, _ := list[0].(map[string]any)
	if fmt.Sprint(share["certificate_id"]) != strconv.FormatInt(st.CertID, 10) || fmt.Sprint(share["target_user_id"]) != strconv.Itoa(target) {
		t.Fatalf("share = %v", share)
	}
	if err := c.ShareCertificate(ctx, st.CertID, 1622883344556678); !IsShareRefused(err) {
		t.Fatalf("sharing twice (R-52): err = %v, want a refusal", err)
	}
	if err := c.ShareCertificate(ctx, st.CertID+1000, target); !IsNotFound(err) {
		t.Fatalf("sharing an unknown certificate: err = %v, want NotFoundError", err)
	}
	if err := c.ShareCertificate(ctx, st.CertID, 12345); !IsInvalidParameter(err) || IsShareRefused(err) {
		t.Fatalf("sharing with a 5-digit account: err = %v, want InvalidParameterError", err)
	}
}
