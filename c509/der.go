package c509

import (
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/iotcert/iotcert/internal/certder"
)

// derBuilder writes DER the way cryptobyte.Builder does, with the same
// method names, but into one buffer: a nested element's length is fixed up
// in place when the element is closed (certder.Begin and End), so that
// nesting costs no allocation.
// Only low tag numbers (below 31) are supported, which is all X.509 needs.
type derBuilder struct {
	b   []byte
	err error
}

// AddASN1 writes an element with tag whose contents f writes.
func (d *derBuilder) AddASN1(tag cbasn1.Tag, f func(*derBuilder)) {
	if d.err != nil {
		return
	}
	var start int
	d.b, start = certder.Begin(d.b, byte(tag))
	f(d)
	if d.err != nil {
		return
	}
	// The short form, by far the most common, is fixed here: a call of
	// certder.End for it cost decode about 5% (BenchmarkDecode).
	if n := len(d.b) - start; n < 0x80 {
		d.b[start-1] = byte(n)
		return
	}
	d.b = certder.End(d.b, start)
}

// AddBytes writes b as it is.
func (d *derBuilder) AddBytes(b []byte) {
	if d.err == nil {
		d.b = append(d.b, b...)
	}
}

// AddString writes s as it is.
func (d *derBuilder) AddString(s string) {
	if d.err == nil {
		d.b = append(d.b, s...)
	}
}

// AddASN1BigUint writes the INTEGER of an unsigned big-endian number
// (leading zero bytes of b are not part of it).
func (d *derBuilder) AddASN1BigUint(b []byte) {
	d.AddASN1(cbasn1.INTEGER, func(d *derBuilder) { d.AddBigUint(b) })
}

// AddBigUint writes the contents of the DER INTEGER of an unsigned
// big-endian number.
func (d *derBuilder) AddBigUint(b []byte) {
	b = biguint(b)
	if len(b) == 0 || b[0]&0x80 != 0 {
		d.AddBytes([]byte{0})
	}
	d.AddBytes(b)
}

// AddASN1OctetString writes an OCTET STRING.
func (d *derBuilder) AddASN1OctetString(b []byte) {
	d.AddASN1(cbasn1.OCTET_STRING, func(d *derBuilder) { d.AddBytes(b) })
}

// AddASN1BitString writes a BIT STRING of whole bytes.
func (d *derBuilder) AddASN1BitString(b []byte) {
	d.AddASN1(cbasn1.BIT_STRING, func(d *derBuilder) {
		d.AddBytes([]byte{0})
		d.AddBytes(b)
	})
}

// AddASN1Boolean writes a BOOLEAN.
func (d *derBuilder) AddASN1Boolean(v bool) {
	c := byte(0)
	if v {
		c = 0xff
	}
	d.AddBytes([]byte{byte(cbasn1.BOOLEAN), 1, c})
}

// AddASN1Int64 writes a non-negative INTEGER (negative values are an
// error: X.509 fields written here never are).
func (d *derBuilder) AddASN1Int64(v int64) {
	if v < 0 {
		d.SetError(errNegative)
		return
	}
	d.AddASN1Uint64(uint64(v))
}

// AddASN1Uint64 writes an INTEGER.
func (d *derBuilder) AddASN1Uint64(v uint64) {
	d.AddASN1(cbasn1.INTEGER, func(d *derBuilder) { d.AddUint(v) })
}

// AddUint writes the contents of the DER INTEGER v.
func (d *derBuilder) AddUint(v uint64) {
	var buf [9]byte
	i := len(buf)
	for ; v > 0; v >>= 8 {
		i--
		buf[i] = byte(v)
	}
	if i == len(buf) || buf[i]&0x80 != 0 {
		i--
	}
	d.AddBytes(buf[i:])
}

// SetError records the first error; writing stops.
func (d *derBuilder) SetError(err error) {
	if d.err == nil {
		d.err = err
	}
}

// Bytes returns what was written, or the first error.
func (d *derBuilder) Bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	return d.b, nil
}

// build runs f on a derBuilder and returns the bytes.
func build(f func(b *derBuilder)) ([]byte, error) {
	d := derBuilder{b: make([]byte, 0, 128)}
	f(&d)
	return d.Bytes()
}
