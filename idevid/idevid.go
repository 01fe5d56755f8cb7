// Package idevid holds the IEEE 802.1AR device identity encodings that
// iotcert both writes and checks, in one implementation: the
// HardwareModuleName otherName of RFC 4108 §5 in subjectAltName, the
// subject serialNumber attribute, and the 99991231235959Z "no well-defined
// expiration" notAfter.
package idevid

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"time"
)

// OIDHardwareModuleName is id-on-hardwareModuleName (RFC 4108 §5).
var OIDHardwareModuleName = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 4}

// OIDSerialNumber is the X.520 serialNumber attribute type (2.5.4.5).
var OIDSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}

// OIDTPM20 is the TCG hwType of a TPM 2.0 (2.23.133.1.2).
var OIDTPM20 = asn1.ObjectIdentifier{2, 23, 133, 1, 2}

// NoExpiry is 99991231235959Z, the notAfter IEEE 802.1AR and RFC 5280
// §4.1.2.5 give a certificate with no well-defined expiration date.
var NoExpiry = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// NoExpiryEncoding is the exact DER content of a NoExpiry notAfter: a
// GeneralizedTime.
const NoExpiryEncoding = "99991231235959Z"

// IsNoExpiry reports whether t is NoExpiry.
func IsNoExpiry(t time.Time) bool { return t.Equal(NoExpiry) }

// HardwareModuleName identifies the hardware module holding a device's key
// (RFC 4108 §5):
//
//	HardwareModuleName ::= SEQUENCE {
//	    hwType OBJECT IDENTIFIER,
//	    hwSerialNum OCTET STRING }
type HardwareModuleName struct {
	Type         asn1.ObjectIdentifier
	SerialNumber []byte
}

// Marshal returns the DER of the HardwareModuleName SEQUENCE.
func (h HardwareModuleName) Marshal() ([]byte, error) {
	if len(h.Type) == 0 {
		return nil, errors.New("idevid: HardwareModuleName without hwType")
	}
	return asn1.Marshal(h)
}

// OtherName returns the complete otherName GeneralName ([0] IMPLICIT
// SEQUENCE { type-id, [0] EXPLICIT value }) for use in subjectAltName.
func (h HardwareModuleName) OtherName() (asn1.RawValue, error) {
	value, err := h.Marshal()
	if err != nil {
		return asn1.RawValue{}, err
	}
	typeID, err := asn1.Marshal(OIDHardwareModuleName)
	if err != nil {
		return asn1.RawValue{}, err
	}
	explicit, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: value})
	if err != nil {
		return asn1.RawValue{}, err
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(typeID, explicit...)}, nil
}

// ParseHardwareModuleName decodes the DER of a HardwareModuleName SEQUENCE
// (the content of the otherName's [0] EXPLICIT value), strictly: no
// trailing data, a non-empty hwType and an OCTET STRING serial.
func ParseHardwareModuleName(der []byte) (HardwareModuleName, error) {
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(der, &seq)
	if err != nil {
		return HardwareModuleName{}, fmt.Errorf("HardwareModuleName: %w", err)
	}
	if len(rest) != 0 {
		return HardwareModuleName{}, errors.New("HardwareModuleName: trailing data")
	}
	if seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return HardwareModuleName{}, errors.New("HardwareModuleName: not a SEQUENCE")
	}
	var h HardwareModuleName
	inner, err := asn1.Unmarshal(seq.Bytes, &h.Type)
	if err != nil {
		return HardwareModuleName{}, fmt.Errorf("HardwareModuleName hwType: %w", err)
	}
	var serial asn1.RawValue
	if inner, err = asn1.Unmarshal(inner, &serial); err != nil {
		return HardwareModuleName{}, fmt.Errorf("HardwareModuleName hwSerialNum: %w", err)
	}
	if serial.Class != asn1.ClassUniversal || serial.Tag != asn1.TagOctetString || serial.IsCompound {
		return HardwareModuleName{}, errors.New("HardwareModuleName hwSerialNum: not an OCTET STRING")
	}
	if len(inner) != 0 {
		return HardwareModuleName{}, errors.New("HardwareModuleName: unexpected fields after hwSerialNum")
	}
	h.SerialNumber = serial.Bytes
	return h, nil
}
