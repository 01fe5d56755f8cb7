// Package certio reads certificates from files, directories and standard
// input, in PEM (many certificates a file, junk between blocks tolerated),
// DER (one or more concatenated certificates), PKCS#7 certs-only messages
// (.p7b/.p7c, DER, PEM or bare base64 as EST /cacerts serves them) or
// PKCS#12 stores (.p12/.pfx, password-protected), and parses them for
// linting. The format is recognised by content, never by file name.
//
// Every certificate keeps its Origin, and an input that cannot be read or is
// not a certificate becomes an Item with an error at the place it was found,
// so that one bad input never hides the others.
//
// Read decodes PEM files and standard input, and files of concatenated DER
// certificates, as they are read, through a window of about 64 KiB (more
// only for a larger PEM block or certificate), so that a bundle file of any
// size costs little memory. PKCS#7 and PKCS#12 inputs, bare base64, DER on
// standard input and files under 64 KiB are read whole (they are small by
// nature). Either way the items, origins and errors are the same.
package certio

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Origin says where a certificate came from.
type Origin struct {
	// File is the path as given or found in a directory walk; "-" is stdin.
	File string `json:"file"`
	// Index is the 0-based position of the certificate within File.
	Index int `json:"index"`
	// Offset is the byte offset in File of the PEM BEGIN line (also for
	// each certificate of a PEM-armoured PKCS#7 message), or of the DER
	// element (within the decoded message for bare base64 input). In a
	// PKCS#12 store it is the offset of the certificate's bag when the bag
	// is stored in clear, of the encrypted safe that holds it otherwise,
	// and 0 for stores read with legacy algorithms.
	Offset int64 `json:"offset"`
	// Line is the 1-based line of the PEM BEGIN line in File, or 0 for
	// binary input (DER, PKCS#12, bare base64 PKCS#7).
	Line int `json:"line,omitempty"`
}

// String formats o as "file[index]@offset".
func (o Origin) String() string {
	return fmt.Sprintf("%s[%d]@%d", o.File, o.Index, o.Offset)
}

// Item is one certificate read from an input, or an error that took the
// place of one. Exactly one of DER and Err is set.
type Item struct {
	Origin Origin
	DER    []byte
	Err    error
}

// InputError is an error in reading or decoding an input, located at its
// origin.
type InputError struct {
	Origin Origin
	Msg    string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%s (certificate %d, byte %d): %s", e.Origin.File, e.Origin.Index, e.Origin.Offset, e.Msg)
}

// Options control how ReadWith and DecodeWith read their inputs. The zero
// value reads every file of a directory and opens PKCS#12 stores with the
// empty password.
type Options struct {
	// Include holds glob patterns (path.Match syntax, such as "*.pem")
	// matched against the base name of each file met in a directory walk.
	// When Include is not empty, a file that matches none of them is
	// skipped silently, so that the other files of a firmware tree are not
	// reported. Paths named directly (files and Stdin) are always read.
	Include []string
	// PKCS12Password opens PKCS#12 stores. The empty string also opens
	// stores that have no password.
	PKCS12Password string

	// pkcs12Rounds, when not 0, replaces maxPKCS12Rounds (the fuzz
	// targets keep key derivation cheap with it).
	pkcs12Rounds int64
}

// Validate reports a malformed Include pattern.
func (o Options) Validate() error {
	for _, p := range o.Include {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("include pattern %q: %w", p, err)
		}
	}
	return nil
}

// included reports whether a file with base name name passes the Include
// patterns.
func (o Options) included(name string) bool {
	if len(o.Include) == 0 {
		return true
	}
	for _, p := range o.Include {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// Read returns the certificates found in paths, in order. A path is a file,
// a directory (walked recursively in lexical order, skipping names that
// start with a dot) or Stdin, which reads stdin. Read is ReadWith with zero
// Options.
func Read(paths []string, stdin io.Reader) iter.Seq[Item] {
	return ReadWith(paths, stdin, Options{})
}

// ReadWith is Read with options: a directory walk keeps only the files
// whose base name matches opts.Include, and PKCS#12 stores are opened with
// opts.PKCS12Password. A malformed Include pattern is an error Item for
// each directory walked.
func ReadWith(paths []string, stdin io.Reader, opts Options) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for _, p := range paths {
			if !readPath(p, stdin, opts, yield) {
				return
			}
		}
	}
}

