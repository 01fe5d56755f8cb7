package c509

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// extCodec is the specific C509 encoding of one registered extension
// (section "Encoding of Extensions"): encode turns the DER extnValue into
// the CBOR item and reports false when the specific encoding cannot carry
// it; decode is its inverse, writing the DER extnValue (its errors are set
// on the builder).
type extCodec struct {
	name   string
	encode func(val cryptobyte.String) (any, bool)
	decode func(c *derBuilder, item any)
}

var extCodecs map[int64]*extCodec

func init() {
	altName := &extCodec{"subjectAltName", encodeAltName, decodeAltName}
	crldp := &extCodec{"cRLDistributionPoints", encodeCRLDP, decodeCRLDP}
	access := &extCodec{"authorityInfoAccess", encodeAccess, decodeAccess}
	null := &extCodec{"null-valued extension", encodeNull, decodeNull}
	extCodecs = map[int64]*extCodec{
		1:  {"subjectKeyIdentifier", encodeSKI, decodeSKI},
		2:  {"keyUsage", encodeKeyUsage, decodeBits},
		3:  altName,
		4:  {"basicConstraints", encodeBasicConstraints, decodeBasicConstraints},
		5:  crldp,
		6:  {"certificatePolicies", encodePolicies, decodePolicies},
		7:  {"authorityKeyIdentifier", encodeAKI, decodeAKI},
		8:  {"extKeyUsage", encodeEKU, decodeEKU},
		9:  access,
		24: {"subjectDirectoryAttributes", encodeSDA, decodeSDA},
		25: altName,
		26: {"nameConstraints", encodeNameConstraints, decodeNameConstraints},
		27: {"policyMappings", encodePolicyMappings, decodePolicyMappings},
		28: {"policyConstraints", encodePolicyConstraints, decodePolicyConstraints},
		29: crldp,
		30: {"inhibitAnyPolicy", encodeUintExt, decodeUintExt},
		31: access,
		36: null,
		37: null,
		32: {"IPAddrBlocks", encodeIPAddrBlocks, decodeIPAddrBlocks},
		33: {"AS Identifiers", encodeASIds, decodeASIds},
		34: {"IPAddrBlocks v2", encodeIPAddrBlocks, decodeIPAddrBlocks},
		35: {"AS Identifiers v2", encodeASIds, decodeASIds},
		38: {"tlsFeature", encodeTLSFeatures, decodeTLSFeatures},
	}
}

// encodeExtensions encodes the extensions field.
func encodeExtensions(exts cryptobyte.String, present bool) (any, error) {
	out := []any{}
	if !present {
		return out, nil
	}
	var seq cryptobyte.String
	if !exts.ReadASN1(&seq, cbasn1.SEQUENCE) || !exts.Empty() {
		return nil, malformed("extensions", "not a SEQUENCE")
	}
	if seq.Empty() {
		return nil, unsupported("extensions", "an empty extensions SEQUENCE (RFC 5280 requires at least one)")
	}
	for !seq.Empty() {
		var ext, oid, val cryptobyte.String
		critical := false
		if !seq.ReadASN1(&ext, cbasn1.SEQUENCE) || !ext.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) ||
			!readOptionalBool(&ext, &critical) ||
			!ext.ReadASN1(&val, cbasn1.OCTET_STRING) || !ext.Empty() {
			return nil, malformed("extensions", "not an Extension")
		}
		if id, ok := extIDs().lookup(oid); ok {
			if item, ok := encodeExtValue(extCodecs[id], val); ok {
				if critical {
					id = -id
				}
				out = append(out, id, item)
				continue
			}
		}
		out = append(out, []byte(oid))
		if critical {
			out = append(out, []any{[]byte(val)})
		} else {
			out = append(out, []byte(val))
		}
	}
	if len(out) == 2 {
		if id, ok := out[0].(int64); ok && (id == 2 || id == -2) {
			if ku, ok := out[1].(uint64); ok && (ku != 0 || id > 0) {
				if id < 0 {
					return -int64(ku), nil
				}
				return int64(ku), nil
			}
		}
	}
	return out, nil
}

