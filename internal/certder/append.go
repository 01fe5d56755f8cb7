package certder

// Appending DER without a builder per element: cryptobyte.Builder
// allocates a child builder (and often a closure) for every nested
// element, which on the device issuance path costs more than the
// encoding itself. Begin and End write the same bytes into one slice.
//
//	b, seq := certder.Begin(b, certder.TagSequence)
//	b = certder.AppendTLV(b, certder.TagOID, oid)
//	b = certder.End(b, seq)

// Identifier octets of the universal types the device path writes.
const (
	TagBoolean     = 0x01
	TagInteger     = 0x02
	TagBitString   = 0x03
	TagOctetString = 0x04
	TagOID         = 0x06
	TagSequence    = 0x30
	TagSet         = 0x31
)

// Begin appends the identifier octet tag and a placeholder length to b,
// and returns b and the offset of the element's content, for End.
func Begin(b []byte, tag byte) ([]byte, int) {
	b = append(b, tag, 0)
	return b, len(b)
}

// End sets the DER length of the element whose content starts at start
// (as Begin returned) and runs to the end of b: one octet below 128
// octets of content, else 0x80|n and n big-endian octets, the content
// moved up to make room.
func End(b []byte, start int) []byte {
	n := len(b) - start
	if n < 0x80 {
		b[start-1] = byte(n)
		return b
	}
	extra := lengthOctets(n)
	b = append(b, make([]byte, extra)...)
	copy(b[start+extra:], b[start:start+n])
	b[start-1] = 0x80 | byte(extra)
	for i := extra - 1; i >= 0; i-- {
		b[start+i] = byte(n)
		n >>= 8
	}
	return b
}

// lengthOctets is the number of octets of n in big-endian, n > 0.
func lengthOctets(n int) int {
	k := 0
	for ; n > 0; n >>= 8 {
		k++
	}
	return k
}

// AppendTLV appends the element of identifier octet tag whose content is
// the concatenation of content.
func AppendTLV(b []byte, tag byte, content ...[]byte) []byte {
	b, start := Begin(b, tag)
	for _, c := range content {
		b = append(b, c...)
	}
	return End(b, start)
}
