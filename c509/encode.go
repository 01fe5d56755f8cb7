package c509

import (
	"bytes"
	"crypto/ecdh"
	"crypto/elliptic"
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// TypeReencoded is the c509CertificateType of a CBOR re-encoded X.509 v3
// certificate, the only type Encode makes and Decode reads.
const TypeReencoded = 3

// ASN.1 tags not named by cryptobyte/asn1.
const (
	tagPrintableString = cbasn1.Tag(19)
	tagTeletexString   = cbasn1.Tag(20)
	tagBMPString       = cbasn1.Tag(30)
	tagUniversalString = cbasn1.Tag(28)
)

var (
	tagVersion   = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagIssuerUID = cbasn1.Tag(1).ContextSpecific()
	tagSubjUID   = cbasn1.Tag(2).ContextSpecific()
	tagExts      = cbasn1.Tag(3).Constructed().ContextSpecific()
)

// noExpiry is the GeneralizedTime RFC 5280 §4.1.2.5 gives a certificate
// without a well-defined expiration date; C509 encodes it as null.
const noExpiry = "99991231235959Z"

// Encode re-encodes the DER X.509 v3 certificate der as a C509 certificate
// of type 3 and returns the CBOR array C509Certificate. It refuses (with an
// *UnsupportedError) a certificate C509 cannot represent and any
// certificate whose encoding would not decode back to der byte for byte;
// der that is not a certificate gives a *SyntaxError.
func Encode(der []byte) ([]byte, error) {
	items, err := encodeItems(der)
	if err != nil {
		return nil, err
	}
	// Check the work: decoding the items (as Decode does once it has read
	// the CBOR) must give der back. The original key saves decompressing
	// the point encodeSPKI compressed.
	var arr [11]any
	copy(arr[:], items)
	back, field, err := decodeItems(arr, len(der), spkiKey(der))
	if err != nil {
		return nil, unsupported("certificate", "its C509 encoding does not decode (%s: %v)", fieldNames[field], err)
	}
	if !bytes.Equal(back, der) {
		return nil, unsupported("certificate", "it is not in DER as C509 rebuilds it (the rebuilt certificate differs from byte %d)", firstDiff(back, der))
	}
	out, err := encMode.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("c509: writing CBOR: %w", err)
	}
	return out, nil
}