// encodeExtValue applies the specific encoding when it reproduces val
// exactly.
func encodeExtValue(c *extCodec, val cryptobyte.String) (any, bool) {
	item, ok := c.encode(val)
	if !ok {
		return nil, false
	}
	back, err := build(func(b *derBuilder) { c.decode(b, item) })
	return item, err == nil && bytes.Equal(back, val)
}

var errNegative = errors.New("negative INTEGER")

func badItem(what string, item any) error {
	return fmt.Errorf("%s: unexpected CBOR item %T", what, item)
}

// --- subjectKeyIdentifier

func encodeSKI(val cryptobyte.String) (any, bool) {
	var ki cryptobyte.String
	return []byte(ki), val.ReadASN1(&ki, cbasn1.OCTET_STRING) && val.Empty()
}

func decodeSKI(c *derBuilder, item any) {
	b, ok := asBytes(item)
	if !ok {
		c.SetError(badItem("subjectKeyIdentifier", item))
		return
	}
	c.AddASN1OctetString(b)
}

// --- keyUsage and other named bit lists: bit i counts 2^i.

func encodeKeyUsage(val cryptobyte.String) (any, bool) {
	var bits cryptobyte.String
	if !val.ReadASN1(&bits, cbasn1.BIT_STRING) || !val.Empty() {
		return nil, false
	}
	return bitsValue(bits)
}

// bitsValue reads the contents of a BIT STRING as the sum of 2^i over its
// set bits i.
func bitsValue(bits []byte) (any, bool) {
	if len(bits) == 0 || len(bits) > 9 || bits[0] > 7 {
		return nil, false
	}
	var v uint64
	for i, c := range bits[1:] {
		for j := range 8 {
			if c&(0x80>>j) != 0 {
				v |= 1 << (8*i + j)
			}
		}
	}
	return v, true
}

// bitsDER returns the contents of the DER BIT STRING of a named bit list,
// written into buf (a caller's array costs no allocation).
func bitsDER(v uint64, buf *[9]byte) []byte {
	*buf = [9]byte{}
	if v == 0 {
		return buf[:1]
	}
	hi := 63
	for v&(1<<hi) == 0 {
		hi--
	}
	n := hi/8 + 1
	out := buf[:1+n]
	out[0] = byte(7 - hi%8)
	for i := 0; i <= hi; i++ {
		if v&(1<<i) != 0 {
			out[1+i/8] |= 0x80 >> (i % 8)
		}
	}
	return out
}

func decodeBits(c *derBuilder, item any) {
	v, ok := asUint(item)
	if !ok {
		c.SetError(badItem("keyUsage", item))
		return
	}
	var buf [9]byte
	c.AddASN1(cbasn1.BIT_STRING, func(c *derBuilder) { c.AddBytes(bitsDER(v, &buf)) })
}

// --- basicConstraints

func encodeBasicConstraints(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	ca := false
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || !readOptionalBool(&seq, &ca) {
		return nil, false
	}
	if seq.Empty() {
		if ca {
			return int64(-1), true
		}
		return int64(-2), true
	}
	var n int64
	if !ca || !seq.ReadASN1Integer(&n) || !seq.Empty() || n < 0 {
		return nil, false
	}
	return n, true
}

