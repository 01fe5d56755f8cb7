// Package certder writes the DER of X.509 certificates and their parts
// where iotcert encodes them itself: a certificate assembled from its
// parts for the places that sign or placeholder-sign a TBSCertificate
// (pre-issuance linting in profile, the chain checks of iotcert serve's
// /v1/lint/tbs), elements appended to one slice with their lengths fixed
// up in place (Begin, End: the device issuance path, C509 decoding), and
// random serial numbers.
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
