package c509

import (
	"bytes"
	"crypto/elliptic"
	"errors"
	"fmt"
	"time"

	"github.com/iotcert/iotcert/internal/p256"

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
	// C509 is about half the size of the DER it stands for.
	der, field, err := decodeItems(items, 2*len(data)+64, nil)
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
		pos = 1
	}
	if !locate {
		r := fastReader{data: data, pos: pos}
		ok := true
		for i := range items {
			if items[i], ok = r.item(1); !ok {
				break
			}
		}
		if ok && r.pos == len(data) {
			return items, offsets, nil
		}
		if pos == 1 {
			items = [11]any{}
			if rest, err := decMode.UnmarshalFirst(data, &items); err == nil && len(rest) == 0 {
				return items, offsets, nil
			}
			items = [11]any{}
		}
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
// the field at fault. sizeHint is the capacity of the buffer the DER is
// written into (its expected size: it is written in place, so that a good
// guess costs one allocation). keyHint, when not nil, is the uncompressed
// point a compressed subjectPublicKey was made from (Encode checking its
// work).
func decodeItems(items [11]any, sizeHint int, keyHint []byte) ([]byte, int, error) {
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
	d := derBuilder{b: make([]byte, 0, sizeHint)}
	// field is the element being written: the first error stops writing,
	// and at() stops counting with it.
	field := 0
	at := func(i int) {
		if d.err == nil {
			field = i
		}
	}
	d.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			b.AddASN1(tagVersion, func(b *derBuilder) { b.AddASN1Int64(2) })
			b.AddASN1BigUint(serial)
			at(2)
			addAlgorithm(b, items[2], sigAlgs())
			// A null issuer is the subject's name: it is written at the
			// issuer's place, then copied to the subject's.
			subject, copied := [2]int{}, items[3] == nil
			if copied {
				at(6)
				subject[0] = len(b.b)
				addName(b, items[6])
				subject[1] = len(b.b)
			} else {
				at(3)
				addName(b, items[3])
			}
			at(4)
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				addTime(b, items[4], false)
				at(5)
				addTime(b, items[5], true)
			})
			at(6)
			if copied {
				b.AddBytes(b.b[subject[0]:subject[1]])
			} else {
				addName(b, items[6])
			}
			at(7)
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				addAlgorithm(b, items[7], pkAlgs())
				at(8)
				addPublicKey(b, items[7], items[8], keyHint)
			})
			at(9)
			addExtensions(b, items[9])
		})
		at(2)
		addAlgorithm(b, items[2], sigAlgs())
		at(10)
		addSignature(b, items[2], items[10])
	})
	der, err := d.Bytes()
	if err != nil {
		return nil, field, err
	}
	return der, 0, nil
}

// addAlgorithm writes the DER AlgorithmIdentifier of an int, ~oid or
// [~oid, parameters] item.
func addAlgorithm(b *derBuilder, item any, reg registry) {
	if v, ok := asInt(item); ok {
		der, ok := reg.value(v)
		if !ok {
			b.SetError(fmt.Errorf("algorithm %d is not registered", v))
			return
		}
		b.AddBytes(der)
		return
	}
	var oid, params []byte
	if o, ok := asBytes(item); ok {
		oid = o
	} else if a, ok := asArray(item); ok && len(a) == 2 {
		oid, _ = asBytes(a[0])
		params, _ = asBytes(a[1])
	}
	if len(oid) == 0 {
		b.SetError(badItem("AlgorithmIdentifier", item))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		addOID(b, oid)
		b.AddBytes(params)
	})
}

// addName writes the DER Name of a C509 Name.
func addName(b *derBuilder, item any) {
	attrs, ok := asArray(item)
	if !ok { // a text or bytes value alone: a common name
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) { addRDN(b, int64(1), item) })
		return
	}
	if len(attrs)%2 != 0 {
		b.SetError(fmt.Errorf("name: %d items, want (type, value) pairs", len(attrs)))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		for i := 0; i < len(attrs); i += 2 {
			addRDN(b, attrs[i], attrs[i+1])
		}
	})
}

// addRDN writes a RelativeDistinguishedName of one attribute.
func addRDN(b *derBuilder, typ, val any) {
	oid, value, err := decodeAttr(typ, val)
	if err != nil {
		b.SetError(err)
		return
	}
	b.AddASN1(cbasn1.SET, func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			addOID(b, oid)
			value.add(b)
		})
	})
}