func decodeBasicConstraints(c *derBuilder, item any) {
	n, ok := asInt(item)
	if !ok || n < -2 {
		c.SetError(badItem("basicConstraints", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		if n == -2 {
			return
		}
		c.AddASN1Boolean(true)
		if n >= 0 {
			c.AddASN1Int64(n)
		}
	})
}

// --- integer-or-OID items of the registries

func oidItem(oid []byte, reg registry) any {
	if v, ok := reg.lookup(oid); ok {
		return v
	}
	return oid
}

func itemOID(item any, reg registry, what string) ([]byte, error) {
	if b, ok := asBytes(item); ok && len(b) > 0 {
		return b, nil
	}
	if v, ok := asInt(item); ok {
		if b, ok := reg.value(v); ok {
			return b, nil
		}
		return nil, fmt.Errorf("%s: %d is not registered", what, v)
	}
	return nil, badItem(what, item)
}

// addItemOID writes the OBJECT IDENTIFIER of an integer-or-OID item.
func addItemOID(c *derBuilder, item any, reg registry, what string) {
	oid, err := itemOID(item, reg, what)
	if err != nil {
		c.SetError(err)
		return
	}
	addOID(c, oid)
}

func addOID(c *derBuilder, oid []byte) {
	c.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(c *derBuilder) { c.AddBytes(oid) })
}

// --- extKeyUsage

func encodeEKU(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var oid cryptobyte.String
		if !seq.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) {
			return nil, false
		}
		out = append(out, oidItem(oid, ekus()))
	}
	switch len(out) {
	case 0:
		return nil, false
	case 1:
		return out[0], true
	}
	return out, true
}

func decodeEKU(c *derBuilder, item any) {
	list, ok := asArray(item)
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		if !ok { // one purpose
			addItemOID(c, item, ekus(), "extKeyUsage")
			return
		}
		for _, it := range list {
			addItemOID(c, it, ekus(), "extKeyUsage")
		}
	})
}

// --- subjectAltName, issuerAltName and GeneralNames

func encodeAltName(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, false
	}
	names, ok := encodeGeneralNames(seq)
	if !ok || len(names) == 0 {
		return nil, false
	}
	if len(names) == 2 {
		if t, _ := names[0].(int64); t == 2 {
			return names[1], true
		}
	}
	return names, true
}

func decodeAltName(c *derBuilder, item any) {
	if s, ok := asText(item); ok { // one dNSName
		c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
			c.AddASN1(tagDNS, func(c *derBuilder) { c.AddString(s) })
		})
		return
	}
	names, ok := asArray(item)
	if !ok {
		c.SetError(badItem("subjectAltName", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) { addGeneralNames(c, names) })
}

var (
	tagOtherName = cbasn1.Tag(0).Constructed().ContextSpecific()
	// tagOtherNameValue is the [0] EXPLICIT of an otherName's value.
	tagOtherNameValue = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagRFC822         = cbasn1.Tag(1).ContextSpecific()
	tagDNS            = cbasn1.Tag(2).ContextSpecific()
	tagDirName        = cbasn1.Tag(4).Constructed().ContextSpecific()
	tagURI            = cbasn1.Tag(6).ContextSpecific()
	tagIP             = cbasn1.Tag(7).ContextSpecific()
	tagRegID          = cbasn1.Tag(8).ContextSpecific()
)

// encodeGeneralNames encodes the contents of a GeneralNames SEQUENCE as
// (GeneralNameType, GeneralNameValue) pairs of the C509 General Names
// registry.
func encodeGeneralNames(seq cryptobyte.String) ([]any, bool) {
	var out []any
	for !seq.Empty() {
		var content cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadAnyASN1(&content, &tag) {
			return nil, false
		}
		switch tag {
		case tagOtherName:
			t, v, ok := encodeOtherName(content)
			if !ok {
				return nil, false
			}
			out = append(out, t, v)
		case tagRFC822, tagDNS, tagURI:
			if !validText(content) {
				return nil, false
			}
			out = append(out, int64(tag&0x1f), string(content))
		case tagIP:
			out = append(out, int64(7), []byte(content))
		case tagRegID:
			out = append(out, int64(8), []byte(content))
		case tagDirName:
			n, err := encodeName(content, "directoryName")
			if err != nil {
				return nil, false
			}
			out = append(out, int64(4), n)
		default:
			return nil, false
		}
	}
	return out, true
}

