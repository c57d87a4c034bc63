package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// The control API under /_emulator/: JSON in and out, no signature. It drives the emulated
// account from tests and scripts (see the package documentation for the routes).

// maxControlBody bounds a control request body (a whole state document may be large).
const maxControlBody = 64 << 20

// ctlError is a control API failure.
type ctlError struct {
	status int
	code   string
	msg    string
}

func ctlErrorf(status int, format string, args ...any) *ctlError {
	return &ctlError{status: status, msg: fmt.Sprintf(format, args...)}
}

// controlOK is the answer of a control call that has nothing else to say.
var controlOK = map[string]bool{"ok": true}

func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_emulator"), "/")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	var out any
	var cerr *ctlError
	if err != nil {
		cerr = ctlErrorf(http.StatusRequestEntityTooLarge, "reading the request body: %v", err)
	} else {
		out, cerr = e.control(r.Method, path, r.URL.Query().Get("action"), body)
	}
	status := http.StatusOK
	if cerr != nil {
		status = cerr.status
		m := map[string]string{"error": cerr.msg}
		if cerr.code != "" {
			m["code"] = cerr.code
		}
		out = m
	}
	data, err := marshalNoEscape(out)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// control answers one control call. path is below /_emulator/, without slashes at the ends.
func (e *Emulator) control(method, path, action string, body []byte) (any, *ctlError) {
	segs := strings.Split(path, "/")
	switch {
	case path == "reset":
		if cerr := allowMethods(method, http.MethodPost); cerr != nil {
			return nil, cerr
		}
		return e.controlReset()
	case path == "state":
		return e.controlState(method, body)
	case segs[0] == "objects":
		return e.controlObjects(method, segs[1:], body)
	case path == "clock":
		return e.controlClock(method, body)
	case path == "clock/advance":
		return e.controlAdvance(method, body)
	case path == "requests":
		return e.controlRequests(method, action)
	case path == "counters":
		if cerr := allowMethods(method, http.MethodGet); cerr != nil {
			return nil, cerr
		}
		return e.Counters(), nil
	case path == "faults":
		return e.controlFaults(method, body)
	case path == "limits":
		return e.controlLimits(method, body)
	case segs[0] == "credentials" && len(segs) <= 2:
		return e.controlCredentials(method, segs[1:], body)
	}
	if fn, args, found := matchControl(method, path); found {
		return e.controlRegistered(fn, args, body)
	}
	return nil, ctlErrorf(http.StatusNotFound, "no control route %s /_emulator/%s", method, path)
}

func allowMethods(method string, methods ...string) *ctlError {
	if slices.Contains(methods, method) {
		return nil
	}
	return ctlErrorf(http.StatusMethodNotAllowed, "method %s not allowed here: use %s", method, strings.Join(methods, " or "))
}

// decodeControl reads a JSON body strictly into v.
func decodeControl(body []byte, v any) *ctlError {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return ctlErrorf(http.StatusBadRequest, "the request body is not the expected JSON: %v", err)
	}
	return nil
}

// Reset empties the account, sets the clock back (to the real time, at Options.ClockRate),
// clears the request log, the counters and the faults. Key pairs, STS sessions and rate limits
// are kept.
func (e *Emulator) Reset() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.state = newState()
	e.resetClockLocked()
	e.log = newRequestLog()
	e.faults = Faults{}
	return e.saveStateLocked()
}

func (e *Emulator) controlReset() (any, *ctlError) {
	if err := e.Reset(); err != nil {
		return nil, ctlErrorf(http.StatusInternalServerError, "saving the state: %v", err)
	}
	return controlOK, nil
}

func (e *Emulator) controlState(method string, body []byte) (any, *ctlError) {
	switch method {
	case http.MethodGet:
		data, err := e.ExportState()
		if err != nil {
			return nil, ctlErrorf(http.StatusInternalServerError, "encoding the state: %v", err)
		}
		return json.RawMessage(data), nil
	case http.MethodPut:
		if err := e.ImportState(body); err != nil {
			return nil, ctlErrorf(http.StatusBadRequest, "the body is not a state document: %v", err)
		}
		return controlOK, nil
	}
	return nil, allowMethods(method, http.MethodGet, http.MethodPut)
}

// controlClock answers GET (the clock) and PUT {"rate": N} (a new rate, from the current time).
func (e *Emulator) controlClock(method string, body []byte) (any, *ctlError) {
	switch method {
	case http.MethodGet:
		return e.clockView(), nil
	case http.MethodPut:
		var in struct {
			Rate *float64 `json:"rate"`
		}
		if cerr := decodeControl(body, &in); cerr != nil {
			return nil, cerr
		}
		if in.Rate == nil {
			return nil, ctlErrorf(http.StatusBadRequest, `the body must be {"rate": N}`)
		}
		if _, err := e.SetClockRate(*in.Rate); err != nil {
			return nil, ctlErrorf(http.StatusBadRequest, "%v", err)
		}
		return e.clockView(), nil
	}
	return nil, allowMethods(method, http.MethodGet, http.MethodPut)
}

func (e *Emulator) controlAdvance(method string, body []byte) (any, *ctlError) {
	if cerr := allowMethods(method, http.MethodPost); cerr != nil {
		return nil, cerr
	}
	var in struct {
		Seconds *float64 `json:"seconds"`
	}
	if cerr := decodeControl(body, &in); cerr != nil {
		return nil, cerr
	}
	if in.Seconds == nil {
		return nil, ctlErrorf(http.StatusBadRequest, `the body must be {"seconds": N}`)
	}
	if err := e.Advance(time.Duration(*in.Seconds * float64(time.Second))); err != nil {
		return nil, ctlErrorf(http.StatusBadRequest, "%v", err)
	}
	return e.clockView(), nil
}

