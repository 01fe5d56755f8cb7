package main

import (
	"os"
	"runtime/debug"
)

// batchGCPercent is the garbage collector's target during "gen devices"
// (see batchGC).
const batchGCPercent = 400

// batchGC sets the garbage collector's target to batchGCPercent for a
// batch issuance and returns the function that restores the previous one.
// Issuing a device allocates a few hundred short-lived objects (the
// certificate parsed for its lints, the lints' results) over a live heap
// of a few megabytes, so that at Go's default target of 100 the collector
// runs every few dozen devices and takes a sizeable share of both cores;
// at 400 it runs a quarter as often, for tens of megabytes more memory
// (docs/performance.md). A GOGC set in the environment is the user's
// choice and is left alone.
func batchGC() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	old := debug.SetGCPercent(batchGCPercent)
	return func() { debug.SetGCPercent(old) }
}
