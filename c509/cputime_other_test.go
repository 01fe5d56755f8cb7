//go:build !linux

package c509

// threadCPU reports that the thread's CPU time cannot be read here.
func threadCPU() (int64, bool) { return 0, false }