func validText(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// encodeOtherName encodes an otherName: hardwareModuleName,
// SmtpUTF8Mailbox and MACAddress have their own types; any other is
// [type-id, DER value].
func encodeOtherName(content cryptobyte.String) (int64, any, bool) {
	var oid, expl, value cryptobyte.String
	if !content.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) || !content.ReadASN1(&expl, cbasn1.Tag(0).Constructed().ContextSpecific()) || !content.Empty() {
		return 0, nil, false
	}
	full := expl
	var tag cbasn1.Tag
	if !expl.ReadAnyASN1(&value, &tag) || !expl.Empty() {
		return 0, nil, false
	}
	if t, ok := otherNames().lookup(oid); ok {
		switch {
		case t == -1 && tag == cbasn1.SEQUENCE:
			var hwType, serial cryptobyte.String
			if value.ReadASN1(&hwType, cbasn1.OBJECT_IDENTIFIER) && value.ReadASN1(&serial, cbasn1.OCTET_STRING) && value.Empty() {
				return t, []any{[]byte(hwType), []byte(serial)}, true
			}
		case t == -2 && tag == cbasn1.UTF8String:
			return t, string(value), true
		case t == -3 && tag == cbasn1.OCTET_STRING:
			return t, []byte(value), true
		}
	}
	return 0, []any{[]byte(oid), []byte(full)}, true
}

// addGeneralNames writes the GeneralName elements of (type, value) pairs;
// errors are set on the builder.
func addGeneralNames(c *derBuilder, names []any) {
	if len(names) == 0 || len(names)%2 != 0 {
		c.SetError(fmt.Errorf("GeneralNames: %d items, want (type, value) pairs", len(names)))
		return
	}
	for i := 0; i < len(names); i += 2 {
		t, ok := asInt(names[i])
		if !ok {
			c.SetError(badItem("GeneralNameType", names[i]))
			return
		}
		if err := addGeneralName(c, t, names[i+1]); err != nil {
			c.SetError(err)
			return
		}
	}
}

func addGeneralName(c *derBuilder, t int64, v any) error {
	switch t {
	case 1, 2, 6:
		s, ok := asText(v)
		if !ok {
			return badItem("GeneralName", v)
		}
		c.AddASN1(cbasn1.Tag(t).ContextSpecific(), func(c *derBuilder) { c.AddString(s) })
	case 7, 8:
		b, ok := asBytes(v)
		if !ok {
			return badItem("GeneralName", v)
		}
		c.AddASN1(cbasn1.Tag(t).ContextSpecific(), func(c *derBuilder) { c.AddBytes(b) })
	case 4:
		c.AddASN1(tagDirName, func(c *derBuilder) { addName(c, v) })
	case 0, -1, -2, -3:
		return addOtherName(c, t, v)
	default:
		return fmt.Errorf("GeneralNameType %d is not registered", t)
	}
	return nil
}

