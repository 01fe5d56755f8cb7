package certio_test

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

func pkixExtension(oid asn1.ObjectIdentifier, value []byte) pkix.Extension {
	return pkix.Extension{Id: oid, Value: value}
}
