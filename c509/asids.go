package c509

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// AS Identifiers and AS Identifiers v2 (RFC 3779, RFC 8360; draft section
// "Encoding of Extensions"), when rdi is absent:
//
//	ASIdOrRange = uint / [min: uint, max: uint]
//	ASIdentifiers = [ + ASIdOrRange ] / null
//
// Every ASId after the first is the difference from the one before
// (range bounds included); inherit is null.

var tagASNum = cbasn1.Tag(0).Constructed().ContextSpecific()

func encodeASIds(val cryptobyte.String) (any, bool) {
	var seq, asnum cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || !seq.ReadASN1(&asnum, tagASNum) || !seq.Empty() {
		return nil, false // no asnum, or an rdi
	}
	if asnum.PeekASN1Tag(cbasn1.NULL) {
		var null cryptobyte.String
		return nil, asnum.ReadASN1(&null, cbasn1.NULL) && len(null) == 0 && asnum.Empty()
	}
	var list cryptobyte.String
	if !asnum.ReadASN1(&list, cbasn1.SEQUENCE) || !asnum.Empty() || list.Empty() {
		return nil, false
	}
	var out []any
	var prev uint64
	first := true
	next := func(s *cryptobyte.String) (any, bool) {
		var v uint64
		if !s.ReadASN1Integer(&v) || (!first && v < prev) {
			return nil, false
		}
		d := v - prev
		if first {
			d, first = v, false
		}
		prev = v
		return d, true
	}
	for !list.Empty() {
		if list.PeekASN1Tag(cbasn1.SEQUENCE) {
			var r cryptobyte.String
			if !list.ReadASN1(&r, cbasn1.SEQUENCE) {
				return nil, false
			}
			lo, ok1 := next(&r)
			hi, ok2 := next(&r)
			if !ok1 || !ok2 || !r.Empty() {
				return nil, false
			}
			out = append(out, []any{lo, hi})
			continue
		}
		v, ok := next(&list)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

func decodeASIds(b *derBuilder, item any) {
	if item == nil {
		b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
			b.AddASN1(tagASNum, func(b *derBuilder) { b.AddBytes([]byte{5, 0}) })
		})
		return
	}
	list, ok := asArray(item)
	if !ok || len(list) == 0 {
		b.SetError(badItem("ASIdentifiers", item))
		return
	}
	var prev uint64
	first := true
	next := func(b *derBuilder, v any) {
		d, ok := asUint(v)
		if !ok {
			b.SetError(badItem("ASId", v))
			return
		}
		if !first {
			d += prev
		}
		first, prev = false, d
		b.AddASN1Uint64(d)
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		b.AddASN1(tagASNum, func(b *derBuilder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				for _, e := range list {
					if r, ok := asArray(e); ok {
						if len(r) != 2 {
							b.SetError(badItem("ASRange", e))
							return
						}
						b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
							next(b, r[0])
							next(b, r[1])
						})
						continue
					}
					next(b, e)
				}
			})
		})
	})
}