// addOtherName writes an otherName.
func addOtherName(c *derBuilder, t int64, v any) error {
	oid, _ := otherNames().value(t)
	var value []byte // the DER value of an otherName by OID
	switch t {
	case 0:
		a, ok := asArray(v)
		if !ok || len(a) != 2 {
			return badItem("otherName", v)
		}
		var ok1, ok2 bool
		oid, ok1 = asBytes(a[0])
		value, ok2 = asBytes(a[1])
		if !ok1 || !ok2 || len(oid) == 0 {
			return badItem("otherName", v)
		}
	case -1:
		a, ok := asArray(v)
		if !ok || len(a) != 2 {
			return badItem("hardwareModuleName", v)
		}
		hwType, ok1 := asBytes(a[0])
		serial, ok2 := asBytes(a[1])
		if !ok1 || !ok2 || len(hwType) == 0 {
			return badItem("hardwareModuleName", v)
		}
		c.AddASN1(tagOtherName, func(c *derBuilder) {
			addOID(c, oid)
			c.AddASN1(tagOtherNameValue, func(c *derBuilder) {
				c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
					addOID(c, hwType)
					c.AddASN1OctetString(serial)
				})
			})
		})
		return nil
	case -2:
		s, ok := asText(v)
		if !ok {
			return badItem("SmtpUTF8Mailbox", v)
		}
		c.AddASN1(tagOtherName, func(c *derBuilder) {
			addOID(c, oid)
			c.AddASN1(tagOtherNameValue, func(c *derBuilder) {
				c.AddASN1(cbasn1.UTF8String, func(c *derBuilder) { c.AddString(s) })
			})
		})
		return nil
	case -3:
		b, ok := asBytes(v)
		if !ok {
			return badItem("MACAddress", v)
		}
		c.AddASN1(tagOtherName, func(c *derBuilder) {
			addOID(c, oid)
			c.AddASN1(tagOtherNameValue, func(c *derBuilder) { c.AddASN1OctetString(b) })
		})
		return nil
	}
	c.AddASN1(tagOtherName, func(c *derBuilder) {
		addOID(c, oid)
		c.AddASN1(tagOtherNameValue, func(c *derBuilder) { c.AddBytes(value) })
	})
	return nil
}

// --- authorityKeyIdentifier

var (
	tagAKIKeyID  = cbasn1.Tag(0).ContextSpecific()
	tagAKIIssuer = cbasn1.Tag(1).Constructed().ContextSpecific()
	tagAKISerial = cbasn1.Tag(2).ContextSpecific()
)

func encodeAKI(val cryptobyte.String) (any, bool) {
	var seq, kid, issuer, serial cryptobyte.String
	var hasKID, hasIssuer, hasSerial bool
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() ||
		!seq.ReadOptionalASN1(&kid, &hasKID, tagAKIKeyID) ||
		!seq.ReadOptionalASN1(&issuer, &hasIssuer, tagAKIIssuer) ||
		!seq.ReadOptionalASN1(&serial, &hasSerial, tagAKISerial) || !seq.Empty() || !hasKID {
		return nil, false
	}
	if !hasIssuer && !hasSerial {
		return []byte(kid), true
	}
	if !hasIssuer || !hasSerial || len(serial) == 0 || serial[0]&0x80 != 0 {
		return nil, false
	}
	names, ok := encodeGeneralNames(issuer)
	if !ok {
		return nil, false
	}
	return []any{[]byte(kid), names, biguint(serial)}, true
}

func decodeAKI(c *derBuilder, item any) {
	if kid, ok := asBytes(item); ok {
		c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
			c.AddASN1(tagAKIKeyID, func(c *derBuilder) { c.AddBytes(kid) })
		})
		return
	}
	a, ok := asArray(item)
	if !ok || len(a) != 3 {
		c.SetError(badItem("authorityKeyIdentifier", item))
		return
	}
	kid, ok1 := asBytes(a[0])
	names, ok2 := asArray(a[1])
	serial, ok3 := asBytes(a[2])
	if !ok1 || !ok2 || !ok3 {
		c.SetError(badItem("authorityKeyIdentifier", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		c.AddASN1(tagAKIKeyID, func(c *derBuilder) { c.AddBytes(kid) })
		c.AddASN1(tagAKIIssuer, func(c *derBuilder) { addGeneralNames(c, names) })
		c.AddASN1(tagAKISerial, func(c *derBuilder) { c.AddBigUint(serial) })
	})
}

// --- cRLDistributionPoints and freshestCRL

var (
	tagDPName    = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagFullName  = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagReasons   = cbasn1.Tag(1).ContextSpecific()
	tagCRLIssuer = cbasn1.Tag(2).Constructed().ContextSpecific()
)