func readPath(path string, stdin io.Reader, opts Options, yield func(Item) bool) bool {
	if path == Stdin {
		return readStream(path, stdin, false, opts, yield)
	}
	info, err := os.Stat(path)
	if err != nil {
		return yield(Item{Origin: Origin{File: path}, Err: &InputError{Origin{File: path}, describe(err)}})
	}
	if !info.IsDir() {
		return readFile(path, opts, yield)
	}
	if err := opts.Validate(); err != nil {
		return yield(Item{Origin: Origin{File: path}, Err: &InputError{Origin{File: path}, err.Error()}})
	}
	var files []string
	walkErr := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			files = append(files, p) // reported when read
			return nil
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) && opts.included(d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	if walkErr != nil {
		return yield(Item{Origin: Origin{File: path}, Err: &InputError{Origin{File: path}, describe(walkErr)}})
	}
	sort.Strings(files)
	for _, f := range files {
		if !readFile(f, opts, yield) {
			return false
		}
	}
	return true
}

func readFile(path string, opts Options, yield func(Item) bool) bool {
	f, err := os.Open(path)
	if err != nil {
		return yield(Item{Origin: Origin{File: path}, Err: &InputError{Origin{File: path}, describe(err)}})
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return yield(Item{Origin: Origin{File: path}, Err: &InputError{Origin{File: path}, describe(err)}})
	}
	return readStream(path, f, info.Mode().IsRegular(), opts, yield)
}

// readStream decodes the input r named name. PEM (a BEGIN line in the
// first readChunk bytes) is decoded as it is read; so are concatenated DER
// certificates in a regular file (seekable: the file is scanned once for a
// BEGIN line first, since a BEGIN line anywhere makes a file PEM). Other
// input (small files, PKCS#7, PKCS#12, base64, DER on standard input) is
// read whole and decoded by DecodeWith, which gives the same items.
func readStream(name string, r io.Reader, seekable bool, opts Options, yield func(Item) bool) bool {
	readErr := func(err error) bool {
		msg := describe(err)
		if name == Stdin {
			msg = "reading standard input: " + err.Error()
		}
		return yield(Item{Origin: Origin{File: name}, Err: &InputError{Origin{File: name}, msg}})
	}
	w := newWindow(r)
	w.fill(readChunk)
	if w.err != nil {
		return readErr(w.err)
	}
	if bytes.Contains(w.buf(), pemBegin) {
		return decodePEMStream(name, w, yield)
	}
	if w.eof {
		return DecodeWith(name, w.buf(), opts, yield)
	}
	if !seekable || !certificateDERPrefix(w.buf()) {
		rest, err := io.ReadAll(r)
		if err != nil {
			return readErr(err)
		}
		return DecodeWith(name, append(w.buf(), rest...), opts, yield)
	}
	hasPEM := w.seek(0, pemBegin) >= 0
	if w.err != nil {
		return readErr(w.err)
	}
	if _, err := r.(io.Seeker).Seek(0, io.SeekStart); err != nil {
		return readErr(err)
	}
	if hasPEM {
		return decodePEMStream(name, newWindow(r), yield)
	}
	return decodeDERStream(name, newWindow(r), yield)
}

// certificateDERPrefix reports whether data starts like a DER certificate
// longer than 127 bytes: a SEQUENCE with a long-form length whose contents
// start with a SEQUENCE. Such input is neither base64 (0x80 and above are
// not in its alphabet), nor PKCS#7 (whose contents start with an OID) nor
// PKCS#12 (an INTEGER), so DecodeWith would decode it as DER (or as PEM,
// when it has a BEGIN line).
func certificateDERPrefix(data []byte) bool {
	if len(data) < derHeaderMax || data[0] != 0x30 || data[1] < 0x81 {
		return false
	}
	n := 2 + int(data[1]&0x7f)
	return n < len(data) && data[n] == 0x30
}

func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

var pemBegin = []byte("-----BEGIN ")

// Decode yields the certificates in data, read from the input named name.
// It is DecodeWith with zero Options.
func Decode(name string, data []byte, yield func(Item) bool) bool {
	return DecodeWith(name, data, Options{}, yield)
}

