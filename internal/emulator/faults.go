package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Faults are the failures the emulator injects into CAS actions, to test retries and unknown
// outcomes. STS, the metadata service and the control API never get faults. Each rate is a
// probability in [0, 1]; for each request at most one of throttle, 5xx, drop-before and
// drop-after applies, drawn in that order.
type Faults struct {
	// LatencyMS is added to every affected request; LatencyJitterMS adds a uniform random
	// 0..jitter on top. A client that gives up during the wait gets nothing run.
	LatencyMS       int `json:"latency_ms"`
	LatencyJitterMS int `json:"latency_jitter_ms"`
	// ThrottleRate answers Throttling.User without running the action.
	ThrottleRate float64 `json:"throttle_rate"`
	// Error5xxRate answers 503 ServiceUnavailable or 500 InternalError (alternately) without
	// running the action.
	Error5xxRate float64 `json:"error_5xx_rate"`
	// DropAfterCommitRate runs the action, keeps its changes, then closes the connection without
	// any answer: the client cannot know whether the call took effect.
	DropAfterCommitRate float64 `json:"drop_after_commit_rate"`
	// DropBeforeCommitRate closes the connection without running the action.
	DropBeforeCommitRate float64 `json:"drop_before_commit_rate"`
	// Actions limits the faults to these CAS actions; empty means every CAS action.
	Actions []string `json:"actions,omitempty"`
	// Seed, when not 0, reseeds the fault randomness as the faults are set (repeatable runs).
	Seed int64 `json:"seed,omitempty"`
}

// Fault names, as the request log shows them.
const (
	faultLatency          = "latency"
	faultThrottle         = "throttle"
	faultError5xx         = "error_5xx"
	faultDropBeforeCommit = "drop_before_commit"
	faultDropAfterCommit  = "drop_after_commit"
)

func (f Faults) validate() error {
	if f.LatencyMS < 0 || f.LatencyJitterMS < 0 {
		return fmt.Errorf("latency_ms and latency_jitter_ms must not be negative")
	}
	for name, rate := range map[string]float64{
		"throttle_rate": f.ThrottleRate, "error_5xx_rate": f.Error5xxRate,
		"drop_after_commit_rate": f.DropAfterCommitRate, "drop_before_commit_rate": f.DropBeforeCommitRate,
	} {
		if rate < 0 || rate > 1 {
			return fmt.Errorf("%s must be between 0 and 1, not %v", name, rate)
		}
	}
	return nil
}

func (f Faults) appliesTo(version, action string) bool {
	return version == casVersion && (len(f.Actions) == 0 || slices.Contains(f.Actions, action))
}

// faultPlan is what happens to one request.
type faultPlan struct {
	latency time.Duration
	kind    string // one of the fault names but latency, or ""
}

func newFaultRand(seed int64) *rand.Rand {
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	return rand.New(rand.NewPCG(uint64(seed), uint64(seed)>>32^0x9e3779b97f4a7c15))
}

// planFaultsLocked draws the faults of one request. The caller holds e.mu.
func (e *Emulator) planFaultsLocked(version, action string) faultPlan {
	f := e.faults
	if !f.appliesTo(version, action) {
		return faultPlan{}
	}
	p := faultPlan{latency: time.Duration(f.LatencyMS) * time.Millisecond}
	if f.LatencyJitterMS > 0 {
		p.latency += time.Duration(e.rng.IntN(f.LatencyJitterMS+1)) * time.Millisecond
	}
	switch {
	case e.draw(f.ThrottleRate):
		p.kind = faultThrottle
	case e.draw(f.Error5xxRate):
		p.kind = faultError5xx
	case e.draw(f.DropBeforeCommitRate):
		p.kind = faultDropBeforeCommit
	case e.draw(f.DropAfterCommitRate):
		p.kind = faultDropAfterCommit
	}
	return p
}

func (e *Emulator) draw(rate float64) bool {
	return rate > 0 && (rate >= 1 || e.rng.Float64() < rate)
}

// injected5xxLocked alternates between the two server errors. The caller holds e.mu.
func (e *Emulator) injected5xxLocked() *APIError {
	e.alt5xx = !e.alt5xx
	if e.alt5xx {
		return errServiceUnavailable()
	}
	return errGatewayInternal()
}

// SetFaults replaces the fault settings; the zero Faults turns them off.
func (e *Emulator) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = f
	e.faults.Actions = slices.Clone(f.Actions)
	if f.Seed != 0 {
		e.rng = newFaultRand(f.Seed)
	}
	return nil
}

// Faults returns the fault settings.
func (e *Emulator) Faults() Faults {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.faults
	f.Actions = slices.Clone(f.Actions)
	return f
}
