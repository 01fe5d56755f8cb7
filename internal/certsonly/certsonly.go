// Package certsonly writes the body of an EST /cacerts response (RFC 7030
// §4.1.3): a PKCS#7 / CMS certs-only message, in base64.
package certsonly

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var (
	oidData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
)

// Marshal returns a PKCS#7 / CMS "certs-only" message (RFC 5652
// SignedData with no signers and no content; RFC 7030 §4.1.3 calls it a
// certs-only CMC Simple PKI Response) holding certs, in DER. The
// certificates are kept in the order given (duplicates dropped): CMS is
// BER, so the SET need not be sorted, and path builders that take the
// first matching certificate without backtracking (OpenSSL) depend on the
// order (see roll.Rollover.CACerts).
func Marshal(certs []*x509.Certificate) ([]byte, error) {
	if len(certs) == 0 {
		return nil, errors.New("certs-only message: no certificates")
	}
	ders := make([][]byte, 0, len(certs))
	for _, c := range certs {
		dup := false
		for _, d := range ders {
			dup = dup || bytes.Equal(d, c.Raw)
		}
		if !dup {
			ders = append(ders, c.Raw)
		}
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(ci *cryptobyte.Builder) { // ContentInfo
		ci.AddASN1ObjectIdentifier(oidSignedData)
		ci.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(e *cryptobyte.Builder) {
			e.AddASN1(cbasn1.SEQUENCE, func(sd *cryptobyte.Builder) { // SignedData
				sd.AddASN1Int64(1)                                          // version
				sd.AddASN1(cbasn1.SET, func(*cryptobyte.Builder) {})        // digestAlgorithms
				sd.AddASN1(cbasn1.SEQUENCE, func(eci *cryptobyte.Builder) { // encapContentInfo
					eci.AddASN1ObjectIdentifier(oidData)
				})
				sd.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(cs *cryptobyte.Builder) { // certificates [0] IMPLICIT
					for _, d := range ders {
						cs.AddBytes(d)
					}
				})
				sd.AddASN1(cbasn1.SET, func(*cryptobyte.Builder) {}) // signerInfos
			})
		})
	})
	return b.Bytes()
}

// Base64 encodes der as an EST /cacerts response body is sent
// (Content-Transfer-Encoding: base64, RFC 7030 §4.1.3): base64 in lines
// of 64 characters, each ended by CRLF as RFC 2045 asks.
func Base64(der []byte) []byte {
	s := base64.StdEncoding.EncodeToString(der)
	var b bytes.Buffer
	for len(s) > 64 {
		b.WriteString(s[:64])
		b.WriteString("\r\n")
		s = s[64:]
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.Bytes()
}
