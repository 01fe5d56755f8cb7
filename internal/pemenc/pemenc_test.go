package pemenc

import (
	"bytes"
	"encoding/pem"
	"testing"
)

// TestEncodeMatchesEncodingPEM compares Encode with pem.EncodeToMemory
// for every length up to a few lines and some longer ones.
func TestEncodeMatchesEncodingPEM(t *testing.T) {
	for _, n := range append([]int{500, 1000, 4095, 4096, 4097}, func() []int {
		var all []int
		for n := 0; n <= 200; n++ {
			all = append(all, n)
		}
		return all
	}()...) {
		der := make([]byte, n)
		for i := range der {
			der[i] = byte(i*7 + n)
		}
		for _, typ := range []string{"CERTIFICATE", "PRIVATE KEY"} {
			want := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
			if got := Encode(typ, der); !bytes.Equal(got, want) {
				t.Fatalf("%s of %d octets:\n%s\nwant\n%s", typ, n, got, want)
			}
		}
	}
}
