package emulator

import (
	"strings"
	"time"
)

// LogEntry is one API request as the emulator saw it, refused ones included. Secret parameter
// values are replaced by "***".
type LogEntry struct {
	Seq     int64     `json:"seq"`
	Time    time.Time `json:"time"` // emulated clock
	Action  string    `json:"action"`
	Version string    `json:"version"`
	// Params are every request parameter (query and form), common ones included.
	Params      map[string]string `json:"params"`
	AccessKeyID string            `json:"access_key_id"`
	// SignatureStyle is "rpc", "acs3" or "none".
	SignatureStyle string `json:"signature_style"`
	// HTTPStatus is the status answered; 0 when the connection was dropped without an answer.
	HTTPStatus int    `json:"http_status"`
	Code       string `json:"code"` // "" on success
	RequestID  string `json:"request_id"`
	// Fault names the injected fault ("latency", "throttle", "error_5xx", "drop_before_commit",
	// "drop_after_commit"), "" if none.
	Fault string `json:"fault"`
	// Committed reports whether the action ran (and its changes, if any, were kept).
	Committed bool `json:"committed"`
	// Session is the STS session an AssumeRole call issued, secret and token masked.
	Session *SessionRecord `json:"session,omitempty"`
}

// SessionRecord is an issued STS session as logged.
type SessionRecord struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token"`
	Expiration      string `json:"expiration"`
	RoleArn         string `json:"role_arn"`
}

// Counters count the logged requests.
type Counters struct {
	Total    int64            `json:"total"`
	ByAction map[string]int64 `json:"by_action"`
	// ByCode counts by error code; successes count under "OK".
	ByCode map[string]int64 `json:"by_code"`
}

// maxLogEntries bounds the log's memory; the counters keep counting beyond it.
const maxLogEntries = 100000

// requestLog is the log and the counters. The emulator's lock guards it.
type requestLog struct {
	seq      int64
	entries  []LogEntry
	counters Counters
}

func newRequestLog() requestLog {
	return requestLog{counters: Counters{ByAction: map[string]int64{}, ByCode: map[string]int64{}}}
}

func (l *requestLog) add(ent LogEntry) {
	l.seq++
	ent.Seq = l.seq
	if len(l.entries) >= maxLogEntries {
		l.entries = append(l.entries[:0:0], l.entries[len(l.entries)-maxLogEntries/2:]...)
	}
	l.entries = append(l.entries, ent)
	l.counters.Total++
	l.counters.ByAction[ent.Action]++
	code := ent.Code
	if code == "" {
		code = "OK"
	}
	l.counters.ByCode[code]++
}

func (l *requestLog) list(action string) []LogEntry {
	out := []LogEntry{}
	for _, ent := range l.entries {
		if action == "" || ent.Action == action {
			out = append(out, ent)
		}
	}
	return out
}

func (l *requestLog) snapshot() Counters {
	c := Counters{Total: l.counters.Total, ByAction: map[string]int64{}, ByCode: map[string]int64{}}
	for k, v := range l.counters.ByAction {
		c.ByAction[k] = v
	}
	for k, v := range l.counters.ByCode {
		c.ByCode[k] = v
	}
	return c
}

// record adds an entry to the log.
func (e *Emulator) record(ent LogEntry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log.add(ent)
}

// Requests returns the logged API requests of one action (all when action is ""), oldest first.
func (e *Emulator) Requests(action string) []LogEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.log.list(action)
}

// Counters returns the request counters.
func (e *Emulator) Counters() Counters {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.log.snapshot()
}

// secretParams are the parameters whose values never reach the log.
var secretParams = map[string]bool{
	"Key": true, "PrivateKey": true, "EncryptPrivateKey": true, "SignPrivateKey": true,
	"AccessKeySecret": true, "SecurityToken": true, "Signature": true,
}

// maskParams copies params with secret values replaced by "***".
func maskParams(params map[string]string) map[string]string {
	out := make(map[string]string, len(params))
	for k, v := range params {
		if secretParams[k] || strings.HasSuffix(k, "PrivateKey") {
			v = "***"
		}
		out[k] = v
	}
	return out
}
