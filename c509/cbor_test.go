package c509

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// nested returns n nested arrays around 0.
func nested(n int) []byte {
	return append(bytes.Repeat([]byte{0x81}, n), 0)
}

// fastReaderCases are inputs fastReader reads (want) or gives up on
// (want == giveUp).
var giveUp = struct{}{}

var fastReaderCases = []struct {
	name string
	in   []byte
	want any
}{
	{"uint", []byte{0x17}, uint64(23)},
	{"uint in a longer head than needed", []byte{0x18, 0x05}, uint64(5)},
	{"uint64", []byte{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, uint64(1<<64 - 1)},
	{"negative", []byte{0x20}, int64(-1)},
	{"smallest int64", []byte{0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, int64(-1 << 63)},
	{"below int64", []byte{0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0}, giveUp},
	{"bytes", []byte{0x43, 1, 2, 3}, []byte{1, 2, 3}},
	{"empty bytes", []byte{0x40}, []byte{}},
	{"bytes longer than the input", []byte{0x5a, 0xff, 0xff, 0xff, 0xff, 1}, giveUp},
	{"text", []byte{0x62, 'h', 'i'}, "hi"},
	{"text not UTF-8", []byte{0x62, 0xff, 0xfe}, giveUp},
	{"empty array", []byte{0x80}, []any{}},
	{"array", []byte{0x83, 0x01, 0xf6, 0x41, 7}, []any{uint64(1), nil, []byte{7}}},
	{"booleans", []byte{0x82, 0xf4, 0xf5}, []any{false, true}},
	{"array longer than the input", []byte{0x9a, 0, 1, 0, 0, 0}, giveUp},
	{"truncated array", []byte{0x82, 0x01}, giveUp},
	{"nesting decMode allows", nested(maxNesting - 1), nil},
	{"deeper nesting", nested(maxNesting), giveUp},
	{"MAC address tag", []byte{0xd8, 0x30, 0x46, 1, 2, 3, 4, 5, 6}, cbor.Tag{Number: tagMAC, Content: []byte{1, 2, 3, 4, 5, 6}}},
	{"other tag", []byte{0xc1, 0x01}, giveUp},
	{"map", []byte{0xa1, 0x01, 0x02}, giveUp},
	{"float", []byte{0xf9, 0x3c, 0x00}, giveUp},
	{"undefined", []byte{0xf7}, giveUp},
	{"simple value in two bytes", []byte{0xf8, 0x14}, giveUp},
	{"indefinite length", []byte{0x9f, 0xff}, giveUp},
	{"reserved head", []byte{0x1c}, giveUp},
	{"empty input", []byte{}, giveUp},
}

// TestFastReader checks what fastReader reads and where it gives up, and
// that what it reads is what decMode reads.
func TestFastReader(t *testing.T) {
	for _, tc := range fastReaderCases {
		t.Run(tc.name, func(t *testing.T) {
			r := fastReader{data: tc.in}
			got, ok := r.item(0)
			if tc.want == giveUp {
				if ok {
					t.Fatalf("read %#v, want it to give up", got)
				}
				return
			}
			want := tc.want
			if want == nil { // the nesting case: rebuild its value
				want = any(uint64(0))
				for range maxNesting - 1 {
					want = []any{want}
				}
			}
			if !ok || r.pos != len(tc.in) || !reflect.DeepEqual(got, want) {
				t.Fatalf("read %#v (ok %v, %d of %d bytes), want %#v", got, ok, r.pos, len(tc.in), want)
			}
			var dec any
			if err := decMode.Unmarshal(tc.in, &dec); err != nil || !reflect.DeepEqual(dec, want) {
				t.Fatalf("decMode reads %#v (%v), want %#v", dec, err, want)
			}
		})
	}
}

// TestFastReaderLongArray checks that an array longer than decMode allows
// is left to decMode.
func TestFastReaderLongArray(t *testing.T) {
	in := append([]byte{0x99, (maxElements + 1) >> 8, (maxElements + 1) & 0xff}, make([]byte, maxElements+1)...)
	r := fastReader{data: in}
	if v, ok := r.item(0); ok {
		t.Fatalf("read an array of %d elements", len(v.([]any)))
	}
	if err := decMode.Unmarshal(in, new(any)); err == nil {
		t.Fatal("decMode reads it too: the limit is not decMode's")
	}
}

// FuzzFastReader checks that fastReader accepts nothing decMode refuses
// and reads every value as decMode does.
func FuzzFastReader(f *testing.F) {
	_, c509s := seeds(f)
	for _, c := range c509s {
		f.Add(c)
	}
	for _, tc := range fastReaderCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := fastReader{data: data}
		v, ok := r.item(0)
		if !ok || r.pos != len(data) {
			return
		}
		var want any
		if err := decMode.Unmarshal(data, &want); err != nil {
			t.Fatalf("fastReader reads %x, decMode refuses it: %v", data, err)
		}
		if !reflect.DeepEqual(v, want) {
			t.Fatalf("fastReader reads %x as %#v, decMode as %#v", data, v, want)
		}
	})
}