func encodeCRLDP(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || seq.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var dp, dpn, full, reasons, issuer cryptobyte.String
		var hasDPN, hasReasons, hasIssuer bool
		if !seq.ReadASN1(&dp, cbasn1.SEQUENCE) ||
			!dp.ReadOptionalASN1(&dpn, &hasDPN, tagDPName) ||
			!dp.ReadOptionalASN1(&reasons, &hasReasons, tagReasons) ||
			!dp.ReadOptionalASN1(&issuer, &hasIssuer, tagCRLIssuer) || !dp.Empty() ||
			!hasDPN || !dpn.ReadASN1(&full, tagFullName) || !dpn.Empty() {
			return nil, false
		}
		var uris []any
		for !full.Empty() {
			var uri cryptobyte.String
			if !full.ReadASN1(&uri, tagURI) || !validText(uri) {
				return nil, false
			}
			uris = append(uris, string(uri))
		}
		item := []any{nil, nil, nil}
		switch len(uris) {
		case 0:
			return nil, false
		case 1:
			item[0] = uris[0]
		default:
			item[0] = uris
		}
		if hasReasons {
			v, ok := bitsValue(reasons)
			if !ok {
				return nil, false
			}
			item[1] = v
		}
		if hasIssuer {
			var dn cryptobyte.String
			if !issuer.ReadASN1(&dn, tagDirName) || !issuer.Empty() {
				return nil, false
			}
			n, err := encodeName(dn, "cRLIssuer")
			if err != nil {
				return nil, false
			}
			item[2] = n
		}
		out = append(out, item)
	}
	if len(out) == 1 {
		if it := out[0].([]any); it[1] == nil && it[2] == nil {
			if s, ok := it[0].(string); ok {
				return s, true
			}
		}
	}
	return out, true
}

func decodeCRLDP(c *derBuilder, item any) {
	if s, ok := asText(item); ok {
		item = []any{[]any{s, nil, nil}}
	}
	dps, ok := asArray(item)
	if !ok || len(dps) == 0 {
		c.SetError(badItem("cRLDistributionPoints", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		for _, d := range dps {
			if err := addDistributionPoint(c, d); err != nil {
				c.SetError(err)
				return
			}
		}
	})
}

func addDistributionPoint(c *derBuilder, d any) error {
	dp, ok := asArray(d)
	if !ok || len(dp) != 3 {
		return badItem("DistributionPoint", d)
	}
	uris, ok := asArray(dp[0])
	if !ok {
		uris = []any{dp[0]}
	}
	var reasons []byte
	var buf [9]byte
	if dp[1] != nil {
		v, ok := asUint(dp[1])
		if !ok {
			return badItem("reasons", dp[1])
		}
		reasons = bitsDER(v, &buf)
	}
	for _, u := range uris {
		if _, ok := asText(u); !ok {
			return badItem("fullName", u)
		}
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		c.AddASN1(tagDPName, func(c *derBuilder) {
			c.AddASN1(tagFullName, func(c *derBuilder) {
				for _, u := range uris {
					c.AddASN1(tagURI, func(c *derBuilder) { c.AddString(u.(string)) })
				}
			})
		})
		if reasons != nil {
			c.AddASN1(tagReasons, func(c *derBuilder) { c.AddBytes(reasons) })
		}
		if dp[2] != nil {
			c.AddASN1(tagCRLIssuer, func(c *derBuilder) {
				c.AddASN1(tagDirName, func(c *derBuilder) { addName(c, dp[2]) })
			})
		}
	})
	return nil
}

// --- certificatePolicies

var (
	oidCPS     = []byte{0x2b, 6, 1, 5, 5, 7, 2, 1}
	oidUNotice = []byte{0x2b, 6, 1, 5, 5, 7, 2, 2}
)

