package cas

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// fakeClock never waits; it records the sleeps asked of it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// script answers the n-th request with the n-th step (the last step repeats).
type step func(w http.ResponseWriter, r *http.Request)

func ok(body string) step {
	return func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, body) }
}

func fail(status int, code string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"RequestId":"R-%s","HostId":"cas.aliyuncs.com","Code":%q,"Message":"scripted"}`, code, code)
	}
}

// drop reads the request, then closes the connection without an answer.
func drop(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func scripted(t *testing.T, steps ...step) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(steps) {
			i = len(steps) - 1
		}
		steps[i](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func testClient(t *testing.T, url string, maxRetries int) (*Client, *fakeClock) {
	t.Helper()
	ep, err := ParseEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	return New(Config{
		Endpoint: ep, Credentials: credentials.NewStaticAKCredentialsProvider("LTAItest", "secret"),
		Retry: RetryPolicy{MaxRetries: maxRetries, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second},
		Clock: clock, Random: func() float64 { return 0.5 }, RequestTimeout: 2 * time.Second,
	}), clock
}

const packageJSON = `{"RequestId":"R-ok","ProductCode":"geotrust-dv-1-starter","TotalCount":5,"UsedCount":2,"IssuedCount":1}`

func TestRetryPolicyDelayIsFullJitterUnderACeiling(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	tests := []struct {
		n      int
		random float64
		want   time.Duration
	}{
		{0, 0, 0},
		{0, 0.5, 50 * time.Millisecond},
		{1, 0.5, 100 * time.Millisecond},
		{3, 0.999, 799200 * time.Microsecond},
		{4, 0.5, 500 * time.Millisecond}, // 1.6 s capped at 1 s
		{30, 0.5, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := p.Delay(tt.n, tt.random); got != tt.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", tt.n, tt.random, got, tt.want)
		}
	}
}

func TestReadRetriesThrottlingAnd5xxWithBackoff(t *testing.T) {
	srv, calls := scripted(t, fail(400, "Throttling.User"), fail(503, "ServiceUnavailable"), ok(packageJSON))
	c, clock := testClient(t, srv.URL, 5)
	got, err := c.DescribePackageState(context.Background(), "geotrust-dv-1-starter")
	if err != nil {
		t.Fatal(err)
	}
	if got.TotalCount != 5 || got.UsedCount != 2 || got.IssuedCount != 1 {
		t.Fatalf("got %+v", got)
	}
	if calls.Load() != 3 {
		t.Fatalf("requests = %d, want 3", calls.Load())
	}
	want := []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) {
		t.Fatalf("sleeps = %v, want %v (full jitter at 0.5 of 100ms·2ⁿ)", clock.sleeps, want)
	}
}

func TestRetriesStopAtMaxRetries(t *testing.T) {
	srv, calls := scripted(t, fail(400, "Throttling.User"))
	c, _ := testClient(t, srv.URL, 3)
	_, err := c.DescribePackageState(context.Background(), "x")
	if !IsThrottled(err) {
		t.Fatalf("err = %v, want the last throttling error", err)
	}
	if calls.Load() != 4 {
		t.Fatalf("requests = %d, want 1 + 3 retries", calls.Load())
	}
}

func TestNotRetried(t *testing.T) {
	tests := []struct {
		name string
		step step
		is   func(error) bool
	}{
		{"invalid parameter", fail(400, "InvalidParameter"), IsInvalidParameter},
		{"not found", fail(404, "NotFoundPackage"), IsNotFound},
		{"wrong secret", fail(400, "SignatureDoesNotMatch"), IsAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := scripted(t, tt.step, ok(packageJSON))
			c, _ := testClient(t, srv.URL, 5)
			_, err := c.DescribePackageState(context.Background(), "x")
			if !tt.is(err) || calls.Load() != 1 {
				t.Fatalf("err = %v after %d requests; want the typed error after 1", err, calls.Load())
			}
		})
	}
}

func TestReadRetriesADroppedConnection(t *testing.T) {
	srv, calls := scripted(t, drop, ok(packageJSON))
	c, _ := testClient(t, srv.URL, 5)
	if _, err := c.DescribePackageState(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("requests = %d, want 2", calls.Load())
	}
}

// A call that is not safe to repeat is never resent once it may have reached the service.
func TestWriteIsNotResentWhenItsOutcomeIsUnknown(t *testing.T) {
	tests := []struct {
		name string
		step step
	}{
		{"connection dropped after the request", drop},
		{"service unavailable", fail(503, "ServiceUnavailable")},
		{"internal error", fail(500, "InternalError")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := scripted(t, tt.step, ok(`{"RequestId":"R","OrderId":1}`))
			c, _ := testClient(t, srv.URL, 5)
			err := c.common(context.Background(), "CreateCertificateForPackageRequest", false, map[string]string{"Domain": "a.example.com"}, nil)
			if !IsOutcomeUnknown(err) {
				t.Fatalf("err = %v, want OutcomeUnknownError", err)
			}
			if calls.Load() != 1 {
				t.Fatalf("requests = %d: the create was resent", calls.Load())
			}
		})
	}
}

// Throttling means the service did not act, so even a write is retried.
func TestWriteIsRetriedAfterThrottling(t *testing.T) {
	srv, calls := scripted(t, fail(400, "Throttling.User"), ok(`{"RequestId":"R","OrderId":7}`))
	c, _ := testClient(t, srv.URL, 5)
	var out struct{ OrderId int64 }
	if err := c.common(context.Background(), "CreateCertificateForPackageRequest", false, nil, &out); err != nil {
		t.Fatal(err)
	}
	if out.OrderId != 7 || calls.Load() != 2 {
		t.Fatalf("OrderId %d after %d requests", out.OrderId, calls.Load())
	}
}

// A connection that could not be opened sent nothing: a write is retried, then reported.
func TestWriteIsRetriedWhenNothingWasSent(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c, clock := testClient(t, url, 2)
	err := c.common(context.Background(), "CreateCertificateForPackageRequest", false, nil, nil)
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Sent || IsOutcomeUnknown(err) {
		t.Fatalf("err = %#v, want a NetworkError with nothing sent", err)
	}
	if len(clock.sleeps) != 2 {
		t.Fatalf("sleeps = %v, want 2 retries", clock.sleeps)
	}
}

func TestAttemptTimeoutIsRetriedForReads(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	srv, calls := scripted(t, slow, ok(packageJSON))
	c, _ := testClient(t, srv.URL, 5)
	c.cfg.RequestTimeout = 200 * time.Millisecond
	if _, err := c.DescribePackageState(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("requests = %d, want 2", calls.Load())
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	srv, _ := scripted(t, fail(400, "Throttling.User"))
	c, _ := testClient(t, srv.URL, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.DescribePackageState(ctx, "x")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestCredentialsErrorIsReturnedBeforeAnyRequest(t *testing.T) {
	srv, calls := scripted(t, ok(packageJSON))
	c, _ := testClient(t, srv.URL, 5)
	sentinel := errors.New("no credentials here")
	c.cfg.Credentials = failingCredentials{sentinel}
	_, err := c.DescribePackageState(context.Background(), "x")
	if !errors.Is(err, sentinel) || calls.Load() != 0 {
		t.Fatalf("err = %v after %d requests; want the credentials error and no request", err, calls.Load())
	}
}

type failingCredentials struct{ err error }

func (f failingCredentials) GetCredentials() (*credentials.Credentials, error) { return nil, f.err }
func (f failingCredentials) GetProviderName() string                           { return "failing" }