// attrValue is the value of an attribute: a whole DER element (tag 0) or
// the text of a string of type tag.
type attrValue struct {
	tag  cbasn1.Tag
	der  []byte
	text string
}

// add writes the value.
func (v attrValue) add(b *derBuilder) {
	if v.tag == 0 {
		b.AddBytes(v.der)
		return
	}
	b.AddASN1(v.tag, func(b *derBuilder) { b.AddString(v.text) })
}

// decodeAttr returns the OID and the value of an attribute.
func decodeAttr(typ, val any) ([]byte, attrValue, error) {
	if oid, ok := asBytes(typ); ok {
		v, ok := asBytes(val)
		if !ok || len(oid) == 0 {
			return nil, attrValue{}, badItem("attribute", val)
		}
		return oid, attrValue{der: v}, nil
	}
	v, ok := asInt(typ)
	if !ok {
		return nil, attrValue{}, badItem("attributeType", typ)
	}
	tag := cbasn1.UTF8String
	if v < 0 {
		v, tag = -v, tagPrintableString
	}
	oid, ok := rdnAttrOIDs()[v]
	if !ok {
		return nil, attrValue{}, fmt.Errorf("attribute type %d is not registered", v)
	}
	if rdnAttrs()[string(oid)].ia5 {
		if tag != cbasn1.UTF8String {
			return nil, attrValue{}, fmt.Errorf("attribute type %d is an IA5String and cannot be negative", v)
		}
		tag = cbasn1.IA5String
	}
	s, ok := fromSpecialText(val)
	if !ok {
		return nil, attrValue{}, badItem("attribute value", val)
	}
	return oid, attrValue{tag: tag, text: s}, nil
}

// addTime writes the DER Time of a POSIX time: UTCTime through 2049,
// GeneralizedTime from 2050 (RFC 5280 §4.1.2.5); null is 99991231235959Z.
func addTime(b *derBuilder, item any, notAfter bool) {
	if item == nil && notAfter {
		b.AddASN1(cbasn1.GeneralizedTime, func(b *derBuilder) { b.AddString(noExpiry) })
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

// addPublicKey writes the subjectPublicKey BIT STRING. hint, if not nil,
// is the point a compressed key was made from: when its x and the parity
// of its y match, it is the decompressed point (Encode only compresses
// points on the curve).
func addPublicKey(b *derBuilder, alg, item any, hint []byte) {
	v, registered := asInt(alg)
	if registered && v == 0 {
		b.AddASN1(cbasn1.BIT_STRING, func(b *derBuilder) {
			b.AddBytes([]byte{0})
			addRSAKey(b, item)
		})
		return
	}
	k, ok := asBytes(item)
	if !ok {
		b.SetError(badItem("subjectPublicKey", item))
		return
	}
	// Only an EC key of an algorithm whose points C509 compresses is
	// marked 0xfe/0xfd; any other key (Ed25519, a key of an unregistered
	// algorithm) is its bytes, whatever its first byte.
	if !registered || !ecKeySizes[v].compressed || len(k) == 0 || (k[0] != 0xfe && k[0] != 0xfd) {
		b.AddASN1BitString(k)
		return
	}
	curve := curveOf(v)
	size := ecKeySizes[v].size
	if curve == nil || len(k) != 1+size {
		b.SetError(fmt.Errorf("a compressed point for algorithm %d", v))
		return
	}
	odd := k[0] == 0xfd
	var buf [66]byte
	y := buf[:size]
	if len(hint) == 1+2*size && hint[0] == 4 && bytes.Equal(hint[1:1+size], k[1:]) && (hint[2*size]&1 == 1) == odd {
		y = hint[1+size:]
	} else if !decompressY(y, curve, k[1:], odd) {
		b.SetError(fmt.Errorf("the compressed point is not on the curve"))
		return
	}
	b.AddASN1(cbasn1.BIT_STRING, func(b *derBuilder) {
		b.AddBytes([]byte{0, 4})
		b.AddBytes(k[1:])
		b.AddBytes(y)
	})
}

// decompressY writes to y the y coordinate of the point of curve whose x
// coordinate is x and whose y is odd when odd is set (y and x as long as
// the curve's field elements); it reports false if there is no such point
// or x is not below the field's prime. P-256, the curve of nearly every
// IoT key, goes to package p256 (it avoids an inversion that
// crypto/elliptic pays, a third of decoding; see there); the others to
// crypto/elliptic.
func decompressY(y []byte, curve elliptic.Curve, x []byte, odd bool) bool {
	if curve == elliptic.P256() {
		return p256.DecompressY(y, x, odd)
	}
	var in [1 + 66]byte
	in[0] = 2
	if odd {
		in[0] = 3
	}
	n := copy(in[1:], x)
	px, py := elliptic.UnmarshalCompressed(curve, in[:1+n])
	if px == nil {
		return false
	}
	py.FillBytes(y)
	return true
}

// addRSAKey writes an RSAPublicKey.
func addRSAKey(b *derBuilder, item any) {
	n, ok := asBytes(item)
	e := []byte{1, 0, 1}
	if !ok {
		a, isArray := asArray(item)
		if !isArray || len(a) != 2 {
			b.SetError(badItem("RSA public key", item))
			return
		}
		var ok1, ok2 bool
		n, ok1 = asBytes(a[0])
		e, ok2 = asBytes(a[1])
		if !ok1 || !ok2 {
			b.SetError(badItem("RSA public key", item))
			return
		}
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		b.AddASN1BigUint(n)
		b.AddASN1BigUint(e)
	})
}

// addExtensions writes the [3] EXPLICIT Extensions of the extensions
// item, or nothing for none.
func addExtensions(b *derBuilder, item any) {
	if v, ok := asInt(item); ok { // keyUsage alone, its sign the criticality
		id, ku := int64(2), v
		if v < 0 {
			id, ku = -2, -v
		}
		b.AddASN1(tagExts, func(b *derBuilder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) { addExtension(b, id, uint64(ku)) })
		})
		return
	}
	a, ok := asArray(item)
	if !ok {
		b.SetError(badItem("extensions", item))
		return
	}
	if len(a) == 0 {
		return
	}
	b.AddASN1(tagExts, func(b *derBuilder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			for i := 0; i < len(a); i += 2 {
				if i+1 == len(a) {
					b.SetError(fmt.Errorf("extension %d has no value", i/2))
					return
				}
				addExtension(b, a[i], a[i+1])
				if b.err != nil {
					b.err = fmt.Errorf("extension %d: %w", i/2, b.err)
					return
				}
			}
		})
	})
}

