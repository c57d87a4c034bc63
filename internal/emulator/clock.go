package emulator

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// The emulated clock runs from an anchor at a rate, plus an offset that only grows:
//
//	Now = anchor + rate × (real now − real time of the anchor) + offset
//
// The rate (emulated seconds per real second, 1 unless Options.ClockRate or the control API says
// otherwise) lets a test or the demo watch a DV order be reviewed in a few real seconds; the
// offset is what the control API's advance added, so that tests see orders issued, jobs finished
// and certificates expire without waiting. A change of rate re-anchors at the current emulated
// time, and the clock never answers a time before one it already answered (until a reset), even
// if the real clock steps back. Actions and tickers see this clock; signatures, STS sessions and
// rate limits use the real one, as the service's gateway does.

// maxClockRate bounds the rate: a day of emulated time in under a second of real time. (The
// emulated clock stops at 292 years past its anchor, which this rate reaches after a day.)
const maxClockRate = 100000

// emuClock is the emulated clock's rate, anchor and memory. Its lock is taken last, inside e.mu
// or alone, so that Now can be read without the state lock.
type emuClock struct {
	mu         sync.Mutex
	baseRate   float64   // Options.ClockRate: the rate after a reset
	rate       float64   // emulated seconds per real second
	anchorWall time.Time // the real time of the anchor (no monotonic reading)
	anchor     time.Time // the emulated time then, before the offset
	last       time.Time // the latest time answered, which Now never goes below
}

// checkClockRate refuses a rate the clock cannot run at.
func checkClockRate(rate float64) error {
	if math.IsNaN(rate) || math.IsInf(rate, 0) || rate <= 0 || rate > maxClockRate {
		return fmt.Errorf("the clock rate must be a number of emulated seconds per real second, above 0 and at most %d, not %v", maxClockRate, rate)
	}
	return nil
}

// initClock starts the clock at the real time with Options.ClockRate (0, or an invalid rate
// reported through logf, means 1).
func (e *Emulator) initClock(rate float64) {
	if rate == 0 {
		rate = 1
	}
	if err := checkClockRate(rate); err != nil {
		e.logf("emulator: %v; running the clock at rate 1", err)
		rate = 1
	}
	c := &e.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	c.baseRate = rate
	c.restartLocked(e.wallNow())
}

// restartLocked sets the clock back to the real time, at the base rate. The caller holds c.mu.
func (c *emuClock) restartLocked(wall time.Time) {
	wall = wall.Round(0).UTC()
	c.rate, c.anchorWall, c.anchor, c.last = c.baseRate, wall, wall, time.Time{}
}

// runLocked is the emulated time at the real time wall, before the offset. The caller holds c.mu.
func (c *emuClock) runLocked(wall time.Time) time.Time {
	elapsed := wall.Round(0).Sub(c.anchorWall)
	if c.rate != 1 {
		scaled := float64(elapsed) * c.rate
		switch {
		case scaled >= math.MaxInt64:
			elapsed = math.MaxInt64
		case scaled <= math.MinInt64:
			elapsed = math.MinInt64
		default:
			elapsed = time.Duration(scaled)
		}
	}
	return c.anchor.Add(elapsed)
}

// nowLocked reads the emulated clock at the real time wall and remembers the answer. The caller
// holds c.mu.
func (e *Emulator) nowLocked(wall time.Time) time.Time {
	c := &e.clock
	now := c.runLocked(wall).Add(time.Duration(e.offset.Load())).UTC()
	if now.Before(c.last) {
		now = c.last
	}
	c.last = now
	return now
}

// Now is the emulated time.
func (e *Emulator) Now() time.Time {
	e.clock.mu.Lock()
	defer e.clock.mu.Unlock()
	return e.nowLocked(e.wallNow())
}

// ClockRate is the emulated clock's rate: emulated seconds per real second.
func (e *Emulator) ClockRate() float64 {
	e.clock.mu.Lock()
	defer e.clock.mu.Unlock()
	return e.clock.rate
}

// SetClockRate changes the emulated clock's rate (emulated seconds per real second, above 0 and
// at most 100000) and returns the emulated time. The tickers run first; the clock then goes on
// from where it is, so a change of rate never moves it back.
func (e *Emulator) SetClockRate(rate float64) (time.Time, error) {
	if err := checkClockRate(rate); err != nil {
		return time.Time{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runTickersLocked()
	e.saveStateLocked()
	c := &e.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := e.wallNow().Round(0).UTC()
	// Re-anchor at the time the clock answers now (never below one already answered); the
	// offset stays as it is.
	now := e.nowLocked(wall)
	c.rate, c.anchorWall, c.anchor = rate, wall, now.Add(-time.Duration(e.offset.Load()))
	return now, nil
}

// resetClockLocked sets the clock back to the real time at Options.ClockRate, with no offset.
// The caller holds e.mu.
func (e *Emulator) resetClockLocked() {
	c := &e.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	e.offset.Store(0)
	c.restartLocked(e.wallNow())
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

// clockView is the control API's answer about the clock: the emulated time, how far it is ahead
// of the real clock, and its rate.
type clockView struct {
	Now           string  `json:"now"`
	OffsetSeconds float64 `json:"offset_seconds"`
	Rate          float64 `json:"rate"`
}

func (e *Emulator) clockView() clockView {
	c := &e.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := e.wallNow().Round(0).UTC()
	now := e.nowLocked(wall)
	return clockView{
		Now:           now.Format(time.RFC3339Nano),
		OffsetSeconds: now.Sub(wall).Seconds(),
		Rate:          c.rate,
	}
}