func encodePolicies(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || seq.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var pi, oid, quals cryptobyte.String
		var hasQuals bool
		if !seq.ReadASN1(&pi, cbasn1.SEQUENCE) || !pi.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) ||
			!pi.ReadOptionalASN1(&quals, &hasQuals, cbasn1.SEQUENCE) || !pi.Empty() {
			return nil, false
		}
		qs := []any{}
		for !quals.Empty() {
			var pqi, qid cryptobyte.String
			if !quals.ReadASN1(&pqi, cbasn1.SEQUENCE) || !pqi.ReadASN1(&qid, cbasn1.OBJECT_IDENTIFIER) {
				return nil, false
			}
			var text cryptobyte.String
			switch {
			case bytes.Equal(qid, oidCPS):
				if !pqi.ReadASN1(&text, cbasn1.IA5String) || !validText(text) {
					return nil, false
				}
			case bytes.Equal(qid, oidUNotice):
				var un cryptobyte.String
				if !pqi.ReadASN1(&un, cbasn1.SEQUENCE) || !un.ReadASN1(&text, cbasn1.UTF8String) || !un.Empty() || !utf8.Valid(text) {
					return nil, false
				}
			default:
				return nil, false
			}
			if !pqi.Empty() {
				return nil, false
			}
			qs = append(qs, oidItem(qid, qualifiers()), string(text))
		}
		out = append(out, oidItem(oid, policies()), qs)
	}
	return out, true
}

func decodePolicies(c *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) == 0 || len(a)%2 != 0 {
		c.SetError(badItem("certificatePolicies", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		for i := 0; i < len(a); i += 2 {
			oid, err := itemOID(a[i], policies(), "policyIdentifier")
			qs, ok := asArray(a[i+1])
			if err == nil && (!ok || len(qs)%2 != 0) {
				err = badItem("policyQualifiers", a[i+1])
			}
			if err != nil {
				c.SetError(err)
				return
			}
			c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
				addOID(c, oid)
				if len(qs) == 0 {
					return
				}
				c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
					for j := 0; j < len(qs); j += 2 {
						if err := addQualifier(c, qs[j], qs[j+1]); err != nil {
							c.SetError(err)
							return
						}
					}
				})
			})
		}
	})
}

func addQualifier(c *derBuilder, id, text any) error {
	qid, err := itemOID(id, qualifiers(), "policyQualifierId")
	if err != nil {
		return err
	}
	s, ok := asText(text)
	if !ok {
		return badItem("qualifier", text)
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		addOID(c, qid)
		switch {
		case bytes.Equal(qid, oidCPS):
			c.AddASN1(cbasn1.IA5String, func(c *derBuilder) { c.AddString(s) })
		case bytes.Equal(qid, oidUNotice):
			c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
				c.AddASN1(cbasn1.UTF8String, func(c *derBuilder) { c.AddString(s) })
			})
		default:
			c.SetError(fmt.Errorf("policyQualifierId %s has no C509 encoding", hex.EncodeToString(qid)))
		}
	})
	return nil
}

// --- authorityInfoAccess and subjectInfoAccess

func encodeAccess(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || seq.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var ad, oid, uri cryptobyte.String
		if !seq.ReadASN1(&ad, cbasn1.SEQUENCE) || !ad.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) ||
			!ad.ReadASN1(&uri, tagURI) || !ad.Empty() || !validText(uri) {
			return nil, false
		}
		out = append(out, oidItem(oid, accessMethods()), string(uri))
	}
	return out, true
}

func decodeAccess(c *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) == 0 || len(a)%2 != 0 {
		c.SetError(badItem("authorityInfoAccess", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		for i := 0; i < len(a); i += 2 {
			oid, err := itemOID(a[i], accessMethods(), "accessMethod")
			uri, ok := asText(a[i+1])
			if err == nil && !ok {
				err = badItem("accessLocation", a[i+1])
			}
			if err != nil {
				c.SetError(err)
				return
			}
			c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
				addOID(c, oid)
				c.AddASN1(tagURI, func(c *derBuilder) { c.AddString(uri) })
			})
		}
	})
}

