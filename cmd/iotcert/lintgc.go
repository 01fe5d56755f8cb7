package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// lintHeadroom is the least room "iotcert lint" leaves the heap above the
// memory that stays live (see lintMemoryLimit).
const lintHeadroom = 48 << 20

// lintMemoryLimit is the soft memory limit "iotcert lint" keeps while the
// live heap is live bytes: live plus lintHeadroom, or plus half of live
// when that is more.
//
// A bundle's chain graph grows with the number of certificates (about
// 1.2 KB each) and stays to the end, while linting allocates and drops
// tens of kilobytes per certificate. At Go's default GOGC=100 the heap
// then peaks at twice what is live: 100,000 certificates took 330 MB,
// 120 MB of it live. With the limit the collector runs when the garbage
// reaches lintHeadroom instead, once the live heap is larger than that;
// above 96 MiB live the headroom grows as GOGC=50 would, so that a larger
// bundle is not slowed by a collection every few thousand certificates
// (docs/performance.md, "Memory").
func lintMemoryLimit(live uint64) int64 {
	return int64(live + max(lintHeadroom, live/2))
}

// lintMemory sets, for the duration of "iotcert lint", a soft memory
// limit that follows the live heap (lintMemoryLimit), checked every
// 50 ms, and returns the function that stops it and restores the previous
// limit. A GOMEMLIMIT or GOGC set in the environment is the user's choice
// and is left alone.
func lintMemory() (stop func()) {
	for _, v := range []string{"GOMEMLIMIT", "GOGC"} {
		if _, set := os.LookupEnv(v); set {
			return func() {}
		}
	}
	old := debug.SetMemoryLimit(-1)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	update := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(lintMemoryLimit(sample[0].Value.Uint64()))
		}
	}
	update()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				update()
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		debug.SetMemoryLimit(old)
	}
}
