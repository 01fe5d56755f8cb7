package certio

// This file skips the natively signed C509 certificates (type 2 of
// draft-ietf-cose-cbor-encoded-cert) that "iotcert gen" writes as
// cert.c509 beside a device's cert.pem: they have no X.509 form to lint
// (their signature is over CBOR), so they are counted in
// Stats.NativeC509, never an error. A C509 certificate of type 3 (CBOR
// re-encoded X.509) is an input error that names "iotcert c509 decode".

// c509Array is the first byte of a C509Certificate: a CBOR array of
// eleven elements (the first of which is the type, 2 or 3). No
// certificate format certio reads starts with it (DER starts with a
// SEQUENCE, 0x30; PEM and base64 with text).
const c509Array = 0x8b

// maxC509 is the largest file taken as one C509 certificate.
const maxC509 = 64 << 10

// c509Type returns the c509CertificateType of data when it is a
// C509Certificate of type 2 or 3, or 0.
func c509Type(data []byte) int {
	if len(data) < 2 || len(data) > maxC509 || data[0] != c509Array || (data[1] != 2 && data[1] != 3) {
		return 0
	}
	return int(data[1])
}

// decodeC509 skips a natively signed C509 certificate (counted in
// o.Stats) and reports a C509 certificate of type 3 as an input error.
func (o Options) decodeC509(name string, typ int, yield func(Item) bool) bool {
	if typ == 2 {
		if o.Stats != nil {
			o.Stats.NativeC509++
		}
		return true
	}
	return yield(errorItem(Origin{File: name}, "a C509 certificate (CBOR re-encoded X.509): convert it with \"iotcert c509 decode\" first", nil))
}
