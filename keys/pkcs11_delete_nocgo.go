//go:build !cgo || nopkcs11

package keys

import (
	"errors"

	"go.step.sm/crypto/kms/pkcs11"
)

// deleteKey is not available without cgo, as PKCS#11 itself is not: the
// binary cannot have opened a token to make a key in.
func deleteKey(*pkcs11.PKCS11, string) error {
	return errors.New("PKCS#11 support needs cgo")
}
