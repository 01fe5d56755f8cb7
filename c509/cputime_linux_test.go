package c509

import "syscall"

// threadCPU returns the CPU time (user and system) the calling thread has
// used, in nanoseconds, and whether it could be read.
func threadCPU() (int64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_THREAD, &ru) != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
