// Package pemenc encodes a PEM block without headers into one slice,
// byte for byte as encoding/pem.EncodeToMemory does, without its
// per-line writes through a base64 encoder and a line breaker: the
// device issuance path encodes two blocks (key and certificate) per
// device.
package pemenc

import "encoding/base64"

// Encode returns the PEM block of type typ holding der, with no headers:
// what pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) returns.
func Encode(typ string, der []byte) []byte {
	const perLine = 48 // octets a line of 64 base64 characters holds
	n := base64.StdEncoding.EncodedLen(len(der))
	out := make([]byte, 0, 2*len(typ)+len("-----BEGIN -----\n-----END -----\n")+n+n/64+1)
	out = append(out, "-----BEGIN "...)
	out = append(out, typ...)
	out = append(out, "-----\n"...)
	for len(der) > 0 {
		k := min(len(der), perLine)
		out = base64.StdEncoding.AppendEncode(out, der[:k])
		out = append(out, '\n')
		der = der[k:]
	}
	out = append(out, "-----END "...)
	out = append(out, typ...)
	return append(out, "-----\n"...)
}
