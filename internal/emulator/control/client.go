// Package control is a Go client of the CAS emulator's control API (the routes under
// /_emulator/). It speaks plain HTTP and JSON and imports nothing of the emulator, so it drives an
// emulator running in-process (httptest) and one running as a separate process alike.
package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls one emulator's control API.
type Client struct {
	base string
	http *http.Client
}

// New returns a client of the emulator at baseURL (for example "http://127.0.0.1:8787").
func New(baseURL string) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), http: &http.Client{Timeout: 60 * time.Second}}
}

// Error is a control call the emulator refused.
type Error struct {
	StatusCode int
	// Code is the service error code when a business route answered one.
	Code    string
	Message string
}

func (e *Error) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("emulator control API: HTTP %d %s: %s", e.StatusCode, e.Code, e.Message)
	}
	return fmt.Sprintf("emulator control API: HTTP %d: %s", e.StatusCode, e.Message)
}

// IsNotFound reports whether err is a control call answered 404.
func IsNotFound(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.StatusCode == http.StatusNotFound
}

// Request is one entry of the emulator's request log.
type Request struct {
	Seq     int64     `json:"seq"`
	Time    time.Time `json:"time"`
	Action  string    `json:"action"`
	Version string    `json:"version"`
	// Params are all request parameters; secret values read "***".
	Params      map[string]string `json:"params"`
	AccessKeyID string            `json:"access_key_id"`
	// SignatureStyle is "rpc", "acs3" or "none".
	SignatureStyle string `json:"signature_style"`
	// HTTPStatus is 0 when the connection was dropped without an answer.
	HTTPStatus int    `json:"http_status"`
	Code       string `json:"code"`
	RequestID  string `json:"request_id"`
	Fault      string `json:"fault"`
	Committed  bool   `json:"committed"`
	// Session is the STS session an AssumeRole call issued (secret and token masked).
	Session *Session `json:"session,omitempty"`
}

// Session is an issued STS session as logged.
type Session struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token"`
	Expiration      string `json:"expiration"`
	RoleArn         string `json:"role_arn"`
}

// Counters count the logged requests; successes count under ByCode["OK"].
type Counters struct {
	Total    int64            `json:"total"`
	ByAction map[string]int64 `json:"by_action"`
	ByCode   map[string]int64 `json:"by_code"`
}

// Faults are the injected failures (see the emulator's documentation of each field).
type Faults struct {
	LatencyMS            int      `json:"latency_ms"`
	LatencyJitterMS      int      `json:"latency_jitter_ms"`
	ThrottleRate         float64  `json:"throttle_rate"`
	Error5xxRate         float64  `json:"error_5xx_rate"`
	DropAfterCommitRate  float64  `json:"drop_after_commit_rate"`
	DropBeforeCommitRate float64  `json:"drop_before_commit_rate"`
	Actions              []string `json:"actions,omitempty"`
	Seed                 int64    `json:"seed,omitempty"`
}

// Limits are the rate limits. SetLimits sends every field: read them with Limits first to
// change one.
type Limits struct {
	Realistic bool               `json:"realistic"`
	GlobalRPS float64            `json:"global_rps"`
	PerAction map[string]float64 `json:"per_action,omitempty"`
}

// Credential is a key pair for the emulator to accept.
type Credential struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	AccountID       string `json:"account_id,omitempty"`
}

// Clock is the emulated clock.
type Clock struct {
	Now time.Time `json:"now"`
	// OffsetSeconds is the emulated clock minus the real one.
	OffsetSeconds float64 `json:"offset_seconds"`
	// Rate is the emulated seconds per real second.
	Rate float64 `json:"rate"`
}

// do sends one control call; in (when not nil) is the JSON body, out (when not nil) receives the
// JSON answer.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/_emulator/"+strings.TrimPrefix(path, "/"), body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("emulator control API: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("emulator control API: reading the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error, Code string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		return &Error{StatusCode: resp.StatusCode, Code: e.Code, Message: e.Error}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("emulator control API: decoding the answer of %s %s: %w", method, path, err)
		}
	}
	return nil
}

func objectPath(kind, id string) string {
	if id == "" {
		return "objects/" + url.PathEscape(kind)
	}
	return "objects/" + url.PathEscape(kind) + "/" + url.PathEscape(id)
}

// Reset empties the account and sets back the clock, the request log and the faults.
func (c *Client) Reset(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "reset", nil, nil)
}

// State returns the whole state.
func (c *Client) State(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	err := c.do(ctx, http.MethodGet, "state", nil, &out)
	return out, err
}

// Objects returns one collection (packages, certificates, orders, jobs, cloud_resources,
// contacts: maps by id; shares: a list).
func (c *Client) Objects(ctx context.Context, kind string) (any, error) {
	var out any
	err := c.do(ctx, http.MethodGet, objectPath(kind, ""), nil, &out)
	return out, err
}

