// Package certder assembles the DER of an X.509 certificate from its
// parts, for the places that sign or placeholder-sign a TBSCertificate
// themselves (pre-issuance linting in profile, the chain checks of
// iotcert serve's /v1/lint/tbs).
package certder

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Assemble returns the Certificate SEQUENCE { tbs, algDER, BIT STRING {
// 0 unused bits, sig } }, as asn1.Marshal encodes it: tbs is the DER
// TBSCertificate, algDER the DER signature AlgorithmIdentifier and sig the
// signature value.
func Assemble(tbs, algDER, sig []byte) ([]byte, error) {
	b := cryptobyte.NewBuilder(make([]byte, 0, len(tbs)+len(algDER)+len(sig)+16))
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(algDER)
		b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) {
			b.AddUint8(0)
			b.AddBytes(sig)
		})
	})
	return b.Bytes()
}