// --- policyMappings

func encodePolicyMappings(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || seq.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var m, a, b cryptobyte.String
		if !seq.ReadASN1(&m, cbasn1.SEQUENCE) || !m.ReadASN1(&a, cbasn1.OBJECT_IDENTIFIER) ||
			!m.ReadASN1(&b, cbasn1.OBJECT_IDENTIFIER) || !m.Empty() {
			return nil, false
		}
		out = append(out, oidItem(a, policies()), oidItem(b, policies()))
	}
	return out, true
}

func decodePolicyMappings(c *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) == 0 || len(a)%2 != 0 {
		c.SetError(badItem("policyMappings", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		for i := 0; i < len(a); i += 2 {
			c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
				addItemOID(c, a[i], policies(), "policyMappings")
				addItemOID(c, a[i+1], policies(), "policyMappings")
			})
		}
	})
}

// --- policyConstraints

var (
	tagRequireExplicit = cbasn1.Tag(0).ContextSpecific()
	tagInhibitMapping  = cbasn1.Tag(1).ContextSpecific()
)

func encodePolicyConstraints(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, false
	}
	out := []any{nil, nil}
	for i, tag := range []cbasn1.Tag{tagRequireExplicit, tagInhibitMapping} {
		var n uint64
		if seq.PeekASN1Tag(tag) {
			var v cryptobyte.String
			if !seq.ReadASN1(&v, tag) || len(v) == 0 || len(v) > 8 || v[0]&0x80 != 0 {
				return nil, false
			}
			for _, c := range v {
				n = n<<8 | uint64(c)
			}
			out[i] = n
		}
	}
	return out, seq.Empty()
}

func decodePolicyConstraints(c *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) != 2 {
		c.SetError(badItem("policyConstraints", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		for i, tag := range []cbasn1.Tag{tagRequireExplicit, tagInhibitMapping} {
			if a[i] == nil {
				continue
			}
			n, ok := asUint(a[i])
			if !ok {
				c.SetError(badItem("policyConstraints", a[i]))
				return
			}
			c.AddASN1(tag, func(c *derBuilder) { c.AddUint(n) })
		}
	})
}

// --- inhibitAnyPolicy

func encodeUintExt(val cryptobyte.String) (any, bool) {
	var n uint64
	return n, val.ReadASN1Integer(&n) && val.Empty()
}

func decodeUintExt(c *derBuilder, item any) {
	n, ok := asUint(item)
	if !ok {
		c.SetError(badItem("inhibitAnyPolicy", item))
		return
	}
	c.AddASN1Uint64(n)
}

// --- OCSP no check and the precertificate poison: NULL

func encodeNull(val cryptobyte.String) (any, bool) {
	return nil, bytes.Equal(val, []byte{5, 0})
}

func decodeNull(c *derBuilder, item any) {
	if item != nil {
		c.SetError(badItem("extension value", item))
		return
	}
	c.AddBytes([]byte{5, 0})
}

// --- TLS features

func encodeTLSFeatures(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, false
	}
	out := []any{}
	for !seq.Empty() {
		var n uint64
		if !seq.ReadASN1Integer(&n) {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func decodeTLSFeatures(c *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok {
		c.SetError(badItem("tlsFeature", item))
		return
	}
	c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
		for _, it := range a {
			n, ok := asUint(it)
			if !ok {
				c.SetError(badItem("tlsFeature", it))
				return
			}
			c.AddASN1Uint64(n)
		}
	})
}

// readOptionalBool reads a BOOLEAN if one comes next (a DEFAULT FALSE
// field); an absent one leaves out unchanged.
func readOptionalBool(s *cryptobyte.String, out *bool) bool {
	if !s.PeekASN1Tag(cbasn1.BOOLEAN) {
		return true
	}
	return s.ReadASN1Boolean(out)
}
