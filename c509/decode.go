package c509

import (
	"bytes"
	"crypto/elliptic"
	"errors"
	"fmt"
	"time"

	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// fieldNames names the elements of C509Certificate, for errors.
var fieldNames = [11]string{
	"c509CertificateType", "certificateSerialNumber", "issuerSignatureAlgorithm", "issuer",
	"validityNotBefore", "validityNotAfter", "subject", "subjectPublicKeyAlgorithm",
	"subjectPublicKey", "extensions", "issuerSignatureValue",
}

// MaxSize bounds the C509 input Decode accepts (and the DER input Encode
// is meant for): a certificate larger than this is not one a constrained
// device receives.
const MaxSize = 1 << 20

// Decode returns the DER X.509 certificate of a C509 certificate of type 3:
// the CBOR array C509Certificate or the unwrapped CBOR sequence
// ~C509Certificate. Input that is not a C509Certificate gives a
// *SyntaxError with the field and its byte offset; a natively signed
// certificate (type 2) an *UnsupportedError.
func Decode(data []byte) ([]byte, error) {
	items, offsets, err := splitItems(data, false)
	if err != nil {
		return nil, err
	}
	der, field, err := decodeItems(items, nil)
	if err != nil {
		var ue *UnsupportedError
		if errors.As(err, &ue) {
			return nil, ue
		}
		if offsets == ([11]int{}) { // not located: the fast path
			_, offsets, _ = splitItems(data, true)
		}
		return nil, &SyntaxError{Field: fieldNames[field], Offset: offsets[field], Msg: err.Error()}
	}
	return der, nil
}

// splitItems reads the eleven items of C509Certificate and their offsets.
// Unless locate is set, an array is decoded in one call, which is faster,
// and the offsets are left zero if that succeeds.
func splitItems(data []byte, locate bool) ([11]any, [11]int, error) {
	var items [11]any
	var offsets [11]int
	if len(data) == 0 {
		return items, offsets, &SyntaxError{Field: "C509Certificate", Offset: 0, Msg: "empty input"}
	}
	if len(data) > MaxSize {
		return items, offsets, &SyntaxError{Field: "C509Certificate", Offset: 0, Msg: fmt.Sprintf("%d bytes, more than %d", len(data), MaxSize)}
	}
	pos := 0
	if data[0]>>5 == 4 { // an array: C509Certificate
		if data[0] != 0x8b {
			return items, offsets, &SyntaxError{Field: "C509Certificate", Offset: 0, Msg: fmt.Sprintf("an array header 0x%02x, want 0x8b (11 elements)", data[0])}
		}
		if !locate {
			if rest, err := decMode.UnmarshalFirst(data, &items); err == nil && len(rest) == 0 {
				return items, offsets, nil
			}
			items = [11]any{}
		}
		pos = 1
	}
	return readItems(data, pos)
}

// readItems reads the eleven items from pos on, one by one, noting their
// offsets.
func readItems(data []byte, pos int) ([11]any, [11]int, error) {
	var items [11]any
	var offsets [11]int
	for i := range items {
		offsets[i] = pos
		if pos >= len(data) {
			return items, offsets, &SyntaxError{Field: fieldNames[i], Offset: pos, Msg: "missing: the input ends"}
		}
		rest, err := decMode.UnmarshalFirst(data[pos:], &items[i])
		if err != nil {
			return items, offsets, &SyntaxError{Field: fieldNames[i], Offset: pos, Msg: err.Error()}
		}
		pos = len(data) - len(rest)
	}
	if pos != len(data) {
		return items, offsets, &SyntaxError{Field: "C509Certificate", Offset: pos, Msg: fmt.Sprintf("%d bytes after the last element", len(data)-pos)}
	}
	return items, offsets, nil
}

// decodeItems builds the DER certificate; on error it returns the index of
// the field at fault. keyHint, when not nil, is the uncompressed point a
// compressed subjectPublicKey was made from (Encode checking its work).
func decodeItems(items [11]any, keyHint []byte) ([]byte, int, error) {
	t, ok := asInt(items[0])
	if !ok {
		return nil, 0, fmt.Errorf("not an integer")
	}
	if t == 2 {
		return nil, 0, unsupported("c509CertificateType", "a natively signed C509 certificate (type 2) has no DER form")
	}
	if t != TypeReencoded {
		return nil, 0, fmt.Errorf("type %d, want %d (CBOR re-encoded X.509 v3)", t, TypeReencoded)
	}
	serial, ok := asBytes(items[1])
	if !ok {
		return nil, 1, badItem("serial number", items[1])
	}
	sigAlg, err := decodeAlgorithm(items[2], sigAlgs())
	if err != nil {
		return nil, 2, err
	}
	// Names and times are written into one scratch buffer, to save an
	// allocation each; the spans are sliced out once it stops growing.
	scratch := derBuilder{b: make([]byte, 0, 512)}
	add := func(f func(*derBuilder)) ([2]int, error) {
		start := len(scratch.b)
		f(&scratch)
		return [2]int{start, len(scratch.b)}, scratch.err
	}
	subjectSpan, err := add(func(b *derBuilder) { addName(b, items[6]) })
	if err != nil {
		return nil, 6, err
	}
	issuerSpan := subjectSpan
	if items[3] != nil {
		if issuerSpan, err = add(func(b *derBuilder) { addName(b, items[3]) }); err != nil {
			return nil, 3, err
		}
	}
	notBeforeSpan, err := add(func(b *derBuilder) { addTime(b, items[4], false) })
	if err != nil {
		return nil, 4, err
	}
	notAfterSpan, err := add(func(b *derBuilder) { addTime(b, items[5], true) })
	if err != nil {
		return nil, 5, err
	}
	span := func(s [2]int) []byte { return scratch.b[s[0]:s[1]] }
	subject, issuer, notBefore, notAfter := span(subjectSpan), span(issuerSpan), span(notBeforeSpan), span(notAfterSpan)
	pkAlg, err := decodeAlgorithm(items[7], pkAlgs())
	if err != nil {
		return nil, 7, err
	}
	pk, err := decodePublicKey(items[7], items[8], keyHint)
	if err != nil {
		return nil, 8, err
	}
	exts, err := decodeExtensions(items[9])
	if err != nil {
		return nil, 9, err
	}
	sig, err := decodeSignature(items[2], items[10])
	if err != nil {
		return nil, 10, err
	}
	d := derBuilder{b: make([]byte, 0, 64+len(serial)+2*len(sigAlg)+len(issuer)+len(subject)+len(pkAlg)+len(pk)+len(exts)+len(sig))}
	d.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			b.AddASN1(tagVersion, func(b *derBuilder) { b.AddASN1Int64(2) })
			b.AddASN1(cbasn1.INTEGER, func(b *derBuilder) { b.AddBytes(integerDER(serial)) })
			b.AddBytes(sigAlg)
			b.AddBytes(issuer)
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				b.AddBytes(notBefore)
				b.AddBytes(notAfter)
			})
			b.AddBytes(subject)
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				b.AddBytes(pkAlg)
				b.AddASN1BitString(pk)
			})
			if exts != nil {
				b.AddASN1(tagExts, func(b *derBuilder) { b.AddBytes(exts) })
			}
		})
		b.AddBytes(sigAlg)
		b.AddASN1BitString(sig)
	})
	der, err := d.Bytes()
	if err != nil {
		return nil, 10, err
	}
	return der, 0, nil
}

