package lints

import "time"

// Clocked is implemented by the lint instances whose verdict depends on
// the time of the check (a notBefore in the future, a certificate that
// has expired). Whoever runs such a lint sets the time on each new
// instance before CheckApplies; a profile given a clock
// (profile.Profile.WithClock) reads it once for each certificate and sets
// that instant on each of its lints, so that "iotcert lint --at" judges
// them at that time. An instance whose time was never set uses the wall
// clock.
type Clocked interface {
	SetNow(time.Time)
}

// clock is the time of a Clocked lint's check, embedded by the lint.
type clock struct {
	at time.Time
}

// SetNow sets the time of the check.
func (c *clock) SetNow(t time.Time) { c.at = t }

// now is the time of the check: the one set, or the wall clock.
func (c *clock) now() time.Time {
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}
