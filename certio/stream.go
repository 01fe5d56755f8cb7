package certio

import (
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// This file decodes PEM and concatenated DER incrementally, from a reader,
// so that a bundle file of any size is read with a small window: memory
// is bounded by the largest PEM block or DER certificate (with the junk
// around it up to the next BEGIN or END line), not by the file. Items,
// offsets, lines and error messages are those of decoding the whole file
// at once (reference_test.go holds that decoder and checks it).

// readChunk is how many bytes a window asks its reader for at a time.
const readChunk = 64 << 10

// window is a sliding view of a stream: the bytes from absolute offset
// base on, of which buf holds those read so far and not discarded.
type window struct {
	r     io.Reader
	data  []byte // backing array; buf is data[lo:hi]
	lo    int
	hi    int
	base  int64 // absolute offset of data[lo]
	lines int   // newlines before base
	eof   bool
	err   error  // a read error other than io.EOF
	stats *Stats // counts the private keys skipped (see skipKey), or nil
	keys  int    // private keys skipped
}

func newWindow(r io.Reader) *window { return &window{r: r} }

// buf returns the bytes held, from base on.
func (w *window) buf() []byte { return w.data[w.lo:w.hi] }

// end returns the absolute offset just past the bytes held.
func (w *window) end() int64 { return w.base + int64(w.hi-w.lo) }

// more reads more bytes into the window. It returns false at the end of
// input or on a read error (kept in w.err).
func (w *window) more() bool {
	if w.eof {
		return false
	}
	if len(w.data)-w.hi < readChunk/2 {
		held := w.hi - w.lo
		if w.lo > 0 && held+readChunk <= len(w.data) {
			copy(w.data, w.data[w.lo:w.hi])
		} else {
			grown := make([]byte, max(2*len(w.data), held+readChunk))
			copy(grown, w.data[w.lo:w.hi])
			w.data = grown
		}
		w.lo, w.hi = 0, held
	}
	for {
		n, err := w.r.Read(w.data[w.hi:])
		w.hi += n
		if err != nil {
			w.eof = true
			if !errors.Is(err, io.EOF) {
				w.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// fill reads until the window holds the bytes up to absolute offset to
// (exclusive) or the input ends. It reports whether they are held.
func (w *window) fill(to int64) bool {
	for w.end() < to {
		if !w.more() {
			return w.end() >= to
		}
	}
	return true
}

// discardTo drops the bytes before absolute offset to, counting their
// newlines.
func (w *window) discardTo(to int64) {
	k := int(to - w.base)
	w.lines += bytes.Count(w.data[w.lo:w.lo+k], []byte{'\n'})
	w.lo += k
	w.base = to
}

// seek discards input up to the next occurrence of pat at or after
// absolute offset from (which must be held) and returns its offset, or
// returns -1 at the end of input, having discarded everything.
func (w *window) seek(from int64, pat []byte) int64 {
	w.discardTo(from)
	for {
		if i := bytes.Index(w.buf(), pat); i >= 0 {
			w.discardTo(w.base + int64(i))
			return w.base
		}
		// Keep a tail that may start an occurrence.
		if keep := int64(len(pat) - 1); w.end()-w.base > keep {
			w.discardTo(w.end() - keep)
		}
		if !w.more() {
			w.discardTo(w.end())
			return -1
		}
	}
}

// first returns the absolute offset of the first occurrence at or after
// from of a or b, and which one it is (0 for a, 1 for b), reading as far
// as needed and keeping what it reads. It returns -1 when neither occurs,
// and tooFar when neither starts before until: it then stops reading soon
// after until.
func (w *window) first(from, until int64, a, b []byte) (int64, int) {
	scanned := from // occurrences starting before scanned were ruled out
	for {
		rel := w.buf()[scanned-w.base:]
		at, which := int64(-1), 0
		ia, ib := bytes.Index(rel, a), bytes.Index(rel, b)
		switch {
		case ia >= 0 && (ib < 0 || ia < ib):
			at = scanned + int64(ia)
		case ib >= 0:
			at, which = scanned+int64(ib), 1
		}
		switch {
		case at >= until:
			return tooFar, 0
		case at >= 0:
			return at, which
		}
		if keep := int64(max(len(a), len(b)) - 1); w.end()-keep > scanned {
			scanned = w.end() - keep
		}
		if scanned >= until {
			return tooFar, 0
		}
		if !w.more() {
			return -1, 0
		}
	}
}

// tooFar is what first returns when what it looks for is not within the
// bound it was given.
const tooFar = -2

var pemEnd = []byte("-----END ")

// certificateBlock reports whether a PEM block of type typ holds
// certificates (PKCS7 and CMS blocks are read as PKCS#7 messages).
func certificateBlock(typ string) bool {
	return typ == "CERTIFICATE" || typ == "X509 CERTIFICATE"
}

// pemType returns the type named by the BEGIN line at the start of b, or
// "" when b does not hold one.
func pemType(b []byte) string {
	rest := b[len(pemBegin):]
	if i := bytes.Index(rest, []byte("-----")); i >= 0 && bytes.IndexByte(rest[:i], '\n') < 0 {
		return string(rest[:i])
	}
	return ""
}

// decodePEMStream yields every CERTIFICATE block of the PEM input in w. A
// block that is not closed before the next BEGIN line or the end of input,
// or whose body does not decode, is an error at its offset; reading goes
// on with the next block.
func decodePEMStream(name string, w *window, yield func(Item) bool) bool {
	index := 0
	var other []string
	pos := w.base
	for {
		start := w.seek(pos, pemBegin)
		if start < 0 {
			break
		}
		line := w.lines + 1
		origin := Origin{File: name, Index: index, Offset: start, Line: line}
		until := start + MaxBlockSize
		at, which := w.first(start+1, until, pemBegin, pemEnd)
		stop := int64(0)
		if at >= 0 && which == 1 {
			// Include the END line itself, up to the next BEGIN line.
			var nl int
			switch stop, nl = w.first(at+int64(len(pemEnd)), until, []byte{'\n'}, pemBegin); {
			case stop == -1:
				stop = w.end()
			case stop >= 0 && nl == 0:
				stop++
			}
		}
		if at == tooFar || stop == tooFar {
			// Refused without reading further; reading goes on with the
			// next BEGIN line. Other blocks (a large CRL) are skipped.
			pos = start + 1
			typ := pemType(w.buf()[start-w.base:])
			if typ != "" && w.skipKey(typ) {
				continue
			}
			if typ != "" && !certificateBlock(typ) && typ != "PKCS7" && typ != "CMS" {
				other = append(other, typ)
				continue
			}
			index++
			err := fmt.Errorf("%w: PEM block larger than %d bytes, not read", ErrBlockTooLarge, MaxBlockSize)
			if !yield(errorItem(origin, err.Error(), err)) {
				return false
			}
			continue
		}
		if at < 0 && w.err != nil {
			// Reading failed (or went past the size limit) in the block.
			return yield(errorItem(origin, "reading: "+describe(w.err), w.err))
		}
		if at < 0 || which == 0 {
			// No END line before the next BEGIN line (at) or the end.
			where := "end of input"
			if at >= 0 {
				where = fmt.Sprintf("the next BEGIN line at byte %d", at)
			} else {
				at = w.end()
			}
			index++
			if !yield(errorItem(origin, "truncated PEM block: no END line before "+where, nil)) {
				return false
			}
			pos = at
			continue
		}
		block, _ := pem.Decode(w.buf()[start-w.base : stop-w.base])
		pos = stop
		switch {
		case block == nil:
			index++
			if !yield(errorItem(origin, "malformed PEM block: bad BEGIN/END lines or base64 body", nil)) {
				return false
			}
		case block.Type == "PKCS7" || block.Type == "CMS":
			n := index
			// Certificates inside the block are located at its BEGIN line.
			if !decodePKCS7(name, block.Bytes, int(start), index, func(it Item) bool {
				n++
				it.Origin.Offset, it.Origin.Line = start, line
				if ie, ok := it.Err.(*InputError); ok {
					ie.Origin.Offset, ie.Origin.Line = start, line
				}
				return yield(it)
			}) {
				return false
			}
			index = n
		case certificateBlock(block.Type):
			index++
			if len(block.Bytes) == 0 {
				if !yield(errorItem(origin, "empty CERTIFICATE PEM block", nil)) {
					return false
				}
				continue
			}
			if !yield(Item{Origin: origin, DER: block.Bytes}) {
				return false
			}
		default:
			// Keys, CSRs and CRLs travel with certificates; they are not
			// certificates and are skipped (their contents never printed);
			// private keys are counted.
			if !w.skipKey(block.Type) {
				other = append(other, block.Type)
			}
		}
	}
	if w.err != nil {
		origin := Origin{File: name, Index: index, Offset: w.end()}
		return yield(errorItem(origin, "reading: "+describe(w.err), w.err))
	}
	if msg := noCertificateBlock(other, w.keys); index == 0 && msg != "" {
		return yield(errorItem(Origin{File: name}, msg, nil))
	}
	return true
}

// derHeaderMax is more than the longest identifier and length octets
// cryptobyte accepts.
const derHeaderMax = 16

// derLength returns the length of the DER element at the start of b (its
// header and contents) as its identifier and length octets say, or false
// when they are incomplete or malformed. It accepts exactly the headers
// cryptobyte's ReadAnyASN1Element accepts: a low tag number and a length
// in the shortest form, of at most four octets.
func derLength(b []byte) (int64, bool) {
	if len(b) < 2 || b[0]&0x1f == 0x1f {
		return 0, false
	}
	l := b[1]
	if l&0x80 == 0 {
		return 2 + int64(l), true
	}
	n := int(l & 0x7f)
	if n == 0 || n > 4 || len(b) < 2+n || b[2] == 0 {
		return 0, false
	}
	var length int64
	for _, c := range b[2 : 2+n] {
		length = length<<8 | int64(c)
	}
	if length < 0x80 {
		return 0, false
	}
	return int64(2+n) + length, true
}

// decodeDERStream yields each top-level DER SEQUENCE of the input in w.
// Reading stops at the first element that is not a complete SEQUENCE,
// since DER has no way to find the start of the next one. Each DER is a
// copy: the window is reused.
func decodeDERStream(name string, w *window, yield func(Item) bool) bool {
	index := 0
	pos := int64(0)
	for {
		w.discardTo(pos)
		w.fill(pos + derHeaderMax)
		if len(w.buf()) == 0 {
			break
		}
		origin := Origin{File: name, Index: index, Offset: pos}
		n, ok := derLength(w.buf())
		switch {
		case ok && n > MaxBlockSize && w.fill(pos+MaxBlockSize+1):
			// Refused without reading further (an input that ends sooner
			// is reported as truncated, below). DER has no way to find
			// the start of the next element: reading stops.
			err := fmt.Errorf("%w: DER element of %d bytes, more than %d", ErrBlockTooLarge, n, MaxBlockSize)
			return yield(errorItem(origin, err.Error(), err))
		case ok && n > int64(len(w.buf())):
			w.fill(pos + n)
		}
		s := cryptobyte.String(w.buf())
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&elem, &tag) {
			if w.err != nil {
				return yield(errorItem(origin, "reading: "+describe(w.err), w.err))
			}
			msg := "not a certificate: neither PEM nor a complete DER element"
			if w.buf()[0] == 0x30 {
				msg = "truncated or malformed DER: the SEQUENCE length runs past the end of input"
			}
			return yield(errorItem(origin, msg, nil))
		}
		index++
		if tag != cbasn1.SEQUENCE {
			return yield(errorItem(origin, fmt.Sprintf("not a certificate: DER element has tag 0x%02x, want SEQUENCE", uint8(tag)), nil))
		}
		if !yield(Item{Origin: origin, DER: bytes.Clone(elem)}) {
			return false
		}
		pos += int64(len(elem))
		// Trailing newlines after a DER file are harmless.
		if w.onlySpaceFrom(pos) {
			break
		}
	}
	if w.err != nil {
		origin := Origin{File: name, Index: index, Offset: w.end()}
		return yield(errorItem(origin, "reading: "+describe(w.err), w.err))
	}
	return true
}

// onlySpaceFrom reports whether the input from absolute offset from to
// its end is white space (as bytes.TrimSpace sees it). It reads only as
// far as the first other character, and no further than MaxBlockSize
// bytes: more white space than that is not taken for a harmless end.
func (w *window) onlySpaceFrom(from int64) bool {
	scanned := from
	for {
		if scanned-from > MaxBlockSize {
			return false
		}
		rest := w.buf()[scanned-w.base:]
		trimmed := bytes.TrimLeftFunc(rest, unicode.IsSpace)
		if len(trimmed) > 0 && (utf8.FullRune(trimmed) || w.eof) {
			return false
		}
		scanned += int64(len(rest) - len(trimmed))
		if !w.more() {
			return w.end() == scanned
		}
	}
}