// Object returns one object; found is false when there is none of that id.
func (c *Client) Object(ctx context.Context, kind, id string) (obj map[string]any, found bool, err error) {
	err = c.do(ctx, http.MethodGet, objectPath(kind, id), nil, &obj)
	if IsNotFound(err) {
		return nil, false, nil
	}
	return obj, err == nil, err
}

// PutObject creates or replaces an object, for example a purchased package:
// PutObject(ctx, "packages", "geotrust-dv-1-starter", map[string]any{"product_code": ..., "total_count": 5}).
func (c *Client) PutObject(ctx context.Context, kind, id string, obj any) error {
	return c.do(ctx, http.MethodPut, objectPath(kind, id), obj, nil)
}

// PatchObject changes some fields of an object (a JSON merge patch; null removes a field).
func (c *Client) PatchObject(ctx context.Context, kind, id string, patch any) error {
	return c.do(ctx, http.MethodPatch, objectPath(kind, id), patch, nil)
}

// DeleteObject removes an object.
func (c *Client) DeleteObject(ctx context.Context, kind, id string) error {
	return c.do(ctx, http.MethodDelete, objectPath(kind, id), nil, nil)
}

// Now returns the emulated time.
func (c *Client) Now(ctx context.Context) (time.Time, error) {
	var out Clock
	err := c.do(ctx, http.MethodGet, "clock", nil, &out)
	return out.Now, err
}

// Advance moves the emulated clock forward (orders progress, jobs finish, certificates expire)
// and returns the new emulated time.
func (c *Client) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	var out Clock
	err := c.do(ctx, http.MethodPost, "clock/advance", map[string]float64{"seconds": d.Seconds()}, &out)
	return out.Now, err
}

// SetClockRate sets the emulated clock's rate, emulated seconds per real second (above 0, at
// most 100000; 1 is real time), and returns the emulated time. The clock goes on from where it
// is: at 600, a DV order's 5-minute review takes half a real second.
func (c *Client) SetClockRate(ctx context.Context, rate float64) (time.Time, error) {
	var out Clock
	err := c.do(ctx, http.MethodPut, "clock", map[string]float64{"rate": rate}, &out)
	return out.Now, err
}

// AddHostedZone hosts a DNS zone in the emulated account (for example "example.com"): the DNS
// validation of orders whose domains are all in hosted zones is approved automatically 30
// emulated seconds after they enter domain_verify.
func (c *Client) AddHostedZone(ctx context.Context, zone string) error {
	return c.do(ctx, http.MethodPost, "hosted_zones", map[string]string{"zone": zone}, nil)
}

// Requests returns the logged API requests of one action, or all when action is "".
func (c *Client) Requests(ctx context.Context, action string) ([]Request, error) {
	path := "requests"
	if action != "" {
		path += "?action=" + url.QueryEscape(action)
	}
	var out []Request
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// ClearRequests empties the request log and the counters.
func (c *Client) ClearRequests(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "requests", nil, nil)
}

// Counters returns the request counters.
func (c *Client) Counters(ctx context.Context) (Counters, error) {
	var out Counters
	err := c.do(ctx, http.MethodGet, "counters", nil, &out)
	return out, err
}

// SetFaults replaces the fault settings.
func (c *Client) SetFaults(ctx context.Context, f Faults) error {
	return c.do(ctx, http.MethodPut, "faults", f, nil)
}

// ClearFaults turns every fault off.
func (c *Client) ClearFaults(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "faults", nil, nil)
}

// Limits returns the rate-limit settings.
func (c *Client) Limits(ctx context.Context) (Limits, error) {
	var out Limits
	err := c.do(ctx, http.MethodGet, "limits", nil, &out)
	return out, err
}

// SetLimits sets the rate limits; a nil PerAction keeps the table as it is.
func (c *Client) SetLimits(ctx context.Context, l Limits) error {
	return c.do(ctx, http.MethodPut, "limits", l, nil)
}

// AddCredential makes the emulator accept another key pair.
func (c *Client) AddCredential(ctx context.Context, cred Credential) error {
	return c.do(ctx, http.MethodPost, "credentials", cred, nil)
}

// RemoveCredential revokes a key pair.
func (c *Client) RemoveCredential(ctx context.Context, accessKeyID string) error {
	return c.do(ctx, http.MethodDelete, "credentials/"+url.PathEscape(accessKeyID), nil, nil)
}

// Post calls a control route that a business action registered, for example
// Post(ctx, "orders/123/validation", nil, &out). path is relative to /_emulator/ (a leading
// "/_emulator/" is accepted too).
func (c *Client) Post(ctx context.Context, path string, in, out any) error {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "/"), "_emulator/")
	return c.do(ctx, http.MethodPost, path, in, out)
}
