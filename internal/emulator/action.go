package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file is the contract between the protocol layer (server, signatures, faults, control API)
// and the business actions (packages, certificates, orders, deployment jobs, contacts, shares).
// Actions are plain functions registered by name for one API version; they run with the state
// lock held and never see HTTP.

// casVersion is the only CAS API version the emulator serves.
const casVersion = "2020-04-07"

// Call is one authenticated, decoded API request as an action sees it.
type Call struct {
	Action  string
	Version string
	// Params holds every request parameter except the common ones (Signature*, AccessKeyId,
	// Timestamp, Format, Version, Action, SecurityToken), from query and form alike.
	Params map[string]string
	// Now is the emulated clock at the time of the request.
	Now time.Time
	// State is the emulator's whole state; the caller holds the lock.
	State *State
	// AccountID is the numeric account (UID) that owns the calling key pair.
	AccountID string
	// RegionID is the RegionId parameter, or the emulator's default region.
	RegionID string
	// RequestID is the id the response will carry.
	RequestID string
}

// APIError is an error answered in the service's JSON error shape.
type APIError struct {
	HTTPStatus int
	Code       string
	Message    string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.HTTPStatus, e.Code, e.Message) }

// Errorf builds an APIError.
func Errorf(status int, code, format string, args ...any) *APIError {
	return &APIError{HTTPStatus: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// actionFunc answers one action. The returned value is marshalled to JSON as the response body;
// the protocol layer adds RequestId. A map[string]any or a struct with json tags both work.
type actionFunc func(c *Call) (any, *APIError)

// tickFunc moves time-driven state (orders, deployment jobs) forward to now. Tickers run, in
// registration order, before every action and control call, with the lock held.
type tickFunc func(s *State, now time.Time)

var (
	actions = map[string]actionFunc{} // key: version + "/" + action
	tickers []tickFunc
)

// registerAction makes an action answerable for one API version. Call it from init.
func registerAction(version, name string, fn actionFunc) {
	key := version + "/" + name
	if _, dup := actions[key]; dup {
		panic("emulator: action registered twice: " + key)
	}
	actions[key] = fn
}

// registerTicker adds a time-driven state change. Call it from init.
func registerTicker(fn tickFunc) { tickers = append(tickers, fn) }

// lookupAction finds the action for a version and name.
func lookupAction(version, name string) (actionFunc, bool) {
	fn, ok := actions[version+"/"+name]
	return fn, ok
}

// actionNames lists the registered actions of a version, sorted.
func actionNames(version string) []string {
	var names []string
	for key := range actions {
		if v, name, _ := strings.Cut(key, "/"); v == version {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// --- parameter helpers, answering the service's error codes ---

// Has reports whether a parameter was sent (even empty).
func (c *Call) Has(name string) bool { _, ok := c.Params[name]; return ok }

// String returns a parameter or "".
func (c *Call) String(name string) string { return c.Params[name] }

// Required returns a parameter or the service's Missing<Param> error (HTTP 400).
func (c *Call) Required(name string) (string, *APIError) {
	v, ok := c.Params[name]
	if !ok || v == "" {
		return "", Errorf(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name)
	}
	return v, nil
}

// Int64 parses an optional integer parameter; def when absent.
func (c *Call) Int64(name string, def int64) (int64, *APIError) {
	v, ok := c.Params[name]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter %s is invalid: %q is not an integer.", name, v)
	}
	return n, nil
}

// RequiredInt64 parses a required integer parameter.
func (c *Call) RequiredInt64(name string) (int64, *APIError) {
	if _, err := c.Required(name); err != nil {
		return 0, err
	}
	return c.Int64(name, 0)
}

// Bool parses an optional boolean parameter ("true"/"false"); def when absent.
func (c *Call) Bool(name string, def bool) (bool, *APIError) {
	v, ok := c.Params[name]
	if !ok || v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter %s is invalid: %q is not a boolean.", name, v)
	}
	return b, nil
}

// Page reads CurrentPage and ShowSize with the documented defaults (1 and 20 unless def says
// otherwise) and refuses values below 1 or a page size above max.
func (c *Call) Page(defSize, max int64) (page, size int64, err *APIError) {
	if page, err = c.Int64("CurrentPage", 1); err != nil {
		return
	}
	if size, err = c.Int64("ShowSize", defSize); err != nil {
		return
	}
	if page < 1 || size < 1 || size > max {
		err = Errorf(http.StatusBadRequest, "InvalidParameter", "The paging parameters are invalid: CurrentPage must be at least 1 and ShowSize between 1 and %d.", max)
	}
	return
}

// Indexed collects repeated parameters such as Tags.1.Key/Tags.1.Value: prefix "Tags", fields
// "Key", "Value" → one map per index, in index order.
func (c *Call) Indexed(prefix string, fields ...string) []map[string]string {
	byIndex := map[int]map[string]string{}
	for name, v := range c.Params {
		rest, ok := strings.CutPrefix(name, prefix+".")
		if !ok {
			continue
		}
		idx, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if err != nil || n < 1 {
			continue
		}
		if len(fields) > 0 && field == "" {
			continue
		}
		if byIndex[n] == nil {
			byIndex[n] = map[string]string{}
		}
		byIndex[n][field] = v
	}
	keys := make([]int, 0, len(byIndex))
	for k := range byIndex {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([]map[string]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, byIndex[k])
	}
	return out
}

// Millis is the wire form of a time: milliseconds since the epoch.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// controlFunc answers a control-API route registered by a business file (for example approving an
// order's domain validation). args are the path segments matched by "{}" in the pattern; body is
// the raw JSON request body. It runs with the state lock held, after the tickers.
type controlFunc func(s *State, now time.Time, args []string, body []byte) (any, *APIError)

type controlRoute struct {
	method  string
	pattern []string // path segments under /_emulator/, "{}" matches one segment
	fn      controlFunc
}

var controlRoutes []controlRoute

// registerControl adds a control route, e.g. registerControl("POST", "orders/{}/validation", fn)
// answers POST /_emulator/orders/123/validation with args ["123"]. Call it from init.
func registerControl(method, pattern string, fn controlFunc) {
	controlRoutes = append(controlRoutes, controlRoute{method: method, pattern: strings.Split(pattern, "/"), fn: fn})
}

// matchControl finds a registered control route for a method and the path below /_emulator/.
func matchControl(method, path string) (controlFunc, []string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range controlRoutes {
		if r.method != method || len(r.pattern) != len(segs) {
			continue
		}
		var args []string
		ok := true
		for i, p := range r.pattern {
			switch {
			case p == "{}":
				args = append(args, segs[i])
			case p != segs[i]:
				ok = false
			}
		}
		if ok {
			return r.fn, args, true
		}
	}
	return nil, nil, false
}
