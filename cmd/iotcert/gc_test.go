package main

import (
	"runtime/debug"
	"testing"
)

// TestBatchGC checks that batchGC raises the collector's target and
// restores it, and leaves a GOGC from the environment alone.
func TestBatchGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	restore := batchGC()
	if got := debug.SetGCPercent(batchGCPercent); got != batchGCPercent {
		t.Errorf("during the batch: GC percent %d, want %d", got, batchGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the batch: GC percent %d, want 100", got)
	}

	t.Setenv("GOGC", "100")
	restore = batchGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent %d, want 100 (left alone)", got)
	}
	restore()
}