// spkiKey returns the subjectPublicKey bits of a certificate that
// encodeItems has read, or nil.
func spkiKey(der []byte) []byte {
	s := cryptobyte.String(der)
	var cert, tbs, spki, key cryptobyte.String
	if !s.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!tbs.SkipOptionalASN1(tagVersion) || !tbs.SkipASN1(cbasn1.INTEGER) {
		return nil
	}
	for range 4 { // signature, issuer, validity, subject
		if !tbs.SkipASN1(cbasn1.SEQUENCE) {
			return nil
		}
	}
	if !tbs.ReadASN1(&spki, cbasn1.SEQUENCE) || !spki.SkipASN1(cbasn1.SEQUENCE) || !spki.ReadASN1(&key, cbasn1.BIT_STRING) || len(key) == 0 {
		return nil
	}
	return key[1:]
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// encodeItems returns the eleven elements of C509Certificate.
func encodeItems(der []byte) ([]any, error) {
	input := cryptobyte.String(der)
	var cert, tbs, sigAlg, sigAlg2 cryptobyte.String
	if !input.ReadASN1(&cert, cbasn1.SEQUENCE) || !input.Empty() {
		return nil, malformed("certificate", "not one DER SEQUENCE")
	}
	if !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed("tbsCertificate", "not a SEQUENCE")
	}
	if !cert.ReadASN1Element(&sigAlg2, cbasn1.SEQUENCE) {
		return nil, malformed("signatureAlgorithm", "not a SEQUENCE")
	}
	var sig cryptobyte.String
	if !cert.ReadASN1(&sig, cbasn1.BIT_STRING) || len(sig) == 0 || !cert.Empty() {
		return nil, malformed("signatureValue", "not a BIT STRING ending the certificate")
	}
	if sig[0] != 0 {
		return nil, unsupported("signatureValue", "a BIT STRING with %d unused bits", sig[0])
	}

	var ver cryptobyte.String
	var hasVer bool
	if !tbs.ReadOptionalASN1(&ver, &hasVer, tagVersion) {
		return nil, malformed("version", "bad [0] element")
	}
	if !hasVer {
		return nil, unsupported("version", "a version 1 certificate; C509 type 3 re-encodes X.509 v3")
	}
	var v int64
	if !ver.ReadASN1Integer(&v) || !ver.Empty() {
		return nil, malformed("version", "not an INTEGER")
	}
	if v != 2 {
		return nil, unsupported("version", "version %d; C509 type 3 re-encodes X.509 v3", v+1)
	}
	var serial cryptobyte.String
	if !tbs.ReadASN1(&serial, cbasn1.INTEGER) || len(serial) == 0 {
		return nil, malformed("serialNumber", "not an INTEGER")
	}
	if serial[0]&0x80 != 0 {
		return nil, unsupported("serialNumber", "a negative serial number")
	}
	if !tbs.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) {
		return nil, malformed("signature", "not an AlgorithmIdentifier")
	}
	if !bytes.Equal(sigAlg, sigAlg2) {
		return nil, unsupported("signatureAlgorithm", "it differs from tbsCertificate.signature")
	}
	var issuer, validity, subject, spki cryptobyte.String
	if !tbs.ReadASN1Element(&issuer, cbasn1.SEQUENCE) {
		return nil, malformed("issuer", "not a Name")
	}
	if !tbs.ReadASN1(&validity, cbasn1.SEQUENCE) {
		return nil, malformed("validity", "not a SEQUENCE")
	}
	if !tbs.ReadASN1Element(&subject, cbasn1.SEQUENCE) {
		return nil, malformed("subject", "not a Name")
	}
	if !tbs.ReadASN1(&spki, cbasn1.SEQUENCE) {
		return nil, malformed("subjectPublicKeyInfo", "not a SEQUENCE")
	}
	if tbs.PeekASN1Tag(tagIssuerUID) || tbs.PeekASN1Tag(tagIssuerUID.Constructed()) {
		return nil, unsupported("issuerUniqueID", "not supported by C509")
	}
	if tbs.PeekASN1Tag(tagSubjUID) || tbs.PeekASN1Tag(tagSubjUID.Constructed()) {
		return nil, unsupported("subjectUniqueID", "not supported by C509")
	}
	var exts cryptobyte.String
	var hasExts bool
	if !tbs.ReadOptionalASN1(&exts, &hasExts, tagExts) || !tbs.Empty() {
		return nil, malformed("extensions", "bad [3] element or trailing data in tbsCertificate")
	}

	items := make([]any, 0, 11)
	items = append(items, int64(TypeReencoded), biguint(serial))
	sa, err := encodeAlgorithm(sigAlg, sigAlgs(), "signature")
	if err != nil {
		return nil, err
	}
	items = append(items, sa)
	if bytes.Equal(issuer, subject) {
		items = append(items, nil)
	} else {
		n, err := encodeName(issuer, "issuer")
		if err != nil {
			return nil, err
		}
		items = append(items, n)
	}
	nb, err := encodeTime(&validity, "validity.notBefore", false)
	if err != nil {
		return nil, err
	}
	na, err := encodeTime(&validity, "validity.notAfter", true)
	if err != nil {
		return nil, err
	}
	if !validity.Empty() {
		return nil, malformed("validity", "trailing data")
	}
	sn, err := encodeName(subject, "subject")
	if err != nil {
		return nil, err
	}
	items = append(items, nb, na, sn)
	pkAlg, pk, err := encodeSPKI(spki)
	if err != nil {
		return nil, err
	}
	items = append(items, pkAlg, pk)
	ex, err := encodeExtensions(exts, hasExts)
	if err != nil {
		return nil, err
	}
	items = append(items, ex)
	sv, err := encodeSignature(sig[1:], sa, items[3] == nil, pkAlg)
	if err != nil {
		return nil, err
	}
	return append(items, sv), nil
}

// biguint returns the contents of a non-negative DER INTEGER as an
// unsigned bignum: without leading zero bytes.
func biguint(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// encodeAlgorithm encodes an AlgorithmIdentifier: its registry value, its
// OID alone, or [OID, DER parameters].
func encodeAlgorithm(elem []byte, reg registry, field string) (any, error) {
	if v, ok := reg.lookup(elem); ok {
		return v, nil
	}
	s := cryptobyte.String(elem)
	var body, oid cryptobyte.String
	if !s.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) {
		return nil, malformed(field, "not an AlgorithmIdentifier")
	}
	if body.Empty() {
		return []byte(oid), nil
	}
	return []any{[]byte(oid), []byte(body)}, nil
}

