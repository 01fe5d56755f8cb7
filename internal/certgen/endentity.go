package certgen

import (
	"encoding/asn1"
	"fmt"
)

// RetagSubjectAttribute returns a Rewrite that re-encodes every subject
// attribute of type oid with the universal string tag tag (e.g.
// asn1.TagUTF8String), keeping its content: a serialNumber that is not a
// PrintableString, which crypto/x509 will not write.
func RetagSubjectAttribute(oid asn1.ObjectIdentifier, tag int) Rewrite {
	return func(t *TBS) {
		var rdns []asn1.RawValue
		if _, err := asn1.Unmarshal(t.Subject.FullBytes, &rdns); err != nil {
			panic(fmt.Sprintf("certgen: subject: %v", err))
		}
		out := make([]asn1.RawValue, 0, len(rdns))
		for _, set := range rdns {
			var atvs []asn1.RawValue
			if _, err := asn1.UnmarshalWithParams(set.FullBytes, &atvs, "set"); err != nil {
				panic(fmt.Sprintf("certgen: subject RDN: %v", err))
			}
			var content []byte
			for _, raw := range atvs {
				var atv struct {
					Type  asn1.ObjectIdentifier
					Value asn1.RawValue
				}
				if _, err := asn1.Unmarshal(raw.FullBytes, &atv); err != nil {
					panic(fmt.Sprintf("certgen: subject attribute: %v", err))
				}
				if atv.Type.Equal(oid) {
					atv.Value = asn1.RawValue{Class: asn1.ClassUniversal, Tag: tag, Bytes: atv.Value.Bytes}
				}
				der, err := asn1.Marshal(atv)
				if err != nil {
					panic(fmt.Sprintf("certgen: subject attribute: %v", err))
				}
				content = append(content, der...)
			}
			out = append(out, asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: content})
		}
		der, err := asn1.Marshal(out)
		if err != nil {
			panic(fmt.Sprintf("certgen: subject: %v", err))
		}
		t.Subject = asn1.RawValue{FullBytes: der}
	}
}

// OctetStringOtherName is an otherName GeneralName of type typeID whose
// value is an OCTET STRING holding b: a MACAddress (draft-ietf-lamps-
// macaddress-on) once its OID is known.
func OctetStringOtherName(typeID asn1.ObjectIdentifier, b []byte) asn1.RawValue {
	der, err := asn1.Marshal(b)
	if err != nil {
		panic(err)
	}
	return OtherName(typeID, der)
}
