package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// The HTTP handler: the control API under /_emulator/, the instance metadata service under
// /latest/, and the API everywhere else. An API call is parsed (query and form alike), signed
// (RPC or ACS3), subjected to rate limits and injected faults, then answered by the registered
// action under the state lock, in the service's JSON shapes.

// maxRequestBody bounds a request body (certificates and keys are a few kilobytes).
const maxRequestBody = 8 << 20

// commonParams are the parameters of the protocol, kept out of Call.Params.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true, "Signature": true,
	"SignatureMethod": true, "SignatureVersion": true, "SignatureNonce": true, "SignatureType": true,
	"Timestamp": true, "SecurityToken": true, "RegionId": true,
}

func (e *Emulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/_emulator" || strings.HasPrefix(p, "/_emulator/"):
		e.serveControl(w, r)
	case isMetadataPath(p):
		e.serveMetadata(w, r)
	default:
		e.serveAPI(w, r)
	}
}

func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	ent := LogEntry{RequestID: newRequestID(), SignatureStyle: "none", Time: e.Now(), Params: map[string]string{}}
	fail := func(err *APIError) { e.answerError(w, r, &ent, err) }

	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		fail(errUnsupportedMethod(r.Method))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(errBodyTooLarge())
		} else {
			fail(errBadBody())
		}
		return
	}
	params, ok := requestParams(r, body)
	if !ok {
		fail(errBadBody())
		return
	}
	ent.Params = maskParams(params)
	action, version := params["Action"], params["Version"]
	ent.AccessKeyID = params["AccessKeyId"]
	acs3 := isACS3(r)
	switch {
	case acs3:
		ent.SignatureStyle = "acs3"
		if h := r.Header.Get("x-acs-action"); h != "" {
			action = h
		}
		if h := r.Header.Get("x-acs-version"); h != "" {
			version = h
		}
		if a, err := parseACS3Authorization(r.Header.Get("Authorization")); err == nil {
			ent.AccessKeyID = a.accessKeyID
		}
	case params["Signature"] != "" || params["AccessKeyId"] != "" || params["SignatureMethod"] != "":
		ent.SignatureStyle = "rpc"
	}
	ent.Action, ent.Version = action, version
	switch {
	case action == "":
		fail(errMissingParam("Action"))
		return
	case version == "":
		fail(errMissingParam("Version"))
		return
	case !knownVersion(version):
		fail(errInvalidVersion())
		return
	}

	e.mu.Lock()
	var id authIdentity
	var authErr *APIError
	if acs3 {
		id, authErr = e.verifyACS3(r, body, params)
	} else {
		id, authErr = e.verifyRPC(r.Method, params)
	}
	var plan faultPlan
	if authErr == nil {
		plan = e.planFaultsLocked(version, action)
	}
	e.mu.Unlock()
	if authErr != nil {
		fail(authErr)
		return
	}
	ent.AccessKeyID = id.accessKeyID

	if version == casVersion && !e.limiter.allowMethods(id.accountID, action) {
		fail(errThrottled())
		return
	}
	if plan.latency > 0 {
		ent.Fault = faultLatency
		t := time.NewTimer(plan.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			ent.HTTPStatus = 499 // the client went away: nothing ran, nothing answered
			e.record(ent)
			return
		}
	}
	if plan.kind != "" {
		ent.Fault = plan.kind
	}
	switch plan.kind {
	case faultThrottle:
		fail(errThrottled())
		return
	case faultError5xx:
		e.mu.Lock()
		err := e.injected5xxLocked()
		e.mu.Unlock()
		fail(err)
		return
	case faultDropBeforeCommit:
		e.record(ent)
		dropConnection(w)
		return
	}
	fn, ok := lookupAction(version, action)
	if !ok {
		fail(errActionNotFound())
		return
	}
	status, out := e.runAction(fn, &ent, id, params, r.Host)
	if plan.kind == faultDropAfterCommit {
		ent.HTTPStatus = 0
		e.record(ent)
		dropConnection(w)
		return
	}
	e.record(ent)
	writeAPIResponse(w, status, ent.RequestID, out)
}

