package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// Curve is a key algorithm a spec can ask for.
type Curve string

// The curves of a spec.
const (
	P256    Curve = "P-256"
	P384    Curve = "P-384"
	Ed25519 Curve = "Ed25519"
)

// ParseCurve parses a curve as a spec writes it: "P-256", "P-384" or
// "Ed25519"; "" is P-256, the default.
func ParseCurve(s string) (Curve, error) {
	switch c := Curve(s); c {
	case P256, P384, Ed25519:
		return c, nil
	case "":
		return P256, nil
	}
	return "", fmt.Errorf("unknown curve %q (want P-256, P-384 or Ed25519)", s)
}

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
	return "", fmt.Errorf("%s keys are not supported (want P-256, P-384 or Ed25519)", Describe(pub))
}

// SubjectKeyID is the RFC 5280 §4.2.1.2 method 1 key identifier of pub: the
// SHA-1 of the subjectPublicKey BIT STRING.
func SubjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:], nil
}

// SamePublicKey reports whether a and b are the same public key.
func SamePublicKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// Describe names the algorithm of pub: "P-256", "P-384",
// "Ed25519", "RSA-2048", ...
func Describe(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	}
	return fmt.Sprintf("%T", pub)
}
