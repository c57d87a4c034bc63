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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
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
	// RateLimit caps the calls per second of the whole account, all actions together; 0 means no
	// cap. Each action is paced at its documented rate anyway, adaptively (ratelimit.go).
	RateLimit float64
	// DisableRateLimit turns client-side pacing off, RateLimit included: for emulator tests and
	// benchmark comparisons.
	DisableRateLimit bool

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

	// limiter paces attempts (ratelimit.go); nil when Config.DisableRateLimit.
	limiter *limiter
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
	return &Client{cfg: cfg, base: base, limiter: newLimiter(cfg)}
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
		if err := c.limiter.wait(ctx, action); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		start := c.cfg.Clock.Now()
		requestID, reached, sent, err := c.once(ctx, try)
		if err != nil {
			err = translate(action, err, reached, sent)
		}
		c.log(ctx, action, n+1, start, requestID, err)
		if err == nil {
			c.limiter.succeeded(action)
			return nil
		}
		if IsThrottled(err) {
			c.limiter.throttled(action)
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
	requestID, err = tryRecovering(sc, try)
	if err == nil && requestID == "" {
		// Every answer of the service has a RequestId: an empty 200, null or a proxy's JSON has none,
		// and the typed SDK would take it for an empty success (an empty list).
		err = unreadableAnswer(200, "the answer has no RequestId: it is not the service's")
	}
	return requestID, tr.reached.Load(), tr.sent.Load(), err
}

// tryRecovering runs an attempt; the SDK panics on error answers whose fields have other JSON
// types (sdk/errors.NewServerError type-asserts them), which must fail the call, not the provider.
func tryRecovering(sc *sdkcas.Client, try attempt) (requestID string, err error) {
	defer func() {
		if p := recover(); p != nil {
			requestID, err = "", unreadableAnswer(0, fmt.Sprintf("the SDK failed on an answer of unexpected types (%v)", p))
		}
	}()
	return try(sc)
}

func unreadableAnswer(status int, msg string) error {
	content, _ := json.Marshal(map[string]string{"Code": "InternalError", "Message": msg})
	return sdkerrors.NewServerError(status, string(content), "")
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
	// unreadable is an answer that is not the service's: empty, cut short, HTML from a proxy or a
	// captive portal, JSON of another shape. It is reported as a server failure (code
	// InternalError, the answer's real HTTP status), so that a read is retried and a write that may
	// have acted is an unknown outcome (the resources then look for what it created), and it says
	// what was wrong. The body itself is never quoted: an answer may hold a private key.
	unreadable := func(status int, header http.Header, size int, requestID, what string) error {
		if header != nil {
			kind := header.Get("Content-Type")
			if kind == "" {
				kind = "no Content-Type"
			}
			what += fmt.Sprintf(" (%s, %d bytes)", kind, size)
		}
		msg := "the answer could not be read: " + what + ". Something between the provider and the service (a proxy, " +
			"a gateway, a captive portal) may have answered instead of it, or the connection was cut short"
		content, _ := json.Marshal(map[string]string{"Code": "InternalError", "Message": msg, "RequestId": requestID})
		return sdkerrors.NewServerError(status, string(content), "")
	}
	return c.invoke(ctx, call.Action, call.Idempotent, func(sc *sdkcas.Client) (requestID string, err error) {
		// The SDK type-asserts the fields of an error answer (RequestId, Code, Message, HostId,
		// AccessDeniedDetail) and panics on other JSON types: a malformed answer must fail the call,
		// not crash the provider.
		defer func() {
			if p := recover(); p != nil {
				requestID, err = "", unreadable(0, nil, 0, "", fmt.Sprintf("the SDK failed on an error answer of unexpected types (%v)", p))
			}
		}()
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
			// An error answer without the service's Code is not the service's (an HTML gateway page,
			// a proxy's JSON): the SDK would quote all of it as the message.
			var se *sdkerrors.ServerError
			if errors.As(err, &se) && se.ErrorCode() == "" {
				return "", unreadable(se.HttpStatus(), se.RespHeaders, len(se.Message()), se.RequestId(), "it is not an error of the service")
			}
			return "", err
		}
		status, header, body := resp.GetHttpStatus(), http.Header(resp.GetHttpHeaders()), resp.GetHttpContentBytes()
		trimmed := bytes.TrimSpace(body)
		var head struct{ RequestId json.RawMessage }
		switch {
		case len(trimmed) == 0:
			return "", unreadable(status, header, len(body), "", "it is empty")
		case trimmed[0] != '{':
			return "", unreadable(status, header, len(body), "", "it is not a JSON object")
		}
		if err := json.Unmarshal(body, &head); err != nil {
			return "", unreadable(status, header, len(body), "", fmt.Sprintf("it is not JSON (%v)", err))
		}
		// Every answer of the service has a RequestId.
		if json.Unmarshal(head.RequestId, &requestID) != nil || requestID == "" {
			return "", unreadable(status, header, len(body), "", "it has no RequestId")
		}
		if out != nil {
			if err := json.Unmarshal(body, out); err != nil {
				return requestID, unreadable(status, header, len(body), requestID, fmt.Sprintf("it does not have the expected shape (%v)", err))
			}
		}
		return requestID, nil
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
