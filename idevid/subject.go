package idevid

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// MaxSerialNumberLength is ub-serial-number (X.520): a subject
// serialNumber holds at most 64 characters.
const MaxSerialNumberLength = 64

// CheckPrintableString reports an error unless s is a non-empty X.680
// PrintableString: A-Z a-z 0-9 space and ' ( ) + , - . / : = ?
func CheckPrintableString(s string) error {
	if s == "" {
		return errors.New("empty PrintableString")
	}
	for i := 0; i < len(s); i++ {
		if !isPrintable(s[i]) {
			return fmt.Errorf("%q is not a PrintableString: %q at %d is not allowed (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?)", s, s[i], i)
		}
	}
	return nil
}

func isPrintable(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		b == ' ' || b == '\'' || b == '(' || b == ')' || b == '+' || b == ',' ||
		b == '-' || b == '.' || b == '/' || b == ':' || b == '=' || b == '?'
}

// SerialNumberAttribute returns the subject attribute serialNumber
// (2.5.4.5) holding serial as a PrintableString, as X.520 defines it and
// IEEE 802.1AR §8.6 and RFC 8995 §2.3.1 use it for the device serial.
// crypto/x509 would write a UTF8String for some values; this value is
// written as given. Use it in pkix.Name.ExtraNames or an RDNSequence.
func SerialNumberAttribute(serial string) (pkix.AttributeTypeAndValue, error) {
	if err := CheckPrintableString(serial); err != nil {
		return pkix.AttributeTypeAndValue{}, fmt.Errorf("subject serialNumber: %w", err)
	}
	if len(serial) > MaxSerialNumberLength {
		return pkix.AttributeTypeAndValue{}, fmt.Errorf("subject serialNumber %q: %d characters, at most %d", serial, len(serial), MaxSerialNumberLength)
	}
	return pkix.AttributeTypeAndValue{
		Type:  OIDSerialNumber,
		Value: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagPrintableString, Bytes: []byte(serial)},
	}, nil
}

// SubjectSerialNumber returns the serialNumber attribute of the DER Name
// rawSubject (a certificate's RawSubject). It is an error when the
// attribute is absent, appears more than once, or is not a
// PrintableString.
func SubjectSerialNumber(rawSubject []byte) (string, error) {
	var rdns pkix.RDNSequence
	rest, err := asn1.Unmarshal(rawSubject, &rdns)
	if err != nil {
		return "", fmt.Errorf("subject: %w", err)
	}
	if len(rest) != 0 {
		return "", errors.New("subject: trailing data")
	}
	// Decode again keeping the raw values, to see the string type.
	var raw []asn1.RawValue
	if _, err := asn1.Unmarshal(rawSubject, &raw); err != nil {
		return "", fmt.Errorf("subject: %w", err)
	}
	var found []string
	for _, set := range raw {
		var atvs []struct {
			Type  asn1.ObjectIdentifier
			Value asn1.RawValue
		}
		if _, err := asn1.UnmarshalWithParams(set.FullBytes, &atvs, "set"); err != nil {
			return "", fmt.Errorf("subject: %w", err)
		}
		for _, atv := range atvs {
			if !atv.Type.Equal(OIDSerialNumber) {
				continue
			}
			if atv.Value.Class != asn1.ClassUniversal || atv.Value.Tag != asn1.TagPrintableString {
				return "", fmt.Errorf("subject serialNumber is not a PrintableString (tag %d)", atv.Value.Tag)
			}
			found = append(found, string(atv.Value.Bytes))
		}
	}
	switch len(found) {
	case 0:
		return "", errors.New("subject has no serialNumber")
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("subject has %d serialNumber attributes", len(found))
}

// MaxCertificateSerialOctets is RFC 5280 §4.1.2.2's limit on the length
// of a certificate serial number.
const MaxCertificateSerialOctets = 20

// CheckCertificateSerial reports an error unless n is a serial number RFC
// 5280 §4.1.2.2 allows: positive and at most 20 octets once DER-encoded
// (so at most 159 bits).
func CheckCertificateSerial(n *big.Int) error {
	if n == nil || n.Sign() <= 0 {
		return errors.New("certificate serial number is not positive")
	}
	// DER adds a leading zero octet when the top bit is set.
	if octets := n.BitLen()/8 + 1; octets > MaxCertificateSerialOctets {
		return fmt.Errorf("certificate serial number is %d octets, more than %d", octets, MaxCertificateSerialOctets)
	}
	return nil
}
