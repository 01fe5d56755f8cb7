package p256

import (
	"bytes"
	"crypto/elliptic"
	"testing"
)

// FuzzDecompressY holds DecompressY to crypto/elliptic.UnmarshalCompressed
// on any 32-byte x and either parity: the same refusals, the same y.
// Run it longer with: go test ./internal/p256 -run '^$' -fuzz FuzzDecompressY -fuzztime 1m
func FuzzDecompressY(f *testing.F) {
	params := elliptic.P256().Params()
	f.Add(params.Gx.FillBytes(make([]byte, 32)), true)
	f.Add(params.P.FillBytes(make([]byte, 32)), false)
	f.Add(make([]byte, 32), false)
	f.Add(bytes.Repeat([]byte{0xff}, 32), true)
	f.Fuzz(func(t *testing.T, x []byte, odd bool) {
		if len(x) != 32 {
			return
		}
		sameAsStdlib(t, x, odd)
	})
}
