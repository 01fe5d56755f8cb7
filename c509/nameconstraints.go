package c509

import (
	"math/bits"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// nameConstraints (draft section "Encoding of Extensions"):
//
//	GeneralSubtrees = [ + GeneralName ]
//	NameConstraints = [ permittedSubtrees: GeneralSubtrees / null,
//	                    excludedSubtrees: GeneralSubtrees / null ]
//
// minimum and maximum are not carried (a subtree with either has no
// specific encoding), and an iPAddress base is the address followed by
// one octet of prefix length (5 octets for IPv4, 17 for IPv6) instead of
// the address and a mask.

var (
	tagPermitted = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagExcluded  = cbasn1.Tag(1).Constructed().ContextSpecific()
)

func encodeNameConstraints(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, false
	}
	out := []any{nil, nil}
	for i, tag := range []cbasn1.Tag{tagPermitted, tagExcluded} {
		var subtrees cryptobyte.String
		var present bool
		if !seq.ReadOptionalASN1(&subtrees, &present, tag) {
			return nil, false
		}
		if !present {
			continue
		}
		var names []any
		for !subtrees.Empty() {
			var st, base cryptobyte.String
			var baseTag cbasn1.Tag
			if !subtrees.ReadASN1(&st, cbasn1.SEQUENCE) {
				return nil, false
			}
			whole := st
			if !st.ReadAnyASN1(&base, &baseTag) || !st.Empty() {
				return nil, false // minimum or maximum
			}
			if baseTag == tagIP {
				p, ok := ipPrefix(base)
				if !ok {
					return nil, false
				}
				names = append(names, int64(7), p)
				continue
			}
			n, ok := encodeGeneralNames(whole)
			if !ok {
				return nil, false
			}
			names = append(names, n...)
		}
		if len(names) == 0 {
			return nil, false
		}
		out[i] = names
	}
	if !seq.Empty() || (out[0] == nil && out[1] == nil) {
		return nil, false
	}
	return out, true
}

// ipPrefix turns an address and a contiguous mask into the address and
// the prefix length.
func ipPrefix(b []byte) ([]byte, bool) {
	if len(b) != 8 && len(b) != 32 {
		return nil, false
	}
	n := len(b) / 2
	addr, mask := b[:n], b[n:]
	ones, done := 0, false
	for _, m := range mask {
		if done && m != 0 {
			return nil, false
		}
		l := bits.LeadingZeros8(^m)
		if m<<l != 0 { // not of the form 1...10...0
			return nil, false
		}
		ones += l
		done = l < 8
	}
	return append(append([]byte(nil), addr...), byte(ones)), true
}

func decodeNameConstraints(b *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) != 2 {
		b.SetError(badItem("nameConstraints", item))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		for i, tag := range []cbasn1.Tag{tagPermitted, tagExcluded} {
			if a[i] == nil {
				continue
			}
			names, ok := asArray(a[i])
			if !ok || len(names) == 0 || len(names)%2 != 0 {
				b.SetError(badItem("GeneralSubtrees", a[i]))
				return
			}
			b.AddASN1(tag, func(b *derBuilder) {
				for j := 0; j < len(names); j += 2 {
					b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) { addSubtreeBase(b, names[j], names[j+1]) })
				}
			})
		}
	})
}

func addSubtreeBase(b *derBuilder, typ, v any) {
	t, ok := asInt(typ)
	if !ok {
		b.SetError(badItem("GeneralNameType", typ))
		return
	}
	if t != 7 {
		if err := addGeneralName(b, t, v); err != nil {
			b.SetError(err)
		}
		return
	}
	p, ok := asBytes(v)
	if !ok || (len(p) != 5 && len(p) != 17) || int(p[len(p)-1]) > 8*(len(p)-1) {
		b.SetError(badItem("iPAddress subtree", v))
		return
	}
	n, ones := len(p)-1, int(p[len(p)-1])
	b.AddASN1(tagIP, func(b *derBuilder) {
		b.AddBytes(p[:n])
		mask := make([]byte, n)
		for i := range ones {
			mask[i/8] |= 0x80 >> (i % 8)
		}
		b.AddBytes(mask)
	})
}