// DecodeWith yields the certificates in data, read from the input named
// name. PEM is recognised by its BEGIN line, bare base64 by its alphabet,
// PKCS#7 and PKCS#12 by their ASN.1 structure; anything else is taken as
// concatenated DER. PKCS#12 stores are opened with opts.PKCS12Password.
// It returns false when yield asked to stop.
func DecodeWith(name string, data []byte, opts Options, yield func(Item) bool) bool {
	if len(bytes.TrimSpace(data)) == 0 {
		return yield(Item{Origin: Origin{File: name}, Err: &InputError{Origin{File: name}, "empty input: no certificate found"}})
	}
	if bytes.Contains(data, pemBegin) {
		return decodePEM(name, data, yield)
	}
	if raw, ok := decodeBase64(data); ok && (isPKCS7(raw) || looksLikeDER(raw)) {
		// Unarmoured base64, as EST /cacerts serves (RFC 7030 §4.1.3).
		return decodeBinary(name, raw, opts, yield)
	}
	return decodeBinary(name, data, opts, yield)
}

// decodeBinary yields the certificates of a PKCS#7 certs-only message, a
// PKCS#12 store or concatenated DER certificates.
func decodeBinary(name string, data []byte, opts Options, yield func(Item) bool) bool {
	switch {
	case isPKCS7(data):
		return decodePKCS7(name, data, 0, 0, yield)
	case isPKCS12(data):
		return decodePKCS12(name, data, opts, yield)
	}
	return decodeDER(name, data, yield)
}

// decodePKCS12 yields the certificates of the PKCS#12 store in data. An
// error (a wrong password, a store that does not decode) is one Item
// located at the start of the store; bytes after the store are an error at
// their offset.
func decodePKCS12(name string, data []byte, opts Options, yield func(Item) bool) bool {
	limit := opts.pkcs12Rounds
	if limit == 0 {
		limit = maxPKCS12Rounds
	}
	certs, n, err := pkcs12Certificates(data, opts.PKCS12Password, limit)
	for i, c := range certs {
		if !yield(Item{Origin: Origin{File: name, Index: i, Offset: int64(c.offset)}, DER: c.der}) {
			return false
		}
	}
	if err != nil {
		origin := Origin{File: name, Index: len(certs)}
		return yield(Item{Origin: origin, Err: &InputError{origin, err.Error()}})
	}
	if n < len(data) && len(bytes.TrimSpace(data[n:])) > 0 {
		origin := Origin{File: name, Index: len(certs), Offset: int64(n)}
		return yield(Item{Origin: origin, Err: &InputError{origin, "trailing data after the PKCS#12 store"}})
	}
	return true
}

// decodePKCS7 yields the certificates of a PKCS#7 message found at offset
// base of the file, numbering them from index.
func decodePKCS7(name string, data []byte, base, index int, yield func(Item) bool) bool {
	certs, err := pkcs7Certificates(data)
	for i, c := range certs {
		origin := Origin{File: name, Index: index + i, Offset: int64(base + c.offset)}
		if !yield(Item{Origin: origin, DER: c.der}) {
			return false
		}
	}
	if err != nil {
		origin := Origin{File: name, Index: index + len(certs), Offset: int64(base)}
		var located *offsetError
		if errors.As(err, &located) {
			origin.Offset += int64(located.offset)
		}
		return yield(Item{Origin: origin, Err: &InputError{origin, err.Error()}})
	}
	return true
}

// looksLikeDER reports whether data starts with a DER SEQUENCE.
func looksLikeDER(data []byte) bool {
	return len(data) > 1 && data[0] == 0x30
}

// decodeBase64 decodes data when it is nothing but standard base64 and
// white space.
func decodeBase64(data []byte) ([]byte, bool) {
	compact := make([]byte, 0, len(data))
	for _, b := range data {
		switch {
		case b == ' ' || b == '\n' || b == '\r' || b == '\t':
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '+', b == '/', b == '=':
			compact = append(compact, b)
		default:
			return nil, false
		}
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(compact)))
	n, err := base64.StdEncoding.Decode(out, compact)
	if err != nil || n == 0 {
		return nil, false
	}
	return out[:n], true
}

// decodePEM yields every CERTIFICATE block of data (see decodePEMStream).
func decodePEM(name string, data []byte, yield func(Item) bool) bool {
	return decodePEMStream(name, newWindow(bytes.NewReader(data)), yield)
}

// decodeDER yields each top-level DER SEQUENCE in data (see
// decodeDERStream).
func decodeDER(name string, data []byte, yield func(Item) bool) bool {
	return decodeDERStream(name, newWindow(bytes.NewReader(data)), yield)
}
