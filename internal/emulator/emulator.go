// Package emulator is a local, independent implementation of the Alibaba Cloud Certificate
// Management Service (CAS) API, version 2020-04-07, for the provider's acceptance tests and demo.
// It also answers the two other services a credential chain talks to: STS (version 2015-04-01:
// AssumeRole, GetCallerIdentity) and the ECS instance metadata service (a RAM role's session).
//
// It is a real HTTP server. It checks signatures exactly as the service does: the RPC style
// (HMAC-SHA1 over the query and form parameters, as the Go SDK v1 sends it) and ACS3-HMAC-SHA256
// (the newer SDKs' Authorization header), with the service's clock-skew window, nonce replay
// refusal and STS session tokens, and it answers errors in the service's JSON shape
// ({RequestId, HostId, Code, Message, Recommend}) with its HTTP statuses, so that the SDK turns
// them into the same *errors.ServerError a real account would produce.
//
// Run it as a process with `make emulator` (go run ./internal/emulator/cmd/casemu): it listens on
// 127.0.0.1:8787, enforces the documented per-action rate limits (realistic mode) and prints
// "endpoint: ...", "access_key_id: ..." and "access_key_secret: ..." (DemoAccessKeyID,
// DemoAccessKeySecret). In Go tests, NewTestServer starts one in-process.
//
// Besides the API, everything under /_emulator/ is a control API (JSON, no signature), which
// tests and people use to drive the emulated account:
//
//	POST   /_emulator/reset                     fresh account, clock, log and faults
//	GET    /_emulator/state                     the whole state; PUT replaces it
//	GET    /_emulator/objects/{kind}            one collection (packages, certificates, orders,
//	                                            jobs, cloud_resources, contacts, shares, hosted_zones);
//	                                            PUT replaces it
//	GET|PUT|PATCH|DELETE /_emulator/objects/{kind}/{id}
//	                                            one object; PUT creates or replaces, PATCH is a
//	                                            JSON merge patch (RFC 7396): drift behind Terraform's back
//	GET    /_emulator/clock                     {"now", "offset_seconds", "rate"}: offset_seconds is
//	                                            the emulated clock minus the real one
//	PUT    /_emulator/clock                     {"rate": N}: emulated seconds per real second (above 0,
//	                                            at most 100000); the clock goes on from where it is
//	POST   /_emulator/clock/advance             {"seconds": N}: moves the emulated clock, runs tickers
//	GET    /_emulator/requests[?action=X]       the request log (secrets masked); DELETE clears it
//	GET    /_emulator/counters                  {"total", "by_action", "by_code"}
//	GET|PUT|DELETE /_emulator/faults            fault injection (see Faults)
//	GET|PUT /_emulator/limits                   rate limits (see Limits)
//	GET|POST /_emulator/credentials             key pairs; DELETE /_emulator/credentials/{id} revokes one
//
// and the routes the business actions register:
//
//	POST   /_emulator/orders/{id}/validation    {"result": "approve"|"fail"}: the CA's domain check
//	POST   /_emulator/orders/{id}/issue         issue an order in review now
//	POST   /_emulator/orders/{id}/apply         submit a pending (payed) order
//	POST   /_emulator/cloud_resources           add a deployable resource (defaults: ALB, 443)
//	POST   /_emulator/cloud_resources/{id}/fail_next
//	                                            {"code", "message"}: the next deployment to it fails
//	POST   /_emulator/contacts/{id}/verify      {"email", "mobile"}: mark a contact verified
//	GET|POST /_emulator/hosted_zones            DNS zones hosted in the account; POST {"zone": "example.com"}
//	                                            adds one: DNS validation of its names is automatic
//
// The package github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control is a
// Go client of that API that needs nothing of this package.
//
// The emulator imports nothing of the provider: it is written from the service's documentation,
// not from the client that it tests.
package emulator

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
)

// The demo key pair, accepted when Options.Credentials is empty. It is printed by the command and
// used by the demo; it grants nothing anywhere else.
const (
	DemoAccessKeyID     = "LTAI5tCASEmulatorDemoKey"
	DemoAccessKeySecret = "CASEmulatorDemoSecretDoNotUseInProd"
	DemoAccountID       = "1234567890123456"
)

// DefaultRegion is the region the emulator serves when Options.Region is empty.
const DefaultRegion = "cn-hangzhou"

// DefaultECSRoleName is the RAM role the emulated instance metadata service lists.
const DefaultECSRoleName = "EmulatorEcsRole"

// Credential is a key pair the emulator accepts and the account (UID) it belongs to.
type Credential struct {
	AccessKeyID     string
	AccessKeySecret string
	AccountID       string
}

