package c509

import (
	"math"
	"unicode/utf8"

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

// Limits of decMode, which fastReader stays within.
const (
	maxNesting  = 16
	maxElements = 4096
)

// fastReader reads the part of CBOR that C509 certificates use into the
// same Go values as decMode: unsigned integers as uint64, negative ones as
// int64, byte strings as []byte, text strings as string, arrays as []any,
// null as nil, booleans, and tag 48 (a MAC address) as cbor.Tag. Anything
// else (maps, floating-point numbers, other tags and simple values,
// indefinite lengths, reserved heads, negative integers below int64, text
// that is not UTF-8, arrays longer or nested deeper than decMode allows)
// makes it give up, and the caller reads the input with decMode instead:
// it never accepts what decMode refuses, nor reads a value differently
// (FuzzFastReader checks this on arbitrary input).
//
// It exists for speed: decMode copies every byte string, allocates every
// array on its own and checks the input in a pass of its own before
// reading it; fastReader's byte strings share the input, its arrays are
// cut from one slab, and it reads in one pass. Measured on the test
// certificates (docs/performance.md, C509 section): reading their CBOR
// took 27% of Decode's time with decMode and takes 12% with fastReader,
// and Decode allocates 28 times a certificate instead of 49.
type fastReader struct {
	data []byte
	pos  int
	slab []any  // arrays are cut from it
	text string // data as a string, once a text string needs it
}

// emptyArray is the value of an empty array (decMode's is not nil either).
var emptyArray = []any{}

// smallNegative holds -1 to -256 in interfaces, so that reading them
// allocates nothing (the runtime does this for 0 to 255 itself).
var smallNegative = func() (v [256]any) {
	for i := range v {
		v[i] = int64(-1 - i)
	}
	return v
}()

// head reads the initial byte and argument of a data item.
func (r *fastReader) head() (major, info byte, arg uint64, ok bool) {
	if r.pos >= len(r.data) {
		return 0, 0, 0, false
	}
	c := r.data[r.pos]
	r.pos++
	major, info = c>>5, c&0x1f
	switch {
	case info < 24:
		return major, info, uint64(info), true
	case info <= 27:
		n := 1 << (info - 24)
		if len(r.data)-r.pos < n {
			return 0, 0, 0, false
		}
		for _, c := range r.data[r.pos : r.pos+n] {
			arg = arg<<8 | uint64(c)
		}
		r.pos += n
		return major, info, arg, true
	}
	return 0, 0, 0, false // reserved (28–30) or indefinite length (31)
}

// item reads one data item at nesting level depth (0 outside any array).
func (r *fastReader) item(depth int) (any, bool) {
	major, info, arg, ok := r.head()
	if !ok {
		return nil, false
	}
	switch major {
	case 0:
		return arg, true
	case 1:
		if arg < uint64(len(smallNegative)) {
			return smallNegative[arg], true
		}
		if arg > math.MaxInt64 {
			return nil, false
		}
		return -1 - int64(arg), true
	case 2, 3:
		if arg > uint64(len(r.data)-r.pos) {
			return nil, false
		}
		end := r.pos + int(arg)
		b := r.data[r.pos:end:end]
		r.pos = end
		if major == 2 {
			return b, true
		}
		if !utf8.Valid(b) {
			return nil, false
		}
		if r.text == "" { // one copy of the input for all its texts
			r.text = string(r.data)
		}
		return r.text[end-len(b) : end], true
	case 4:
		// Every element takes at least a byte: a longer array is not
		// in the input, and the slab is bounded by the input's size.
		if depth+1 >= maxNesting || arg > maxElements || arg > uint64(len(r.data)-r.pos) {
			return nil, false
		}
		n := int(arg)
		if n == 0 {
			return emptyArray, true
		}
		if cap(r.slab)-len(r.slab) < n {
			r.slab = make([]any, 0, max(n, 64))
		}
		start := len(r.slab)
		r.slab = r.slab[:start+n]
		a := r.slab[start : start+n : start+n]
		for i := range a {
			if a[i], ok = r.item(depth + 1); !ok {
				return nil, false
			}
		}
		return a, true
	case 6:
		if arg != tagMAC || depth+1 >= maxNesting {
			return nil, false
		}
		content, ok := r.item(depth + 1)
		if !ok {
			return nil, false
		}
		return cbor.Tag{Number: tagMAC, Content: content}, true
	case 7:
		switch info {
		case 20:
			return false, true
		case 21:
			return true, true
		case 22:
			return nil, true
		}
	}
	return nil, false
}

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