// decodeAlgorithm returns the DER AlgorithmIdentifier of an int, ~oid or
// [~oid, parameters] item.
func decodeAlgorithm(item any, reg registry) ([]byte, error) {
	if v, ok := asInt(item); ok {
		b, ok := reg.value(v)
		if !ok {
			return nil, fmt.Errorf("algorithm %d is not registered", v)
		}
		return b, nil
	}
	var oid, params []byte
	if b, ok := asBytes(item); ok {
		oid = b
	} else if a, ok := asArray(item); ok && len(a) == 2 {
		oid, _ = asBytes(a[0])
		params, _ = asBytes(a[1])
	}
	if len(oid) == 0 {
		return nil, badItem("AlgorithmIdentifier", item)
	}
	return build(func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			addOID(b, oid)
			b.AddBytes(params)
		})
	})
}

// decodeName returns the DER Name of a C509 Name.
func decodeName(item any) ([]byte, error) {
	return build(func(b *derBuilder) { addName(b, item) })
}

// addName writes the DER Name of a C509 Name.
func addName(b *derBuilder, item any) {
	attrs, ok := asArray(item)
	if !ok {
		attrs = []any{int64(1), item}
	}
	if len(attrs)%2 != 0 {
		b.SetError(fmt.Errorf("name: %d items, want (type, value) pairs", len(attrs)))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		for i := 0; i < len(attrs); i += 2 {
			oid, tag, value, err := decodeAttr(attrs[i], attrs[i+1])
			if err != nil {
				b.SetError(err)
				return
			}
			b.AddASN1(cbasn1.SET, func(b *derBuilder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
					addOID(b, oid)
					if tag == 0 {
						b.AddBytes(value)
						return
					}
					b.AddASN1(tag, func(b *derBuilder) { b.AddBytes(value) })
				})
			})
		}
	})
}