func (e *Emulator) controlRequests(method, action string) (any, *ctlError) {
	switch method {
	case http.MethodGet:
		return e.Requests(action), nil
	case http.MethodDelete:
		e.ClearRequests()
		return controlOK, nil
	}
	return nil, allowMethods(method, http.MethodGet, http.MethodDelete)
}

// ClearRequests empties the request log and the counters.
func (e *Emulator) ClearRequests() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = newRequestLog()
}

func (e *Emulator) controlFaults(method string, body []byte) (any, *ctlError) {
	switch method {
	case http.MethodGet:
		return e.Faults(), nil
	case http.MethodPut:
		var f Faults
		if cerr := decodeControl(body, &f); cerr != nil {
			return nil, cerr
		}
		if err := e.SetFaults(f); err != nil {
			return nil, ctlErrorf(http.StatusBadRequest, "%v", err)
		}
		return e.Faults(), nil
	case http.MethodDelete:
		_ = e.SetFaults(Faults{})
		return e.Faults(), nil
	}
	return nil, allowMethods(method, http.MethodGet, http.MethodPut, http.MethodDelete)
}

// controlLimits answers GET and PUT; a PUT changes only the fields it names, and per_action
// replaces the whole table.
func (e *Emulator) controlLimits(method string, body []byte) (any, *ctlError) {
	switch method {
	case http.MethodGet:
		return e.Limits(), nil
	case http.MethodPut:
		var in struct {
			Realistic *bool              `json:"realistic"`
			GlobalRPS *float64           `json:"global_rps"`
			PerAction map[string]float64 `json:"per_action"`
		}
		if cerr := decodeControl(body, &in); cerr != nil {
			return nil, cerr
		}
		l := e.Limits()
		if in.Realistic != nil {
			l.Realistic = *in.Realistic
		}
		if in.GlobalRPS != nil {
			l.GlobalRPS = *in.GlobalRPS
		}
		if in.PerAction != nil {
			l.PerAction = in.PerAction
		}
		if err := e.SetLimits(l); err != nil {
			return nil, ctlErrorf(http.StatusBadRequest, "%v", err)
		}
		return e.Limits(), nil
	}
	return nil, allowMethods(method, http.MethodGet, http.MethodPut)
}

// credentialView is a key pair as the control API shows and takes it.
type credentialView struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret,omitempty"`
	AccountID       string `json:"account_id"`
}

func (e *Emulator) controlCredentials(method string, rest []string, body []byte) (any, *ctlError) {
	if len(rest) == 1 {
		if cerr := allowMethods(method, http.MethodDelete); cerr != nil {
			return nil, cerr
		}
		if !e.RemoveCredential(rest[0]) {
			return nil, ctlErrorf(http.StatusNotFound, "no key pair %q", rest[0])
		}
		return controlOK, nil
	}
	switch method {
	case http.MethodGet:
		e.mu.Lock()
		defer e.mu.Unlock()
		out := []credentialView{}
		for _, c := range e.creds {
			out = append(out, credentialView{AccessKeyID: c.AccessKeyID, AccountID: c.AccountID})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].AccessKeyID < out[j].AccessKeyID })
		return out, nil
	case http.MethodPost:
		var in credentialView
		if cerr := decodeControl(body, &in); cerr != nil {
			return nil, cerr
		}
		if err := e.AddCredential(Credential{AccessKeyID: in.AccessKeyID, AccessKeySecret: in.AccessKeySecret, AccountID: in.AccountID}); err != nil {
			return nil, ctlErrorf(http.StatusBadRequest, "%v", err)
		}
		return controlOK, nil
	}
	return nil, allowMethods(method, http.MethodGet, http.MethodPost)
}

// AddCredential accepts another key pair (AccountID defaults to the demo account), replacing one
// of the same id.
func (e *Emulator) AddCredential(c Credential) error {
	if c.AccessKeyID == "" || c.AccessKeySecret == "" {
		return fmt.Errorf("access_key_id and access_key_secret are required")
	}
	if strings.HasPrefix(c.AccessKeyID, "STS.") {
		return fmt.Errorf("key ids starting with STS. are reserved for sessions")
	}
	if c.AccountID == "" {
		c.AccountID = DemoAccountID
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.creds[c.AccessKeyID] = c
	return nil
}

// RemoveCredential revokes a key pair, reporting whether it existed. Sessions it assumed live on
// until they expire, as on the service.
func (e *Emulator) RemoveCredential(accessKeyID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, found := e.creds[accessKeyID]
	delete(e.creds, accessKeyID)
	return found
}

// controlRegistered runs a route registered by a business file, after the tickers, under the lock.
func (e *Emulator) controlRegistered(fn controlFunc, args []string, body []byte) (any, *ctlError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.runTickersLocked()
	out, apiErr := e.controlSafely(fn, now, args, body)
	e.saveStateLocked()
	if apiErr != nil {
		return nil, &ctlError{status: apiErr.HTTPStatus, code: apiErr.Code, msg: apiErr.Message}
	}
	if out == nil {
		out = controlOK
	}
	return out, nil
}

func (e *Emulator) controlSafely(fn controlFunc, now time.Time, args []string, body []byte) (out any, apiErr *APIError) {
	defer func() {
		if p := recover(); p != nil {
			e.logf("emulator: control route panicked: %v", p)
			out, apiErr = nil, errGatewayInternal()
		}
	}()
	return fn(e.state, now, args, body)
}
