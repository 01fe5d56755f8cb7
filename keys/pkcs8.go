package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/asn1"

	"github.com/iotcert/iotcert/internal/certder"
)

// Object identifiers of a PKCS#8 EC private key.
var (
	oidPublicKeyECDSA = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidNamedCurveP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidNamedCurveP384 = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
)

// The DER AlgorithmIdentifiers of a P-256 and a P-384 key: id-ecPublicKey
// with the named curve as parameters.
var (
	algP256 = ecAlgorithmID(oidNamedCurveP256)
	algP384 = ecAlgorithmID(oidNamedCurveP384)
)

func ecAlgorithmID(curve asn1.ObjectIdentifier) []byte {
	der, err := asn1.Marshal(struct{ Algorithm, Curve asn1.ObjectIdentifier }{oidPublicKeyECDSA, curve})
	if err != nil {
		panic(err) // constant OIDs always encode
	}
	return der
}

// marshalPKCS8EC encodes a P-256 or P-384 key as
// crypto/x509.MarshalPKCS8PrivateKey does, byte for byte
// (TestMarshalPKCS8EC compares them), without its reflection: a
// PrivateKeyInfo (RFC 5208) holding an ECPrivateKey (RFC 5915) with the
// scalar at the curve's length, no parameters and the uncompressed public
// point. ok is false for any other key, which then goes the pemutil way.
func marshalPKCS8EC(key *ecdsa.PrivateKey) (der []byte, ok bool) {
	var alg []byte
	switch key.Curve {
	case elliptic.P256():
		alg = algP256
	case elliptic.P384():
		alg = algP384
	default:
		return nil, false
	}
	scalar, err := key.Bytes()
	if err != nil {
		return nil, false
	}
	point, err := key.PublicKey.Bytes()
	if err != nil {
		return nil, false
	}
	// One slice large enough for the whole key, so that no copy of the
	// scalar is left behind in a buffer outgrown.
	b, info := certder.Begin(make([]byte, 0, 32+len(alg)+len(scalar)+len(point)), certder.TagSequence)
	b = append(b, certder.TagInteger, 1, 0) // version 0
	b = append(b, alg...)
	b, octets := certder.Begin(b, certder.TagOctetString)
	b, ecKey := certder.Begin(b, certder.TagSequence)
	b = append(b, certder.TagInteger, 1, 1) // ecPrivkeyVer1
	b = certder.AppendTLV(b, certder.TagOctetString, scalar)
	b, pub := certder.Begin(b, 0xa1) // [1] EXPLICIT publicKey
	b = certder.AppendTLV(b, certder.TagBitString, []byte{0}, point)
	der = certder.End(certder.End(certder.End(certder.End(b, pub), ecKey), octets), info)
	clear(scalar)
	return der, true
}
