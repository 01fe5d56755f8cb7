package certgen

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
)

// NewWeakRSAKey returns an RSA key of the given size, also of sizes NewKey
// does not offer (such as 1024 bits, 80-bit security), for certificates
// that break a key-length minimum.
func NewWeakRSAKey(bits int) crypto.Signer {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}
