package lints

// Fast paths of the decoding helpers.
//
// The helpers decode parts of a certificate with zcrypto's encoding/asn1,
// whose reflection costs most of a lint's time and allocates on every
// call. Each function here decodes the same structure with cryptobyte,
// without reflection, but only when the input is plain DER of the expected
// shape; then it gives exactly the values the asn1 decoding gives. For any
// other input (trailing data, an unexpected tag, a form cryptobyte does not
// read) it reports !ok and the helper falls back to its asn1 decoding, so
// that every result and every error message stays that decoding's. The
// fast paths accept a subset of what the asn1 decoding accepts: cryptobyte
// reads only DER (minimal lengths, low tag numbers, no indefinite length)
// and each fast path checks the tags the asn1 decoding checks, or stricter.

import (
	stdasn1 "encoding/asn1"

	"github.com/zmap/zcrypto/encoding/asn1"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// knownOIDs are object identifiers that decodeOID returns without
// allocating, by the DER encoding (tag, length and content) of each. The
// values are shared: nothing may modify an OID decodeOID returns.
var knownOIDs = func() map[string]asn1.ObjectIdentifier {
	m := map[string]asn1.ObjectIdentifier{}
	for _, o := range []asn1.ObjectIdentifier{
		oidKeyEC, oidKeyECDH, oidKeyECMQV, oidKeyRSA, oidKeyEd25519, oidKeyEd448, oidKeyX25519, oidKeyX448,
		oidKeyMLDSA44, oidKeyMLDSA65, oidKeyMLDSA87, oidKeyDH,
		oidCurveP256, oidCurveP384, oidCurveP521,
		oidEKUServerAuth, oidEKUClientAuth,
		oidTCGVerifiedTPMResidency, oidTCGVerifiedTPMFixed, oidTCGVerifiedTPMRestricted,
		oidAttrCommonName, oidAttrCountry, oidAttrOrganization, oidAttrSerialNumber,
	} {
		der, err := asn1.Marshal(o)
		if err != nil {
			panic(err)
		}
		m[string(der)] = o
	}
	return m
}()

// decodeOID decodes the DER OBJECT IDENTIFIER element der (tag included),
// as asn1.Unmarshal into an asn1.ObjectIdentifier does when it succeeds.
func decodeOID(der []byte) (asn1.ObjectIdentifier, bool) {
	if o, ok := knownOIDs[string(der)]; ok {
		return o, true
	}
	// cryptobyte decodes the arcs as zcrypto's asn1 does: base 128,
	// minimal encoding, at most 2^31-1, the first octets giving two arcs.
	s := cryptobyte.String(der)
	var o stdasn1.ObjectIdentifier
	if !s.ReadASN1ObjectIdentifier(&o) || !s.Empty() {
		return nil, false
	}
	return asn1.ObjectIdentifier(o), true
}

// readElement reads one DER element of any tag (low tag numbers only) from
// s: its tag, its content and the whole element.
func readElement(s *cryptobyte.String) (tag cbasn1.Tag, content, element cryptobyte.String, ok bool) {
	if !s.ReadAnyASN1Element(&element, &tag) {
		return 0, nil, nil, false
	}
	el := element
	if !el.ReadAnyASN1(&content, &tag) {
		return 0, nil, nil, false
	}
	return tag, content, element, true
}

// rawValue is the asn1.RawValue that asn1.Unmarshal gives for the DER
// element of tag, content and element read by readElement.
func rawValue(tag cbasn1.Tag, content, element []byte) asn1.RawValue {
	return asn1.RawValue{
		Class:      int(tag >> 6),
		Tag:        int(tag & 0x1f),
		IsCompound: tag&0x20 != 0,
		Bytes:      content,
		FullBytes:  element,
	}
}

// fastSubjectPublicKey is the fast path of subjectPublicKey.
func fastSubjectPublicKey(der []byte) (k publicKey, ok bool) {
	in := cryptobyte.String(der)
	var spki, alg, bits, algOID cryptobyte.String
	if !in.ReadASN1(&spki, cbasn1.SEQUENCE) || !in.Empty() ||
		!spki.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!spki.ReadASN1(&bits, cbasn1.BIT_STRING) || !spki.Empty() ||
		!alg.ReadASN1Element(&algOID, cbasn1.OBJECT_IDENTIFIER) {
		return k, false
	}
	var params cryptobyte.String
	var paramsTag cbasn1.Tag
	if !alg.Empty() && (!alg.ReadAnyASN1Element(&params, &paramsTag) || !alg.Empty()) {
		return k, false
	}
	// A BIT STRING without unused bits, as every key has.
	if len(bits) == 0 || bits[0] != 0 {
		return k, false
	}
	if k.Algorithm, ok = decodeOID(algOID); !ok {
		return k, false
	}
	switch {
	case k.Algorithm.Equal(oidKeyEC), k.Algorithm.Equal(oidKeyECDH), k.Algorithm.Equal(oidKeyECMQV):
		if params == nil || paramsTag != cbasn1.OBJECT_IDENTIFIER {
			return k, false
		}
		if k.Curve, ok = decodeOID(params); !ok {
			return k, false
		}
	case k.Algorithm.Equal(oidKeyRSA):
		key := cryptobyte.String(bits[1:])
		var seq, n, e cryptobyte.String
		if !key.ReadASN1(&seq, cbasn1.SEQUENCE) || !key.Empty() ||
			!seq.ReadASN1(&n, cbasn1.INTEGER) || !seq.ReadASN1(&e, cbasn1.INTEGER) || !seq.Empty() {
			return k, false
		}
		k.RSABits = rsaModulusBits(n)
	}
	return k, true
}

// fastGeneralNames is the fast path of subjectAltNames: value is the
// extension value, a SEQUENCE of context-specific GeneralNames.
func fastGeneralNames(value []byte) (names []generalName, ok bool) {
	in := cryptobyte.String(value)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, false
	}
	n := 0
	for count := seq; !count.Empty(); n++ {
		var name cryptobyte.String
		var tag cbasn1.Tag
		if !count.ReadAnyASN1(&name, &tag) || tag&0xc0 != cbasn1.Tag(0).ContextSpecific() {
			return nil, false
		}
	}
	if n == 0 {
		return nil, true // as the asn1 decoding: no names, a nil slice
	}
	names = make([]generalName, 0, n)
	for !seq.Empty() {
		var content cryptobyte.String
		var tag cbasn1.Tag
		seq.ReadAnyASN1(&content, &tag)
		names = append(names, generalName{Tag: int(tag & 0x1f), Bytes: content})
	}
	return names, true
}

