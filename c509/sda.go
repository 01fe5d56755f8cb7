package c509

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// subjectDirectoryAttributes (draft section "Encoding of Extensions"):
// attributes as in names, with one or more values each:
//
//	RDNAttributes = ( attributeType: int, attributeValue: [ + SpecialText ] ) //
//	                ( attributeType: ~oid, attributeValue: [ + bytes ] )
//	SubjectDirectoryAttributes = [ + RDNAttributes ]
//
// An attribute is written with its registered integer when all its values
// are strings of the same type that a name attribute could carry;
// otherwise by OID, each value its DER encoding.

func encodeSDA(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || seq.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var attr, oid, set cryptobyte.String
		if !seq.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) ||
			!attr.ReadASN1(&set, cbasn1.SET) || !attr.Empty() || set.Empty() {
			return nil, false
		}
		var texts, raws []any
		var typ int64
		asInts := true
		for !set.Empty() {
			var full cryptobyte.String
			var tag cbasn1.Tag
			if !set.ReadAnyASN1Element(&full, &tag) {
				return nil, false
			}
			raws = append(raws, []byte(full))
			if !asInts {
				continue
			}
			e, ok := encodeAttr(oid, full, tag)
			if !ok || (len(texts) > 0 && e[0].(int64) != typ) {
				asInts = false
				continue
			}
			typ = e[0].(int64)
			texts = append(texts, e[1])
		}
		if asInts {
			out = append(out, typ, texts)
		} else {
			out = append(out, []byte(oid), raws)
		}
	}
	return out, true
}

func decodeSDA(b *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) == 0 || len(a)%2 != 0 {
		b.SetError(badItem("subjectDirectoryAttributes", item))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		for i := 0; i < len(a); i += 2 {
			vs, ok := asArray(a[i+1])
			if !ok || len(vs) == 0 {
				b.SetError(badItem("attribute values", a[i+1]))
				return
			}
			oid, _, err := decodeAttr(a[i], vs[0])
			if err != nil {
				b.SetError(err)
				return
			}
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				addOID(b, oid)
				b.AddASN1(cbasn1.SET, func(b *derBuilder) {
					for _, v := range vs {
						_, value, err := decodeAttr(a[i], v)
						if err != nil {
							b.SetError(err)
							return
						}
						value.add(b)
					}
				})
			})
		}
	})
}
