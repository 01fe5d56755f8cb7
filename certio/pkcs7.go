package certio

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// oidSignedData is id-signedData (RFC 5652 §5.1), the content type of a
// PKCS#7 "certs-only" message such as an EST /cacerts response (RFC 7030
// §4.1.3).
var oidSignedData = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}

// pkcs7Cert is one certificate found in a PKCS#7 message, with its offset
// in the message.
type pkcs7Cert struct {
	der    []byte
	offset int
}

// isPKCS7 reports whether der starts like a ContentInfo of type signedData.
func isPKCS7(der []byte) bool {
	s := cryptobyte.String(der)
	var ci, oid cryptobyte.String
	return s.ReadASN1(&ci, cbasn1.SEQUENCE) && ci.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) && string(oid) == string(oidSignedData)
}

// pkcs7Certificates returns the certificates of a DER PKCS#7 SignedData
// message (RFC 5652 §5.1), without parsing them, so that a certificate
// Go's parsers refuse is still judged. Other CertificateChoices
// (attribute certificates) are skipped.
func pkcs7Certificates(der []byte) ([]pkcs7Cert, error) {
	s := cryptobyte.String(der)
	var ci, oid, explicit, sd cryptobyte.String
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) {
		return nil, errors.New("PKCS#7: not a ContentInfo SEQUENCE")
	}
	if !ci.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) || string(oid) != string(oidSignedData) {
		return nil, errors.New("PKCS#7: content type is not signedData")
	}
	if !ci.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) || !explicit.ReadASN1(&sd, cbasn1.SEQUENCE) {
		return nil, errors.New("PKCS#7: signedData content missing or malformed")
	}
	var version int64
	var digestAlgs, encap cryptobyte.String
	if !sd.ReadASN1Integer(&version) || !sd.ReadASN1(&digestAlgs, cbasn1.SET) || !sd.ReadASN1(&encap, cbasn1.SEQUENCE) {
		return nil, errors.New("PKCS#7: malformed SignedData header")
	}
	var certSet cryptobyte.String
	var present bool
	if !sd.ReadOptionalASN1(&certSet, &present, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, errors.New("PKCS#7: malformed certificates field")
	}
	if !present || len(certSet) == 0 {
		return nil, errors.New("PKCS#7: the message holds no certificates")
	}
	var out []pkcs7Cert
	for len(certSet) > 0 {
		offset := offsetIn(der, certSet)
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !certSet.ReadAnyASN1Element(&elem, &tag) {
			return out, &offsetError{offset, fmt.Sprintf("PKCS#7: certificate %d is truncated or malformed", len(out))}
		}
		if tag == cbasn1.SEQUENCE {
			out = append(out, pkcs7Cert{der: []byte(elem), offset: offset})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("PKCS#7: the message holds no X.509 certificates (only other certificate types)")
	}
	return out, nil
}

// offsetError is an error at a known offset within a message.
type offsetError struct {
	offset int
	msg    string
}

func (e *offsetError) Error() string { return e.msg }

// offsetIn returns the offset of sub within whole; sub must be a
// sub-slice of whole (cryptobyte only re-slices), so their capacities
// differ by exactly that offset.
func offsetIn(whole []byte, sub cryptobyte.String) int {
	return cap(whole) - cap(sub)
}
