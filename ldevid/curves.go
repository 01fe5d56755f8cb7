package ldevid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"fmt"
)

// ParseCurve parses a curve as a spec writes it: "P-256", "P-384" or
// "Ed25519"; "" is P-256, the default.
func ParseCurve(s string) (Curve, error) { return parseCurve(s) }

// CurveOf returns the Curve of the public key pub, or an error for a key
// a spec cannot ask for (RSA, another curve).
func CurveOf(pub crypto.PublicKey) (Curve, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve.Params().Name {
		case "P-256":
			return P256, nil
		case "P-384":
			return P384, nil
		}
	case ed25519.PublicKey:
		return Ed25519, nil
	}
	return "", fmt.Errorf("%s keys are not supported (want P-256, P-384 or Ed25519)", KeyDescription(pub))
}

// SamePublicKey reports whether a and b are the same public key.
func SamePublicKey(a, b crypto.PublicKey) bool { return samePublicKey(a, b) }