// decodeAttr returns the OID, the string tag and the value of an
// attribute; tag 0 means value is a whole DER element.
func decodeAttr(typ, val any) ([]byte, cbasn1.Tag, []byte, error) {
	if oid, ok := asBytes(typ); ok {
		v, ok := asBytes(val)
		if !ok || len(oid) == 0 {
			return nil, 0, nil, badItem("attribute", val)
		}
		return oid, 0, v, nil
	}
	v, ok := asInt(typ)
	if !ok {
		return nil, 0, nil, badItem("attributeType", typ)
	}
	tag := cbasn1.UTF8String
	if v < 0 {
		v, tag = -v, tagPrintableString
	}
	oid, ok := rdnAttrOIDs()[v]
	if !ok {
		return nil, 0, nil, fmt.Errorf("attribute type %d is not registered", v)
	}
	if rdnAttrs()[string(oid)].ia5 {
		if tag != cbasn1.UTF8String {
			return nil, 0, nil, fmt.Errorf("attribute type %d is an IA5String and cannot be negative", v)
		}
		tag = cbasn1.IA5String
	}
	s, ok := fromSpecialText(val)
	if !ok {
		return nil, 0, nil, badItem("attribute value", val)
	}
	return oid, tag, []byte(s), nil
}

// addTime writes the DER Time of a POSIX time: UTCTime through 2049,
// GeneralizedTime from 2050 (RFC 5280 §4.1.2.5); null is 99991231235959Z.
func addTime(b *derBuilder, item any, notAfter bool) {
	if item == nil && notAfter {
		b.AddASN1(cbasn1.GeneralizedTime, func(b *derBuilder) { b.AddBytes([]byte(noExpiry)) })
		return
	}
	v, ok := asUint(item)
	if !ok || v > 253402300799 { // 9999-12-31T23:59:59Z
		b.SetError(badItem("time", item))
		return
	}
	t := time.Unix(int64(v), 0).UTC()
	tag, layout := cbasn1.UTCTime, "060102150405Z"
	if t.Year() >= 2050 {
		tag, layout = cbasn1.GeneralizedTime, "20060102150405Z"
	}
	if t.Year() < 1950 {
		b.SetError(fmt.Errorf("time %d is before 1950", v))
		return
	}
	var text [15]byte
	b.AddASN1(tag, func(b *derBuilder) { b.AddBytes(t.AppendFormat(text[:0], layout)) })
}

// decodePublicKey returns the subjectPublicKey BIT STRING contents. hint,
// if not nil, is the point a compressed key was made from: when its x and
// the parity of its y match, it is the decompressed point (Encode only
// compresses points on the curve).
func decodePublicKey(alg, item any, hint []byte) ([]byte, error) {
	v, registered := asInt(alg)
	if registered && v == 0 {
		return decodeRSAKey(item)
	}
	b, ok := asBytes(item)
	if !ok {
		return nil, badItem("subjectPublicKey", item)
	}
	if registered && len(b) > 0 && (b[0] == 0xfe || b[0] == 0xfd) {
		curve := curveOf(v)
		size := ecKeySizes[v].size
		if curve == nil || len(b) != 1+size {
			return nil, fmt.Errorf("a compressed point for algorithm %d", v)
		}
		if len(hint) == 1+2*size && hint[0] == 4 && bytes.Equal(hint[1:1+size], b[1:]) && (hint[2*size]&1 == 1) == (b[0] == 0xfd) {
			return hint, nil
		}
		c := append([]byte{2}, b[1:]...)
		if b[0] == 0xfd {
			c[0] = 3
		}
		x, y := elliptic.UnmarshalCompressed(curve, c)
		if x == nil {
			return nil, fmt.Errorf("the compressed point is not on the curve")
		}
		out := make([]byte, 1+2*size)
		out[0] = 4
		x.FillBytes(out[1 : 1+size])
		y.FillBytes(out[1+size:])
		return out, nil
	}
	return b, nil
}

