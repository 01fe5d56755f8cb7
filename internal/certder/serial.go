package certder

import (
	"errors"
	"fmt"
	"io"
	"math/big"
)

// RandomSerial returns a certificate serial number of 127 random bits
// from r: 16 octets with the top bit cleared, so that it is positive and
// its DER takes at most 16 octets (RFC 5280 §4.1.2.2 allows 20, and asks
// for at least 64 bits of randomness from CA/Browser Forum practice).
// A zero draw, which a working r gives with probability 2^-127, is drawn
// again.
func RandomSerial(r io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	for range 3 {
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("serial number: %w", err)
		}
		b[0] &= 0x7f
		if n := new(big.Int).SetBytes(b); n.Sign() > 0 {
			return n, nil
		}
	}
	return nil, errors.New("serial number: the random source gives only zeros")
}
