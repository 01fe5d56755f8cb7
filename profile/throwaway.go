package profile

import "crypto"

// ThrowawayKey makes a fresh key of the same type and size as pub (ECDSA
// on the same curve, Ed25519, RSA of the same modulus size), as
// LintTemplate does to sign a certificate before the real issuer signs:
// a caller that checks a to-be-signed certificate against its issuer
// signs it, and a copy of the issuer, with such a key.
func ThrowawayKey(pub crypto.PublicKey) (crypto.Signer, error) {
	return throwawayKey(pub)
}