// addExtension writes the Extension of an (extensionID, value) pair.
func addExtension(b *derBuilder, id, item any) {
	if oid, ok := asBytes(id); ok {
		if len(oid) == 0 {
			b.SetError(badItem("extensionID", id))
			return
		}
		critical := false
		v, ok := asBytes(item)
		if a, isArray := asArray(item); isArray && len(a) == 1 {
			v, ok = asBytes(a[0])
			critical = true
		}
		if !ok {
			b.SetError(badItem("extensionValue", item))
			return
		}
		addExtensionDER(b, oid, critical, func(b *derBuilder) { b.AddBytes(v) })
		return
	}
	n, ok := asInt(id)
	if !ok {
		b.SetError(badItem("extensionID", id))
		return
	}
	critical := n < 0
	if critical {
		n = -n
	}
	codec, ok := extCodecs[n]
	if !ok {
		b.SetError(fmt.Errorf("extension %d is not registered", n))
		return
	}
	oid, _ := extIDs().value(n)
	addExtensionDER(b, oid, critical, func(b *derBuilder) { codec.decode(b, item) })
}

// addExtensionDER writes an Extension whose extnValue contents value
// writes.
func addExtensionDER(b *derBuilder, oid []byte, critical bool, value func(*derBuilder)) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		addOID(b, oid)
		if critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1(cbasn1.OCTET_STRING, value)
	})
}

// addSignature writes the signatureValue BIT STRING; an ECDSA r || s
// becomes an ECDSA-Sig-Value again.
func addSignature(b *derBuilder, alg, item any) {
	sig, ok := asBytes(item)
	if !ok {
		b.SetError(badItem("signature", item))
		return
	}
	v, ok := asInt(alg)
	if !ok || !ecdsaSigAlgs[v] {
		b.AddASN1BitString(sig)
		return
	}
	if len(sig) == 0 || len(sig)%2 != 0 {
		b.SetError(fmt.Errorf("an ECDSA signature of %d bytes, want r and s of equal length", len(sig)))
		return
	}
	h := len(sig) / 2
	b.AddASN1(cbasn1.BIT_STRING, func(b *derBuilder) {
		b.AddBytes([]byte{0})
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			b.AddASN1BigUint(sig[:h])
			b.AddASN1BigUint(sig[h:])
		})
	})
}