// fastSubjectAttributes is the fast path of subjectAttributes.
func fastSubjectAttributes(rawSubject []byte) (attrs []rawAttribute, ok bool) {
	in := cryptobyte.String(rawSubject)
	var rdns cryptobyte.String
	if !in.ReadASN1(&rdns, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, false
	}
	n := 0
	for count := rdns; !count.Empty(); {
		var set cryptobyte.String
		if !count.ReadASN1(&set, cbasn1.SET) {
			return nil, false
		}
		for ; !set.Empty(); n++ {
			if !set.SkipASN1(cbasn1.SEQUENCE) {
				return nil, false
			}
		}
	}
	if n > 0 {
		attrs = make([]rawAttribute, 0, n)
	}
	for !rdns.Empty() {
		var set cryptobyte.String
		if !rdns.ReadASN1(&set, cbasn1.SET) {
			return nil, false
		}
		for !set.Empty() {
			var atv, typ cryptobyte.String
			if !set.ReadASN1(&atv, cbasn1.SEQUENCE) || !atv.ReadASN1Element(&typ, cbasn1.OBJECT_IDENTIFIER) {
				return nil, false
			}
			var a rawAttribute
			if a.Type, ok = decodeOID(typ); !ok {
				return nil, false
			}
			tag, content, element, ok := readElement(&atv)
			if !ok || !atv.Empty() {
				return nil, false
			}
			a.Value = rawValue(tag, content, element)
			attrs = append(attrs, a)
		}
	}
	return attrs, true
}

// fastValidityTimes is the fast path of validityTimes: it finds the
// notBefore and notAfter of the TBSCertificate tbs as zlint's
// util.GetTimes does, for a TBSCertificate that is a SEQUENCE of an
// optional [0] version, an INTEGER serialNumber, the SEQUENCEs signature,
// issuer and validity, and whose validity starts with two times.
func fastValidityTimes(tbs []byte) (notBefore, notAfter asn1.RawValue, ok bool) {
	in := cryptobyte.String(tbs)
	var body, validity cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) || !in.Empty() {
		return notBefore, notAfter, false
	}
	if body.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) && !body.SkipASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return notBefore, notAfter, false
	}
	if !body.SkipASN1(cbasn1.INTEGER) || !body.SkipASN1(cbasn1.SEQUENCE) || !body.SkipASN1(cbasn1.SEQUENCE) ||
		!body.ReadASN1(&validity, cbasn1.SEQUENCE) {
		return notBefore, notAfter, false
	}
	for _, v := range []*asn1.RawValue{&notBefore, &notAfter} {
		tag, content, element, ok := readElement(&validity)
		if !ok || (tag != cbasn1.UTCTime && tag != cbasn1.GeneralizedTime) {
			return notBefore, notAfter, false
		}
		*v = rawValue(tag, content, element)
	}
	return notBefore, notAfter, true
}

// fastOIDSequence is the fast path of extKeyUsages: value is a SEQUENCE
// OF OBJECT IDENTIFIER. An empty SEQUENCE gives an empty, non-nil slice,
// as asn1.Unmarshal does.
func fastOIDSequence(value []byte) ([]asn1.ObjectIdentifier, bool) {
	in := cryptobyte.String(value)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, false
	}
	n := 0
	for count := seq; !count.Empty(); n++ {
		if !count.SkipASN1(cbasn1.OBJECT_IDENTIFIER) {
			return nil, false
		}
	}
	oids := make([]asn1.ObjectIdentifier, 0, n)
	for !seq.Empty() {
		var el cryptobyte.String
		if !seq.ReadASN1Element(&el, cbasn1.OBJECT_IDENTIFIER) {
			return nil, false
		}
		o, ok := decodeOID(el)
		if !ok {
			return nil, false
		}
		oids = append(oids, o)
	}
	return oids, true
}

// firstElement is the fast path of decoding the first element of der into
// an asn1.RawValue, ignoring what follows it, as asn1.Unmarshal does: it
// returns that element's tag and content.
func firstElement(der []byte) (cbasn1.Tag, []byte, bool) {
	in := cryptobyte.String(der)
	tag, content, _, ok := readElement(&in)
	return tag, content, ok
}