// Options configures an Emulator. The zero value is a usable emulator: the demo key pair, no
// rate limits, no state file, region cn-hangzhou.
type Options struct {
	// Credentials are the key pairs accepted; empty means the demo pair alone.
	Credentials []Credential
	// Realistic enforces the service's documented per-action rate limits (Throttling.User).
	Realistic bool
	// StateFile, when set, is loaded by New if it exists and rewritten (atomically) after every
	// change of state.
	StateFile string
	// Region is the region answered when a request names none (default cn-hangzhou).
	Region string
	// Seed seeds the randomness of fault injection; 0 seeds from the time.
	Seed int64
	// ClockRate is the emulated clock's rate: emulated seconds per real second, above 0 and at
	// most 100000; 0 means 1. At 600 a DV order's 5-minute review takes half a real second.
	ClockRate float64
	// ECSRoleName is the RAM role of the emulated instance metadata service (default
	// EmulatorEcsRole).
	ECSRoleName string
	// Logf, when set, receives one line per notable event (state file errors, shutdown).
	Logf func(format string, args ...any)
}

// Emulator is one emulated account with its API server. All of its methods are safe for
// concurrent use.
type Emulator struct {
	mu sync.Mutex // guards everything below but clock and offset

	logf        func(format string, args ...any)
	region      string
	homeAccount string // the first key pair's account: the instance metadata role's
	ecsRole     string
	stateFile   string
	saveBlocked bool   // the state file could not be read: never overwrite it
	lastSaved   []byte // the state as last written, to skip identical writes

	state  *State
	clock  emuClock     // the emulated clock's rate and anchor (clock.go); its own lock
	offset atomic.Int64 // the emulated clock's advance by hand (Advance), in nanoseconds
	// wallNow is the real clock (signature time stamps, STS expiry, rate limits); tests replace it.
	wallNow func() time.Time

	creds      map[string]Credential
	sts        stsStore
	nonces     nonceCache
	imdsTokens map[string]time.Time

	log     requestLog
	faults  Faults
	rng     *rand.Rand
	alt5xx  bool // alternates the injected 5xx between 503 and 500
	limiter *rateLimiter
}

// New returns an emulator. If opts.StateFile exists but cannot be read, the emulator starts
// empty, reports the problem through opts.Logf and never overwrites that file; use Open to get
// the error instead.
func New(opts Options) *Emulator {
	e, err := Open(opts)
	if err != nil {
		e.logf("emulator: %v; starting with an empty account and leaving %s untouched", err, opts.StateFile)
	}
	return e
}

// Open is New that reports a state file that exists but cannot be read. The returned emulator is
// usable even then (empty, and it will not overwrite the file).
func Open(opts Options) (*Emulator, error) {
	e := &Emulator{
		logf:       opts.Logf,
		region:     opts.Region,
		ecsRole:    opts.ECSRoleName,
		stateFile:  opts.StateFile,
		state:      newState(),
		wallNow:    time.Now,
		creds:      map[string]Credential{},
		sts:        newSTSStore(),
		nonces:     newNonceCache(),
		imdsTokens: map[string]time.Time{},
		log:        newRequestLog(),
	}
	if e.logf == nil {
		e.logf = func(string, ...any) {}
	}
	if e.region == "" {
		e.region = DefaultRegion
	}
	e.initClock(opts.ClockRate)
	if e.ecsRole == "" {
		e.ecsRole = DefaultECSRoleName
	}
	creds := opts.Credentials
	if len(creds) == 0 {
		creds = []Credential{{AccessKeyID: DemoAccessKeyID, AccessKeySecret: DemoAccessKeySecret, AccountID: DemoAccountID}}
	}
	for i, c := range creds {
		if c.AccountID == "" {
			c.AccountID = DemoAccountID
		}
		e.creds[c.AccessKeyID] = c
		if i == 0 {
			e.homeAccount = c.AccountID
		}
	}
	e.rng = newFaultRand(opts.Seed)
	e.limiter = newRateLimiter(opts.Realistic, func() time.Time { return e.wallNow() })
	if e.stateFile != "" {
		if err := e.loadStateFile(); err != nil {
			e.saveBlocked = true
			return e, err
		}
	}
	return e, nil
}

// Handler is the emulator's HTTP handler: the API, the control API and the instance metadata
// service.
func (e *Emulator) Handler() http.Handler { return http.HandlerFunc(e.serveHTTP) }

// Close saves the state file (when there is one). The emulator still answers afterwards.
func (e *Emulator) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.saveStateLocked()
}

// NewTestServer starts an emulator on a loopback port for Go tests. Close the server when done
// (httptest.Server.Close); the emulator needs no closing unless it has a state file.
func NewTestServer(opts Options) (*httptest.Server, *Emulator) {
	e := New(opts)
	return httptest.NewServer(e.Handler()), e
}