// runAction runs an action under the state lock, after the tickers, and returns the status and
// body to answer. It fills in the log entry but does not record it.
func (e *Emulator) runAction(fn actionFunc, ent *LogEntry, id authIdentity, params map[string]string, host string) (int, []byte) {
	callParams := make(map[string]string, len(params))
	for k, v := range params {
		if !commonParams[k] {
			callParams[k] = v
		}
	}
	region := params["RegionId"]
	if region == "" {
		region = e.region
	}
	cc := &callContext{e: e, id: id}
	inflightCalls.Store(ent.RequestID, cc)
	defer inflightCalls.Delete(ent.RequestID)

	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.runTickersLocked()
	call := &Call{
		Action: ent.Action, Version: ent.Version, Params: callParams, Now: now, State: e.state,
		AccountID: id.accountID, RegionID: region, RequestID: ent.RequestID,
	}
	result, apiErr := e.callSafely(fn, call)
	ent.Committed = true
	if cc.issued != nil {
		ent.Session = cc.issued.record()
	}
	var out []byte
	if apiErr == nil {
		var err error
		if out, err = successBody(result, ent.RequestID); err != nil {
			e.logf("emulator: %s answered a value that is not a JSON object: %v", ent.Action, err)
			apiErr = errGatewayInternal()
		}
	}
	e.saveStateLocked()
	if apiErr != nil {
		ent.HTTPStatus, ent.Code = apiErr.HTTPStatus, apiErr.Code
		out, _ = marshalNoEscape(newErrorBody(apiErr, ent.RequestID, host))
		return apiErr.HTTPStatus, out
	}
	ent.HTTPStatus = http.StatusOK
	return http.StatusOK, out
}

// callSafely runs an action, turning a panic into InternalError.
func (e *Emulator) callSafely(fn actionFunc, c *Call) (result any, apiErr *APIError) {
	defer func() {
		if p := recover(); p != nil {
			e.logf("emulator: action %s panicked: %v\n%s", c.Action, p, debug.Stack())
			result, apiErr = nil, errGatewayInternal()
		}
	}()
	return fn(c)
}

// answerError records a refused request and answers the service's error document.
func (e *Emulator) answerError(w http.ResponseWriter, r *http.Request, ent *LogEntry, err *APIError) {
	ent.HTTPStatus, ent.Code = err.HTTPStatus, err.Code
	e.record(*ent)
	out, _ := marshalNoEscape(newErrorBody(err, ent.RequestID, r.Host))
	writeAPIResponse(w, err.HTTPStatus, ent.RequestID, out)
}

func writeAPIResponse(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("x-acs-request-id", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// successBody is an action's result as a JSON object with RequestId added and top-level nulls
// dropped.
func successBody(result any, requestID string) ([]byte, error) {
	raw, err := marshalNoEscape(result)
	if err != nil {
		return nil, err
	}
	fields := map[string]json.RawMessage{}
	if !bytes.Equal(raw, []byte("null")) {
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
	}
	for k, v := range fields {
		if bytes.Equal(v, []byte("null")) {
			delete(fields, k) // a field that does not apply is omitted, never null
		}
	}
	fields["RequestId"], _ = marshalNoEscape(requestID)
	return marshalNoEscape(fields)
}

// marshalJSON is json.Marshal without HTML escaping (the service writes & < > as they are).
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// requestParams merges the query string and a form body (the body wins, as in the SDK's
// signature); a repeated name keeps its first value.
func requestParams(r *http.Request, body []byte) (map[string]string, bool) {
	params := map[string]string{}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, false
	}
	for k, vs := range query {
		params[k] = vs[0]
	}
	if len(body) == 0 {
		return params, true
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return params, true
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	for k, vs := range form {
		params[k] = vs[0]
	}
	return params, true
}

var (
	versionsOnce sync.Once
	versions     map[string]bool
)

// knownVersion reports whether any action is registered for an API version.
func knownVersion(v string) bool {
	versionsOnce.Do(func() {
		versions = map[string]bool{}
		for key := range actions {
			ver, _, _ := strings.Cut(key, "/")
			versions[ver] = true
		}
	})
	return versions[v]
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: the server resets the stream
	}
	_ = conn.Close()
}
