package idevid

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// Validity is the validity of a TBSCertificate as encoded: each time with
// its ASN.1 type (UTCTime or GeneralizedTime) and its characters.
type Validity struct {
	NotBefore, NotAfter asn1.RawValue
}

// ParseValidity returns the encoded validity of the DER TBSCertificate
// rawTBS (a certificate's RawTBSCertificate), without converting the times,
// so that the NoExpiry encoding can be checked exactly.
func ParseValidity(rawTBS []byte) (Validity, error) {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(rawTBS, &seq); err != nil {
		return Validity{}, fmt.Errorf("TBSCertificate: %w", err)
	}
	inner := seq.Bytes
	var first asn1.RawValue
	rest, err := asn1.Unmarshal(inner, &first)
	if err != nil {
		return Validity{}, fmt.Errorf("TBSCertificate: %w", err)
	}
	if first.Class == asn1.ClassContextSpecific && first.Tag == 0 {
		inner = rest // skip the version
	}
	for _, field := range []string{"serialNumber", "signature", "issuer"} {
		var v asn1.RawValue
		if inner, err = asn1.Unmarshal(inner, &v); err != nil {
			return Validity{}, fmt.Errorf("TBSCertificate %s: %w", field, err)
		}
	}
	var v Validity
	if _, err := asn1.Unmarshal(inner, &v); err != nil {
		return Validity{}, fmt.Errorf("TBSCertificate validity: %w", err)
	}
	return v, nil
}

// IsNoExpiryEncoding reports whether notAfter is exactly the
// GeneralizedTime 99991231235959Z.
func IsNoExpiryEncoding(notAfter asn1.RawValue) bool {
	return notAfter.Class == asn1.ClassUniversal && notAfter.Tag == asn1.TagGeneralizedTime &&
		string(notAfter.Bytes) == NoExpiryEncoding
}

// CheckNoExpiry reports an error unless the DER TBSCertificate rawTBS has
// the notAfter GeneralizedTime 99991231235959Z.
func CheckNoExpiry(rawTBS []byte) error {
	v, err := ParseValidity(rawTBS)
	if err != nil {
		return err
	}
	if !IsNoExpiryEncoding(v.NotAfter) {
		return errors.New("notAfter is not GeneralizedTime " + NoExpiryEncoding)
	}
	return nil
}
