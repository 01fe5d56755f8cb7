// Package duration parses the one duration syntax of iotcert's flags and
// hierarchy specs: whole numbers of years (y), weeks (w), days (d) and hours
// (h), largest unit first and each at most once, written together without
// spaces: "20y", "90d", "1y30d", "12h".
//
// There is no unit for months or minutes: "m" would mean either, so it is
// refused with an error naming the accepted units.
package duration

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Units names the accepted units, for error messages and flag usage.
const Units = "y (years), w (weeks), d (days) or h (hours)"

// maxNumber bounds each number so that no duration overflows a time.Time.
const maxNumber = 1_000_000

// Duration is a span of calendar years, days and hours. Weeks are parsed into
// days. A year is a calendar year: its length depends on the day it is added
// to (see AddTo).
type Duration struct {
	Years, Days, Hours int
}

// Parse parses s: a sequence of whole numbers, each followed by one of the
// units y, w, d and h, in that order. Zero ("0d") is allowed; callers that need
// a positive duration check IsZero.
func Parse(s string) (Duration, error) {
	var d Duration
	if s == "" {
		return d, fmt.Errorf("empty duration: want a number and a unit, %s, e.g. 90d or 1y30d", Units)
	}
	const order = "ywdh"
	next := 0 // index in order of the smallest unit allowed next
	for rest := s; rest != ""; {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return Duration{}, fmt.Errorf("duration %q: want a whole number before each unit, %s, e.g. 90d or 1y30d", s, Units)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > maxNumber {
			return Duration{}, fmt.Errorf("duration %q: number %s too large", s, rest[:i])
		}
		rest = rest[i:]
		j := 0
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
			j++
		}
		unit := rest[:j]
		rest = rest[j:]
		k := strings.Index(order, unit)
		switch {
		case unit == "":
			return Duration{}, fmt.Errorf("duration %q: number %d has no unit: want %s", s, n, Units)
		case unit == "m" || unit == "mo" || strings.HasPrefix(unit, "min") || strings.HasPrefix(unit, "month"):
			return Duration{}, fmt.Errorf("duration %q: unit %q is ambiguous (months or minutes?): want %s", s, unit, Units)
		case len(unit) != 1 || k < 0:
			return Duration{}, fmt.Errorf("duration %q: unknown unit %q: want %s", s, unit, Units)
		case k < next:
			return Duration{}, fmt.Errorf("duration %q: unit %q repeated or out of order: write y, w, d, h in that order, each once", s, unit)
		}
		next = k + 1
		switch unit {
		case "y":
			d.Years = n
		case "w":
			d.Days += 7 * n
		case "d":
			d.Days += n
		case "h":
			d.Hours = n
		}
	}
	return d, nil
}

// IsZero reports whether d is zero.
func (d Duration) IsZero() bool { return d == Duration{} }

// AddTo returns t plus d: years and days with time.Time.AddDate (so a year
// from 29 February ends on 1 March), then hours.
func (d Duration) AddTo(t time.Time) time.Time {
	return t.AddDate(d.Years, 0, d.Days).Add(time.Duration(d.Hours) * time.Hour)
}

// From returns the length of d from t, as a time.Duration.
func (d Duration) From(t time.Time) time.Duration {
	return d.AddTo(t).Sub(t)
}

// String formats d in the syntax Parse reads ("1y30d"; zero is "0d").
func (d Duration) String() string {
	var b strings.Builder
	for _, p := range []struct {
		n    int
		unit string
	}{{d.Years, "y"}, {d.Days, "d"}, {d.Hours, "h"}} {
		if p.n != 0 {
			b.WriteString(strconv.Itoa(p.n) + p.unit)
		}
	}
	if b.Len() == 0 {
		return "0d"
	}
	return b.String()
}

// Format formats a time.Duration in days and hours ("90d", "1d12h") when it
// is a whole number of hours, and as time.Duration.String does otherwise.
func Format(t time.Duration) string {
	if t < 0 || t%time.Hour != 0 {
		return t.String()
	}
	h := int(t / time.Hour)
	return Duration{Days: h / 24, Hours: h % 24}.String()
}
