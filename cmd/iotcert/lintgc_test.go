package main

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// TestLintMemoryLimit checks the soft memory limit of "iotcert lint":
// the live heap plus 48 MiB, or plus half of it above 96 MiB.
func TestLintMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, want uint64 }{
		{0, 48 * mib},
		{10 * mib, 58 * mib},
		{96 * mib, 144 * mib},
		{120 * mib, 180 * mib},
		{1000 * mib, 1500 * mib},
	} {
		if got := lintMemoryLimit(c.live); got != int64(c.want) {
			t.Errorf("live %d MiB: limit %d MiB, want %d", c.live/mib, got/mib, c.want/mib)
		}
	}
}

// TestLintMemory checks that lintMemory sets a limit that follows the
// live heap, restores the previous one, and leaves a GOMEMLIMIT or GOGC
// from the environment alone.
func TestLintMemory(t *testing.T) {
	before := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(before)
	for _, v := range []string{"GOMEMLIMIT", "GOGC"} {
		t.Run(v+" set", func(t *testing.T) {
			unsetenv(t, "GOMEMLIMIT")
			unsetenv(t, "GOGC")
			t.Setenv(v, "off")
			stop := lintMemory()
			if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
				t.Errorf("with %s set: limit %d, want none (left alone)", v, got)
			}
			stop()
		})
	}
	unsetenv(t, "GOMEMLIMIT")
	unsetenv(t, "GOGC")
	stop := lintMemory()
	got := debug.SetMemoryLimit(-1)
	stop()
	if got < lintHeadroom || got > 1<<30 {
		t.Errorf("limit while linting: %d bytes, want the live heap plus at least %d", got, lintHeadroom)
	}
	if after := debug.SetMemoryLimit(-1); after != math.MaxInt64 {
		t.Errorf("limit after: %d, want the previous one restored", after)
	}
}

// unsetenv removes k from the environment for the duration of the test.
func unsetenv(t *testing.T, k string) {
	t.Helper()
	t.Setenv(k, "")
	os.Unsetenv(k)
}
