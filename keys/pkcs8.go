package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of a PKCS#8 EC private key.
var (
	oidPublicKeyECDSA = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidNamedCurveP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidNamedCurveP384 = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
)

// marshalPKCS8EC encodes a P-256 or P-384 key as
// crypto/x509.MarshalPKCS8PrivateKey does, byte for byte
// (TestMarshalPKCS8EC compares them), without its reflection: a
// PrivateKeyInfo (RFC 5208) holding an ECPrivateKey (RFC 5915) with the
// scalar at the curve's length, no parameters and the uncompressed public
// point. ok is false for any other key, which then goes the pemutil way.
func marshalPKCS8EC(key *ecdsa.PrivateKey) (der []byte, ok bool) {
	var curve asn1.ObjectIdentifier
	switch key.Curve {
	case elliptic.P256():
		curve = oidNamedCurveP256
	case elliptic.P384():
		curve = oidNamedCurveP384
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
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidPublicKeyECDSA)
			b.AddASN1ObjectIdentifier(curve)
		})
		b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(1)
				b.AddASN1OctetString(scalar)
				b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1BitString(point)
				})
			})
		})
	})
	der, err = b.Bytes()
	clear(scalar)
	return der, err == nil
}
