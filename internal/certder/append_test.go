package certder

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// TestAppendMatchesCryptobyte checks that Begin and End write what
// cryptobyte writes, for contents on both sides of each change in the
// length's size, nested and not.
func TestAppendMatchesCryptobyte(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 129, 255, 256, 257, 65535, 65536, 70000} {
		content := bytes.Repeat([]byte{0xa5}, n)
		var cb cryptobyte.Builder
		cb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1OctetString(content)
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(content[:n/2]) })
		})
		want, err := cb.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		b, seq := Begin([]byte{0xff}, TagSequence)
		b = AppendTLV(b, TagOctetString, content)
		b, set := Begin(b, TagSet)
		b = append(b, content[:n/2]...)
		b = End(b, set)
		got := End(b, seq)
		if got[0] != 0xff || !bytes.Equal(got[1:], want) {
			t.Errorf("content of %d octets: got %x..., want %x...", n, got[:min(len(got), 12)], want[:min(len(want), 11)])
		}
	}
}
