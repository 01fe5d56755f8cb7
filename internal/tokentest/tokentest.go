// Package tokentest opens PKCS#11 sessions for the tests of the packages
// that issue with keys in a token (ldevid, batch): package softhsm makes
// the token, this one opens it with the keys backend. (keys' own tests
// open theirs directly: softhsm cannot import keys.)
package tokentest

import (
	"testing"

	"github.com/iotcert/iotcert/keys"
)

// Open opens a session of the token of uri, closed when the test ends.
func Open(tb testing.TB, uri string, opts ...keys.PKCS11Option) *keys.PKCS11 {
	tb.Helper()
	p, err := keys.NewPKCS11(uri, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}
