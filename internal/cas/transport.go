package cas

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// attemptTransport carries one attempt's context into the SDK's HTTP request (the v1 SDK has no
// context parameter) and records how far the request got: reached (a connection was asked for)
// and sent (request headers were written, so the service may act on it).
type attemptTransport struct {
	ctx     context.Context
	base    http.RoundTripper
	reached atomic.Bool
	sent    atomic.Bool
}

func (t *attemptTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.reached.Store(true)
	trace := &httptrace.ClientTrace{WroteHeaders: func() { t.sent.Store(true) }}
	return t.base.RoundTrip(r.WithContext(httptrace.WithClientTrace(t.ctx, trace)))
}

// newBaseTransport is the connection pool shared by all calls of one client.
func newBaseTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	return t
}
