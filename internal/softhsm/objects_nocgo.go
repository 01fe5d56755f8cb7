//go:build !cgo

package softhsm

import "testing"

// Objects needs cgo; New has skipped (or failed) the test before it can
// be called.
func (t *Token) Objects(tb testing.TB) []string {
	tb.Helper()
	tb.Fatal("softhsm: Objects needs cgo")
	return nil
}
