package c509

import (
	"math"

	"github.com/fxamacker/cbor/v2"
)

// encMode writes Deterministically Encoded CBOR (RFC 8949 §4.2.1), as the
// draft requires.
var encMode = func() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	return em
}()

// decMode reads C509 items: nesting and sizes are bounded so that garbage
// cannot cost more than its own length in memory.
var decMode = func() cbor.DecMode {
	dm, err := cbor.DecOptions{
		MaxNestedLevels:  16,
		MaxArrayElements: 4096,
		MaxMapPairs:      16,
		IndefLength:      cbor.IndefLengthForbidden,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return dm
}()

// tagMAC is the CBOR tag of a MAC address (RFC 9542 §2.4).
const tagMAC = 48

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

func asUint(v any) (uint64, bool) {
	n, ok := v.(uint64)
	return n, ok
}

func asBytes(v any) ([]byte, bool) {
	b, ok := v.([]byte)
	return b, ok
}

func asText(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

func asArray(v any) ([]any, bool) {
	a, ok := v.([]any)
	return a, ok
}
