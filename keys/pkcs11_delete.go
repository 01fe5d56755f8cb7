//go:build cgo && !nopkcs11

package keys

import "go.step.sm/crypto/kms/pkcs11"

// deleteKey deletes the key pair uri names from the token.
func deleteKey(km *pkcs11.PKCS11, uri string) error {
	return km.DeleteKey(uri)
}
