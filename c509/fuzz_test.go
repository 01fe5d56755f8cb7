package c509

import (
	"bytes"
	"errors"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// seeds returns the draft's examples and every generated test certificate,
// as DER and as C509.
func seeds(t testing.TB) (ders, c509s [][]byte) {
	for _, v := range readVectors(t) {
		ders = append(ders, v.der)
		c509s = append(c509s, v.c509, append([]byte{0x8b}, v.c509...))
	}
	for it := range certio.Read([]string{"../testdata/certs"}, nil) {
		if it.Err != nil {
			continue
		}
		ders = append(ders, it.DER)
		if c, err := Encode(it.DER); err == nil {
			c509s = append(c509s, c)
		}
	}
	return ders, c509s
}

// checkErr asserts that err is one of the package's two error types, and
// that a SyntaxError's offset lies within the input.
func checkErr(t *testing.T, err error, n int) {
	var se *SyntaxError
	var ue *UnsupportedError
	switch {
	case errors.As(err, &se):
		if se.Offset < -1 || se.Offset > n {
			t.Fatalf("offset %d outside the %d-byte input: %v", se.Offset, n, err)
		}
	case errors.As(err, &ue):
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
}

// FuzzDecode checks that Decode never panics, returns only *SyntaxError or
// *UnsupportedError, and that DER it returns, when Encode accepts it, comes
// back unchanged.
func FuzzDecode(f *testing.F) {
	_, c509s := seeds(f)
	for _, c := range c509s {
		f.Add(c)
	}
	f.Add([]byte{})
	f.Add([]byte{0x8b})
	f.Add([]byte{0x9f, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		der, err := Decode(data)
		if err != nil {
			checkErr(t, err, len(data))
			return
		}
		c, err := Encode(der)
		if err != nil {
			checkErr(t, err, len(der))
			return
		}
		back, err := Decode(c)
		if err != nil || !bytes.Equal(back, der) {
			t.Fatalf("Decode(Encode(der)) differs: %v", err)
		}
	})
}

// FuzzEncode checks that Encode never panics, returns only the package's
// error types, and that what it returns decodes to its input.
func FuzzEncode(f *testing.F) {
	ders, _ := seeds(f)
	for _, d := range ders {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := Encode(der)
		if err != nil {
			checkErr(t, err, len(der))
			return
		}
		back, err := Decode(c)
		if err != nil || !bytes.Equal(back, der) {
			t.Fatalf("Decode(Encode(der)) differs: %v", err)
		}
	})
}
