package certgen

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

// DirectoryName is a directoryName GeneralName ([4] EXPLICIT Name) holding
// name.
func DirectoryName(name pkix.Name) asn1.RawValue {
	der, err := asn1.Marshal(name.ToRDNSequence())
	if err != nil {
		panic(err)
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: der}
}
