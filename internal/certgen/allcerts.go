package certgen

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
)

// StandIn returns a self-signed CA certificate with the subject and
// subjectKeyIdentifier of iss but a new key of the given kind (see NewKey).
// A template whose Issuer is the stand-in is signed with the new key under
// iss's name and key identifier: the same certificate as if iss itself had
// that key, e.g. to get an end entity signed with Ed25519 or RSA.
func StandIn(iss *Issued, kind string) *Issued {
	key := NewKey(kind)
	t := &Template{Key: key, Certificate: &x509.Certificate{
		SerialNumber:          RandomSerial(),
		RawSubject:            iss.Cert.RawSubject,
		Subject:               iss.Cert.Subject,
		SubjectKeyId:          iss.Cert.SubjectKeyId,
		NotBefore:             iss.Cert.NotBefore,
		NotAfter:              iss.Cert.NotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}}
	si, err := Issue(t)
	if err != nil {
		panic(err)
	}
	return si
}

// OIDCurveSecp256k1 is the secp256k1 named curve (SEC 2), which crypto/x509
// and zcrypto do not support.
var OIDCurveSecp256k1 = asn1.ObjectIdentifier{1, 3, 132, 0, 10}

// spkiAlgorithm is an AlgorithmIdentifier with raw parameters.
type spkiAlgorithm struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type spki struct {
	Algorithm spkiAlgorithm
	PublicKey asn1.BitString
}

// Secp256k1SPKI is a subjectPublicKeyInfo on secp256k1 (id-ecPublicKey,
// namedCurve secp256k1) whose point is the curve's generator.
func Secp256k1SPKI() asn1.RawValue {
	point, err := hex.DecodeString("0479BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8")
	if err != nil {
		panic(err)
	}
	curve, err := asn1.Marshal(OIDCurveSecp256k1)
	if err != nil {
		panic(err)
	}
	der, err := asn1.Marshal(spki{
		Algorithm: spkiAlgorithm{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, Parameters: asn1.RawValue{FullBytes: curve}},
		PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
	if err != nil {
		panic(err)
	}
	return asn1.RawValue{FullBytes: der}
}

// SetSPKIAlgorithm returns a Rewrite that replaces the algorithm OID of the
// subjectPublicKeyInfo, keeping its parameters and key (e.g. id-ecDH for
// an id-ecPublicKey key, RFC 5480 §2.1.2).
func SetSPKIAlgorithm(oid asn1.ObjectIdentifier) Rewrite {
	return func(t *TBS) {
		var k spki
		if _, err := asn1.Unmarshal(t.PublicKey.FullBytes, &k); err != nil {
			panic(err)
		}
		k.Algorithm.Algorithm = oid
		der, err := asn1.Marshal(k)
		if err != nil {
			panic(err)
		}
		t.PublicKey = asn1.RawValue{FullBytes: der}
	}
}

// SetSerial returns a Rewrite that sets the serial number to the big-endian
// magnitude b, which crypto/x509 would refuse when longer than 20 octets.
func SetSerial(b []byte) Rewrite {
	return func(t *TBS) { t.SerialNumber = new(big.Int).SetBytes(b) }
}
