package c509

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// IPAddrBlocks and IPAddrBlocks v2 (RFC 3779, RFC 8360; draft section
// "Encoding of Extensions"):
//
//	IPAddrBlocks = [ + (AFI: uint, SAFI: uint / null,
//	                    IntIPAddressChoice / IPAddressChoice / null) ]
//
// Each IPAddress BIT STRING becomes the bytes unusedBits || value. When
// none of a family's addresses is longer than 8 bytes they are integers:
// (unusedBits + 1) || value read big-endian, every one after the first as
// the difference from the one before (range bounds included). Otherwise
// they are byte strings. inherit is null.

// ipBytesMax is the longest IPAddress byte sequence written as an integer.
const ipBytesMax = 8

// ipAddr is one IPAddressOrRange: a prefix (max nil) or a range.
type ipAddr struct{ min, max cryptobyte.String }

func encodeIPAddrBlocks(val cryptobyte.String) (any, bool) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() || seq.Empty() {
		return nil, false
	}
	var out []any
	for !seq.Empty() {
		var fam, af cryptobyte.String
		if !seq.ReadASN1(&fam, cbasn1.SEQUENCE) || !fam.ReadASN1(&af, cbasn1.OCTET_STRING) || (len(af) != 2 && len(af) != 3) {
			return nil, false
		}
		out = append(out, uint64(af[0])<<8|uint64(af[1]))
		if len(af) == 3 {
			out = append(out, uint64(af[2]))
		} else {
			out = append(out, nil)
		}
		if fam.PeekASN1Tag(cbasn1.NULL) {
			var null cryptobyte.String
			if !fam.ReadASN1(&null, cbasn1.NULL) || len(null) != 0 || !fam.Empty() {
				return nil, false
			}
			out = append(out, nil)
			continue
		}
		var list cryptobyte.String
		if !fam.ReadASN1(&list, cbasn1.SEQUENCE) || !fam.Empty() || list.Empty() {
			return nil, false
		}
		var addrs []ipAddr
		long := false
		for !list.Empty() {
			var a ipAddr
			if list.PeekASN1Tag(cbasn1.SEQUENCE) {
				var r cryptobyte.String
				if !list.ReadASN1(&r, cbasn1.SEQUENCE) || !r.ReadASN1(&a.min, cbasn1.BIT_STRING) ||
					!r.ReadASN1(&a.max, cbasn1.BIT_STRING) || !r.Empty() || len(a.max) == 0 {
					return nil, false
				}
			} else if !list.ReadASN1(&a.min, cbasn1.BIT_STRING) {
				return nil, false
			}
			if len(a.min) == 0 {
				return nil, false
			}
			long = long || len(a.min) > ipBytesMax || len(a.max) > ipBytesMax
			addrs = append(addrs, a)
		}
		out = append(out, ipChoice(addrs, long))
	}
	return out, true
}

// ipChoice encodes a family's addresses as integers with differences, or
// as byte strings when one is too long.
func ipChoice(addrs []ipAddr, long bool) []any {
	var out []any
	var prev int64
	first := true
	item := func(b []byte) any {
		if long {
			return b
		}
		v := int64(b[0]) + 1
		for _, c := range b[1:] {
			v = v<<8 | int64(c)
		}
		d := v - prev
		if first {
			d, first = v, false
		}
		prev = v
		return d
	}
	for _, a := range addrs {
		if a.max == nil {
			out = append(out, item(a.min))
		} else {
			out = append(out, []any{item(a.min), item(a.max)})
		}
	}
	return out
}

func decodeIPAddrBlocks(b *derBuilder, item any) {
	a, ok := asArray(item)
	if !ok || len(a) == 0 || len(a)%3 != 0 {
		b.SetError(badItem("IPAddrBlocks", item))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		for i := 0; i < len(a); i += 3 {
			afi, ok := asUint(a[i])
			if !ok || afi > 0xffff {
				b.SetError(badItem("AFI", a[i]))
				return
			}
			af := []byte{byte(afi >> 8), byte(afi)}
			if a[i+1] != nil {
				safi, ok := asUint(a[i+1])
				if !ok || safi > 0xff {
					b.SetError(badItem("SAFI", a[i+1]))
					return
				}
				af = append(af, byte(safi))
			}
			b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
				b.AddASN1OctetString(af)
				if a[i+2] == nil {
					b.AddBytes([]byte{5, 0})
					return
				}
				addIPChoice(b, a[i+2])
			})
		}
	})
}

func addIPChoice(b *derBuilder, item any) {
	list, ok := asArray(item)
	if !ok || len(list) == 0 {
		b.SetError(badItem("IPAddressChoice", item))
		return
	}
	var prev int64
	first := true
	addr := func(v any) {
		if bs, ok := asBytes(v); ok && len(bs) > 0 {
			b.AddASN1(cbasn1.BIT_STRING, func(b *derBuilder) { b.AddBytes(bs) })
			return
		}
		d, ok := asInt(v)
		if !ok {
			b.SetError(badItem("IPAddress", v))
			return
		}
		if !first {
			d += prev
		}
		first, prev = false, d
		var buf [8]byte
		n := 0
		for x := d; x > 0; x >>= 8 {
			n++
		}
		if d <= 0 || n > 8 {
			b.SetError(badItem("IPAddress", v))
			return
		}
		for i := range n {
			buf[n-1-i] = byte(d >> (8 * i))
		}
		if buf[0] == 0 || buf[0] > 8 {
			b.SetError(badItem("IPAddress", v))
			return
		}
		buf[0]--
		b.AddASN1(cbasn1.BIT_STRING, func(b *derBuilder) { b.AddBytes(buf[:n]) })
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
		for _, e := range list {
			if r, ok := asArray(e); ok {
				if len(r) != 2 {
					b.SetError(badItem("IPAddressRange", e))
					return
				}
				b.AddASN1(cbasn1.SEQUENCE, func(b *derBuilder) {
					addr(r[0])
					addr(r[1])
				})
				continue
			}
			addr(e)
		}
	})
}
