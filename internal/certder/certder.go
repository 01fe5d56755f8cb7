// Package certder assembles the DER of an X.509 certificate from its
// parts, for the places that sign or placeholder-sign a TBSCertificate
// themselves (pre-issuance linting in profile, the chain checks of
// iotcert serve's /v1/lint/tbs).
package certder

// Assemble returns the Certificate SEQUENCE { tbs, algDER, BIT STRING {
// 0 unused bits, sig } }, as asn1.Marshal encodes it: tbs is the DER
// TBSCertificate, algDER the DER signature AlgorithmIdentifier and sig the
// signature value.
func Assemble(tbs, algDER, sig []byte) ([]byte, error) {
	b, seq := Begin(make([]byte, 0, len(tbs)+len(algDER)+len(sig)+16), TagSequence)
	b = append(b, tbs...)
	b = append(b, algDER...)
	b = AppendTLV(b, TagBitString, []byte{0}, sig) // no unused bits
	return End(b, seq), nil
}
