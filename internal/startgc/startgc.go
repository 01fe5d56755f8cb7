// Package startgc holds the garbage collector off while a program starts.
//
// The dependencies of cmd/iotcert allocate some 3 MB in their package
// initialisation (zlint's lint registry, the public suffix list that
// zcrypto's parser imports, zcrypto's tables), close to the 4 MB heap goal
// the collector starts with: without this package, a process that lints
// one certificate runs a garbage collection cycle that costs more CPU
// time than the lint (GODEBUG=gctrace=1 shows it; bench/coldstart.sh
// times it). Go initialises packages in the order of their import paths
// once their own imports are initialised (the Go specification, "Package
// initialization"), and this package imports only the runtime, so it is
// initialised before those dependencies, whose paths sort after it
// (github.com/weppos, github.com/zmap).
//
// A program imports it for its side effect and calls Done at the start
// of main. A GOGC in the environment is the user's choice and is left
// alone.
package startgc

import (
	"os"
	"runtime/debug"
)

// saved is the percentage Done restores; -2: nothing to restore.
var saved = -2

func init() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	saved = debug.SetGCPercent(-1)
}

// Done turns the garbage collector back on as it was before init. It is
// safe to call more than once.
func Done() {
	if saved != -2 {
		debug.SetGCPercent(saved)
		saved = -2
	}
}
