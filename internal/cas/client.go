// Package cas is the provider's client for the Alibaba Cloud Certificate Management Service API
// (RPC, version 2020-04-07). It wraps github.com/aliyun/alibaba-cloud-sdk-go: the typed
// services/cas calls where the SDK has the action, CommonRequest for the rest.
//
// Every call gets a per-attempt deadline, retries with exponential backoff and full jitter on
// throttling, 5xx and network errors when that is safe, turns service errors into a small set of
// typed errors (NotFoundError, ThrottledError, InvalidParameterError, QuotaExceededError,
// AuthError, ServiceError, OutcomeUnknownError), and is logged with tflog at DEBUG (action,
// request id, attempt, duration; never parameters, so never secrets).
//
// A call that is not safe to repeat (a create that costs money) is never resent once it may have
// reached the service: the client returns OutcomeUnknownError and the resource looks for what it
// may have created before it tries again.
package cas

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	sdkcas "github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// APIVersion is the CAS API version every call uses.
const APIVersion = "2020-04-07"

// DefaultRequestTimeout bounds one attempt of one call.
const DefaultRequestTimeout = 30 * time.Second

// Config is what a Client needs.
type Config struct {
	Region      string
	Endpoint    Endpoint
	Credentials credentials.CredentialsProvider
	Retry       RetryPolicy
	// RequestTimeout bounds each attempt; the caller's context bounds the whole call.
	RequestTimeout time.Duration
	UserAgent      string
	// DisableBatching makes every Read ask for its own object (batch.go); for benchmarks.
	DisableBatching bool

	// Transport, Clock and Random are for tests; nil means the real ones.
	Transport http.RoundTripper
	Clock     Clock
	Random    func() float64
}

// Client calls the CAS API. It is safe for concurrent use.
type Client struct {
	cfg   Config
	base  http.RoundTripper
	batch uploadedBatch
}

// New returns a client. It makes no call: credentials are asked for at the first call.
func New(cfg Config) *Client {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if cfg.Random == nil {
		cfg.Random = defaultRandom
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	base := cfg.Transport
	if base == nil {
		base = newBaseTransport()
	}
	return &Client{cfg: cfg, base: base}
}

// Region is the region the client calls in.
func (c *Client) Region() string { return c.cfg.Region }

// Endpoint is where the client sends calls.
func (c *Client) Endpoint() Endpoint { return c.cfg.Endpoint }

// attempt is one try of a call: given an SDK client bound to this attempt's context, it sends the
// request and returns the service's request id.
type attempt func(sc *sdkcas.Client) (requestID string, err error)

// invoke runs a call with retries, deadlines, error translation and logging.
func (c *Client) invoke(ctx context.Context, action string, idempotent bool, try attempt) error {
	for n := 0; ; n++ {
		start := c.cfg.Clock.Now()
		requestID, reached, sent, err := c.once(ctx, try)
		if err != nil {
			err = translate(action, err, reached, sent)
		}
		c.log(ctx, action, n+1, start, requestID, err)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w (last error: %v)", action, ctx.Err(), err)
		}
		switch decide(err, idempotent) {
		case outcomeUnknown:
			return &OutcomeUnknownError{Action: action, Err: err}
		case giveUp:
			return err
		}
		if n >= c.cfg.Retry.MaxRetries {
			return err
		}
		if serr := c.cfg.Clock.Sleep(ctx, c.cfg.Retry.Delay(n, c.cfg.Random())); serr != nil {
			return fmt.Errorf("%s: %w (last error: %v)", action, serr, err)
		}
	}
}

// once makes one attempt with an SDK client of its own: the v1 SDK writes per-request timeouts
// into the client, so clients are not shared between concurrent calls (the connection pool is).
func (c *Client) once(ctx context.Context, try attempt) (requestID string, reached, sent bool, err error) {
	timeout := c.cfg.RequestTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < timeout {
			timeout = left
		}
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tr := &attemptTransport{ctx: actx, base: c.base}
	cfg := sdk.NewConfig()
	cfg.AutoRetry = false
	cfg.MaxRetryTime = 0
	cfg.Scheme = c.cfg.Endpoint.Scheme
	cfg.Timeout = timeout
	cfg.Transport = tr
	cfg.UserAgent = c.cfg.UserAgent
	sc := &sdkcas.Client{}
	if err = sc.InitWithOptions(c.cfg.Region, cfg, c.cfg.Credentials); err != nil {
		return "", false, false, err
	}
	requestID, err = try(sc)
	return requestID, tr.reached.Load(), tr.sent.Load(), err
}

// prepare points a request at the configured endpoint with this attempt's timeouts.
func (c *Client) prepare(r requests.AcsRequest) {
	r.SetDomain(c.cfg.Endpoint.Host)
	r.SetScheme(c.cfg.Endpoint.Scheme)
	r.SetReadTimeout(c.cfg.RequestTimeout)
	r.SetConnectTimeout(10 * time.Second)
}

// common calls an action the typed SDK lacks, with query parameters, decoding the JSON answer
// into out (may be nil).
func (c *Client) common(ctx context.Context, action string, idempotent bool, params map[string]string, out any) error {
	return c.commonRequest(ctx, commonCall{Action: action, Idempotent: idempotent, Query: params}, out)
}

// commonCall is one CommonRequest: Version defaults to APIVersion; Form parameters travel in the
// POST body, which keeps certificates and private keys out of URLs (and so out of proxies' and
// gateways' access logs).
type commonCall struct {
	Action     string
	Version    string
	Idempotent bool
	Query      map[string]string
	Form       map[string]string
}

func (c *Client) commonRequest(ctx context.Context, call commonCall, out any) error {
	version := call.Version
	if version == "" {
		version = APIVersion
	}
	return c.invoke(ctx, call.Action, call.Idempotent, func(sc *sdkcas.Client) (string, error) {
		r := requests.NewCommonRequest()
		r.Method = requests.POST
		r.Product = "cas"
		r.Version = version
		r.ApiName = call.Action
		c.prepare(r)
		for k, v := range call.Query {
			r.QueryParams[k] = v
		}
		for k, v := range call.Form {
			r.FormParams[k] = v
		}
		resp, err := sc.ProcessCommonRequest(r)
		if err != nil {
			return "", err
		}
		var id struct{ RequestId string }
		body := resp.GetHttpContentBytes()
		if err := json.Unmarshal(body, &id); err != nil {
			return "", fmt.Errorf("%s: the answer is not JSON: %w", call.Action, err)
		}
		if out != nil {
			if err := json.Unmarshal(body, out); err != nil {
				return id.RequestId, fmt.Errorf("%s: the answer does not have the expected shape: %w", call.Action, err)
			}
		}
		return id.RequestId, nil
	})
}

func (c *Client) log(ctx context.Context, action string, attemptNo int, start time.Time, requestID string, err error) {
	fields := map[string]any{
		"cas_action":      action,
		"cas_attempt":     attemptNo,
		"cas_duration_ms": c.cfg.Clock.Now().Sub(start).Milliseconds(),
		"cas_request_id":  requestID,
	}
	if err != nil {
		fields["cas_error"] = err.Error()
		var api *APIError
		if asAPIError(err, &api) {
			fields["cas_request_id"] = api.RequestID
			fields["cas_error_code"] = api.Code
		}
		tflog.Debug(ctx, "CAS API call failed", fields)
		return
	}
	tflog.Debug(ctx, "CAS API call", fields)
}