// encodeTime reads a Time and returns its POSIX time, or null for the
// no-expiry notAfter.
func encodeTime(s *cryptobyte.String, field string, notAfter bool) (any, error) {
	var t cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1(&t, &tag) {
		return nil, malformed(field, "not a Time")
	}
	str := string(t)
	var year int
	switch tag {
	case cbasn1.UTCTime:
		if len(str) != 13 || str[12] != 'Z' || !digits(str[:12]) {
			return nil, unsupported(field, "UTCTime %q is not YYMMDDHHMMSSZ", str)
		}
		year = atoi(str[:2]) + 1900
		if year < 1950 {
			year += 100
		}
		str = str[2:]
	case cbasn1.GeneralizedTime:
		if notAfter && str == noExpiry {
			return nil, nil
		}
		if len(str) != 15 || str[14] != 'Z' || !digits(str[:14]) {
			return nil, unsupported(field, "GeneralizedTime %q is not YYYYMMDDHHMMSSZ", str)
		}
		year = atoi(str[:4])
		if year < 2050 {
			return nil, unsupported(field, "GeneralizedTime for a year before 2050 (RFC 5280 asks for UTCTime, which C509 restores)")
		}
		str = str[4:]
	default:
		return nil, malformed(field, "not a UTCTime or GeneralizedTime")
	}
	mon, day, h, m, sec := atoi(str[0:2]), atoi(str[2:4]), atoi(str[4:6]), atoi(str[6:8]), atoi(str[8:10])
	if sec == 60 {
		return nil, unsupported(field, "a leap second (23:59:60)")
	}
	tm := time.Date(year, time.Month(mon), day, h, m, sec, 0, time.UTC)
	if tm.Month() != time.Month(mon) || tm.Day() != day || tm.Hour() != h || tm.Minute() != m || tm.Second() != sec {
		return nil, malformed(field, "not a valid date and time")
	}
	if tm.Unix() < 0 {
		return nil, unsupported(field, "a time before 1970")
	}
	return uint64(tm.Unix()), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// encodeSPKI returns subjectPublicKeyAlgorithm and subjectPublicKey.
func encodeSPKI(spki cryptobyte.String) (any, any, error) {
	var algElem, key cryptobyte.String
	if !spki.ReadASN1Element(&algElem, cbasn1.SEQUENCE) || !spki.ReadASN1(&key, cbasn1.BIT_STRING) || !spki.Empty() || len(key) == 0 {
		return nil, nil, malformed("subjectPublicKeyInfo", "not an AlgorithmIdentifier and a BIT STRING")
	}
	if key[0] != 0 {
		return nil, nil, unsupported("subjectPublicKey", "a BIT STRING with %d unused bits", key[0])
	}
	key = key[1:]
	alg, err := encodeAlgorithm(algElem, pkAlgs(), "subjectPublicKeyInfo.algorithm")
	if err != nil {
		return nil, nil, err
	}
	v, registered := alg.(int64)
	switch {
	case registered && v == 0:
		pk, err := encodeRSAKey(key)
		return alg, pk, err
	case registered && ecKeySizes[v].compressed:
		size := ecKeySizes[v].size
		if len(key) == 1+2*size && key[0] == 4 && onCurve(v, key) {
			out := make([]byte, 1+size)
			out[0] = 0xfe // even y
			if key[2*size]&1 == 1 {
				out[0] = 0xfd // odd y
			}
			copy(out[1:], key[1:1+size])
			return alg, out, nil
		}
	}
	return alg, []byte(key), nil
}

// encodeRSAKey encodes an RSAPublicKey as [modulus, exponent], or the
// modulus alone when the exponent is 65537.
func encodeRSAKey(key []byte) (any, error) {
	s := cryptobyte.String(key)
	var seq, n, e cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() ||
		!seq.ReadASN1(&n, cbasn1.INTEGER) || !seq.ReadASN1(&e, cbasn1.INTEGER) || !seq.Empty() ||
		len(n) == 0 || len(e) == 0 || n[0]&0x80 != 0 || e[0]&0x80 != 0 {
		return nil, unsupported("subjectPublicKey", "an rsaEncryption key that is not an RSAPublicKey of two positive INTEGERs")
	}
	if bytes.Equal(e, []byte{1, 0, 1}) {
		return biguint(n), nil
	}
	return []any{biguint(n), biguint(e)}, nil
}

// encodeSignature encodes signatureValue; ECDSA signatures become r || s,
// each padded to the size of the issuer's curve. The curve is known for a
// self-signed certificate; otherwise it is the smallest of P-256, P-384 and
// P-521 whose size holds both integers.
func encodeSignature(sig []byte, alg any, selfSigned bool, pkAlg any) (any, error) {
	v, ok := alg.(int64)
	if !ok || !ecdsaSigAlgs[v] {
		return sig, nil
	}
	s := cryptobyte.String(sig)
	var seq, r, ss cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() ||
		!seq.ReadASN1(&r, cbasn1.INTEGER) || !seq.ReadASN1(&ss, cbasn1.INTEGER) || !seq.Empty() ||
		len(r) == 0 || len(ss) == 0 || r[0]&0x80 != 0 || ss[0]&0x80 != 0 {
		return nil, unsupported("signatureValue", "not an ECDSA-Sig-Value of two positive INTEGERs")
	}
	rb, sb := biguint(r), biguint(ss)
	n := max(len(rb), len(sb))
	size := 0
	if k, ok := pkAlg.(int64); ok && selfSigned && ecKeySizes[k].size >= n {
		size = ecKeySizes[k].size
	}
	if size == 0 {
		size = n
		for _, c := range []int{32, 48, 66} {
			if c >= n {
				size = c
				break
			}
		}
	}
	out := make([]byte, 2*size)
	copy(out[size-len(rb):], rb)
	copy(out[2*size-len(sb):], sb)
	return out, nil
}

// onCurve reports whether the uncompressed point key lies on the curve of
// public key algorithm v: only such a point is compressed, so that
// decompressing it gives it back.
func onCurve(v int64, key []byte) bool {
	var c ecdh.Curve
	switch v {
	case 1:
		c = ecdh.P256()
	case 2:
		c = ecdh.P384()
	case 3:
		c = ecdh.P521()
	default:
		return false
	}
	_, err := c.NewPublicKey(key)
	return err == nil
}

// curveOf returns the Go curve of a registered public key algorithm whose
// points this package (de)compresses.
func curveOf(v int64) elliptic.Curve {
	switch v {
	case 1:
		return elliptic.P256()
	case 2:
		return elliptic.P384()
	case 3:
		return elliptic.P521()
	}
	return nil
}

// encodeName encodes a DER Name (section "issuer" of the draft).
func encodeName(elem []byte, field string) (any, error) {
	s := cryptobyte.String(elem)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return nil, malformed(field, "not a Name")
	}
	out := []any{}
	for !seq.Empty() {
		var set, atv, oid, full cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadASN1(&set, cbasn1.SET) || !set.ReadASN1(&atv, cbasn1.SEQUENCE) {
			return nil, malformed(field, "not a RelativeDistinguishedName")
		}
		if !set.Empty() {
			return nil, unsupported(field, "a relative distinguished name with more than one attribute")
		}
		if !atv.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) || !atv.ReadAnyASN1Element(&full, &tag) || !atv.Empty() {
			return nil, malformed(field, "not an AttributeTypeAndValue")
		}
		if v, ok := encodeAttr(oid, full, tag); ok {
			out = append(out, v...)
			continue
		}
		switch tag {
		case tagTeletexString, tagBMPString, tagUniversalString:
			if _, reg := rdnAttrs()[string(oid)]; reg {
				return nil, unsupported(field, "an attribute in a %s, which C509 does not support", stringTypeName(tag))
			}
		}
		out = append(out, []byte(oid), []byte(full))
	}
	if len(out) == 2 {
		if v, ok := out[0].(int64); ok && v == 1 {
			return out[1], nil
		}
	}
	return out, nil
}

func stringTypeName(tag cbasn1.Tag) string {
	switch tag {
	case tagTeletexString:
		return "TeletexString"
	case tagBMPString:
		return "BMPString"
	}
	return "UniversalString"
}

// encodeAttr encodes a registered attribute as (int, SpecialText): the
// sign says utf8String (+) or printableString (-); attributes that are
// always IA5String are positive.
func encodeAttr(oid, full cryptobyte.String, tag cbasn1.Tag) ([]any, bool) {
	attr, ok := rdnAttrs()[string(oid)]
	if !ok {
		return nil, false
	}
	var content cryptobyte.String
	if !full.ReadAnyASN1(&content, &tag) || !utf8.Valid(content) {
		return nil, false
	}
	v := attr.value
	switch {
	case attr.ia5 && tag == cbasn1.IA5String:
	case !attr.ia5 && tag == cbasn1.UTF8String:
	case !attr.ia5 && tag == tagPrintableString:
		v = -v
	default:
		return nil, false
	}
	return []any{v, specialText(string(content))}, true
}