func decodeRSAKey(item any) ([]byte, error) {
	n, ok := asBytes(item)
	e := []byte{1, 0, 1}
	if !ok {
		a, isArray := asArray(item)
		if !isArray || len(a) != 2 {
			return nil, badItem("RSA public key", item)
		}
		var ok1, ok2 bool
		n, ok1 = asBytes(a[0])
		e, ok2 = asBytes(a[1])
		if !ok1 || !ok2 {
			return nil, badItem("RSA public key", item)
		}
	}
	return build(func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			b.AddASN1(cbasn1.INTEGER, func(b *derBuilder) { b.AddBytes(integerDER(n)) })
			b.AddASN1(cbasn1.INTEGER, func(b *derBuilder) { b.AddBytes(integerDER(e)) })
		})
	})
}

// decodeExtensions returns the DER Extensions SEQUENCE, or nil for none.
func decodeExtensions(item any) ([]byte, error) {
	if v, ok := asInt(item); ok {
		id, ku := int64(2), v
		if v < 0 {
			id, ku = -2, -v
		}
		item = []any{id, uint64(ku)}
	}
	a, ok := asArray(item)
	if !ok {
		return nil, badItem("extensions", item)
	}
	if len(a) == 0 {
		return nil, nil
	}
	return build(func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			for i := 0; i < len(a); i += 2 {
				if i+1 == len(a) {
					b.SetError(fmt.Errorf("extension %d has no value", i/2))
					return
				}
				oid, critical, val, err := decodeExtension(a[i], a[i+1])
				if err != nil {
					b.SetError(fmt.Errorf("extension %d: %w", i/2, err))
					return
				}
				b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
					addOID(b, oid)
					if critical {
						b.AddASN1Boolean(true)
					}
					b.AddASN1OctetString(val)
				})
			}
		})
	})
}

func decodeExtension(id, item any) (oid []byte, critical bool, val []byte, err error) {
	if oid, ok := asBytes(id); ok {
		if len(oid) == 0 {
			return nil, false, nil, badItem("extensionID", id)
		}
		if a, ok := asArray(item); ok && len(a) == 1 {
			v, ok := asBytes(a[0])
			if !ok {
				return nil, false, nil, badItem("extensionValue", item)
			}
			return oid, true, v, nil
		}
		v, ok := asBytes(item)
		if !ok {
			return nil, false, nil, badItem("extensionValue", item)
		}
		return oid, false, v, nil
	}
	n, ok := asInt(id)
	if !ok {
		return nil, false, nil, badItem("extensionID", id)
	}
	if n < 0 {
		n, critical = -n, true
	}
	codec, ok := extCodecs[n]
	if !ok {
		return nil, false, nil, fmt.Errorf("extension %d is not registered", n)
	}
	oidBytes, _ := extIDs().value(n)
	val, err = codec.decode(item)
	return oidBytes, critical, val, err
}

// decodeSignature returns the signatureValue BIT STRING contents; an
// ECDSA r || s becomes an ECDSA-Sig-Value again.
func decodeSignature(alg, item any) ([]byte, error) {
	b, ok := asBytes(item)
	if !ok {
		return nil, badItem("signature", item)
	}
	v, ok := asInt(alg)
	if !ok || !ecdsaSigAlgs[v] {
		return b, nil
	}
	if len(b) == 0 || len(b)%2 != 0 {
		return nil, fmt.Errorf("an ECDSA signature of %d bytes, want r and s of equal length", len(b))
	}
	h := len(b) / 2
	return build(func(c *derBuilder) {
		c.AddASN1(cbasn1.SEQUENCE, func(c *derBuilder) {
			c.AddASN1(cbasn1.INTEGER, func(c *derBuilder) { c.AddBytes(integerDER(b[:h])) })
			c.AddASN1(cbasn1.INTEGER, func(c *derBuilder) { c.AddBytes(integerDER(b[h:])) })
		})
	})
}
