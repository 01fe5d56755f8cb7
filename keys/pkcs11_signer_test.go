package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
)

// failingSigner fails every signature with err.
type failingSigner struct {
	crypto.Signer
	err error
}

func (s failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, s.err
}

// TestPKCS11SignerLost checks the errors of a token's signer: they name
// the token and the key, and a return value of a token that was removed,
// logged out or whose sessions were closed adds what it usually means;
// any other error does not.
func TestPKCS11SignerLost(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("tbs"))
	for _, tc := range []struct{ err, want string }{
		{"pkcs11: 0x32: CKR_DEVICE_REMOVED", "PKCS#11 token: key sub: signing: pkcs11: 0x32: CKR_DEVICE_REMOVED (the token was removed, logged out or its sessions closed)"},
		{"pkcs11: 0x101: CKR_USER_NOT_LOGGED_IN", "PKCS#11 token: key sub: signing: pkcs11: 0x101: CKR_USER_NOT_LOGGED_IN (the token was removed, logged out or its sessions closed)"},
		{"pkcs11: 0x5: CKR_GENERAL_ERROR", "PKCS#11 token: key sub: signing: pkcs11: 0x5: CKR_GENERAL_ERROR"},
	} {
		inner := errors.New(tc.err)
		s := &pkcs11Signer{Signer: failingSigner{key, inner}, what: "PKCS#11 token: key sub"}
		_, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err == nil || err.Error() != tc.want || !errors.Is(err, inner) {
			t.Errorf("%s: error %v, want %q wrapping it", tc.err, err, tc.want)
		}
	}
	s := &pkcs11Signer{Signer: key, what: "PKCS#11 token: key sub"}
	if _, err := s.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
		t.Errorf("working signer: %v", err)
	}
}
