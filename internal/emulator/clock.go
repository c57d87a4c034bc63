package emulator

import (
	"fmt"
	"time"
)

// The emulated clock is the real clock plus an offset that only grows: the control API advances
// it so that tests see orders issued, jobs finished and certificates expire without waiting.
// Actions and tickers see this clock; signatures, STS sessions and rate limits use the real one,
// as the service's gateway does.

// Now is the emulated time.
func (e *Emulator) Now() time.Time {
	return e.wallNow().Add(time.Duration(e.offset.Load())).UTC()
}

// Advance moves the emulated clock forward by d and runs the tickers at the new time.
func (e *Emulator) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("the emulated clock only moves forward: cannot advance by %s", d)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.offset.Add(int64(d))
	e.runTickersLocked()
	e.saveStateLocked()
	return nil
}

// runTickersLocked moves time-driven state to the emulated now. The caller holds e.mu.
func (e *Emulator) runTickersLocked() time.Time {
	now := e.Now()
	for _, tick := range tickers {
		tick(e.state, now)
	}
	return now
}

// clockView is the control API's answer about the clock.
type clockView struct {
	Now           string  `json:"now"`
	OffsetSeconds float64 `json:"offset_seconds"`
}

func (e *Emulator) clockView() clockView {
	return clockView{
		Now:           e.Now().Format(time.RFC3339Nano),
		OffsetSeconds: time.Duration(e.offset.Load()).Seconds(),
	}
}
