//go:build !cgo

package softhsm

import "testing"

// Logout needs cgo; New has skipped (or failed) the test before it can
// be called.
func (t *Token) Logout(tb testing.TB) {
	tb.Helper()
	tb.Fatal("softhsm: Logout needs cgo")
}

// Login needs cgo, like Logout.
func (t *Token) Login(tb testing.TB) {
	tb.Helper()
	tb.Fatal("softhsm: Login needs cgo")
}
