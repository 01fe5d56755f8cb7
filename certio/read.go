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
//
// Reading is bounded: a PEM block or DER certificate larger than
// MaxBlockSize is refused once that many bytes are read, standard input
// and files that are not regular files (pipes, devices) are read up to
// Options.MaxInputSize, and so is an input read whole. A directory walk
// never opens what is not a regular file.
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
	"syscall"
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
	// ID is the device id of the record that holds the certificate, for
	// a devices.jsonl record (see jsonl.go); "" otherwise.
	ID string `json:"id,omitempty"`
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
	// Err, when not nil, is the error the message describes, such as
	// ErrBlockTooLarge or ErrInputTooLarge, for errors.Is.
	Err error
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%s (certificate %d, byte %d): %s", e.Origin.File, e.Origin.Index, e.Origin.Offset, e.Msg)
}

// Unwrap returns e.Err.
func (e *InputError) Unwrap() error { return e.Err }

// errorItem returns the Item of an error with message msg at origin.
func errorItem(origin Origin, msg string, err error) Item {
	return Item{Origin: origin, Err: &InputError{Origin: origin, Msg: msg, Err: err}}
}

// Size limits; see Options.MaxInputSize.
const (
	// MaxBlockSize is the largest PEM block (from its BEGIN line to the
	// end of its END line, as text) and the largest DER element of a file
	// of concatenated DER certificates that Read accepts: 1 MiB. A larger
	// one is refused (ErrBlockTooLarge) once MaxBlockSize bytes of it are
	// read, without holding the rest; real certificates are a few KiB.
	MaxBlockSize = 1 << 20
	// DefaultMaxInputSize is the default of Options.MaxInputSize: 256 MiB.
	DefaultMaxInputSize = 256 << 20
)

var (
	// ErrNoCertificate is wrapped by the error of an input that is empty
	// and by Stats.NoCertificate.
	ErrNoCertificate = errors.New("no certificate found")
	// ErrBlockTooLarge is wrapped by the error of a PEM block or DER
	// element larger than MaxBlockSize.
	ErrBlockTooLarge = errors.New("larger than the block size limit")
	// ErrInputTooLarge is wrapped by the error of an input that goes on
	// past Options.MaxInputSize where that limit applies.
	ErrInputTooLarge = errors.New("input larger than the size limit")
	// ErrPKCS12Password is wrapped by the error of a PKCS#12 store that
	// Options.PKCS12Password does not open (or that needs a password when
	// none was given). A program says how its user gives the password.
	ErrPKCS12Password = errors.New("PKCS#12: wrong password")
)

// Options control how ReadWith and DecodeWith read their inputs. The zero
// value reads every file of a directory, opens PKCS#12 stores with the
// empty password, reports an empty input as an error and reads up to
// DefaultMaxInputSize where that limit applies.
type Options struct {
	// Include holds glob patterns (path.Match syntax, such as "*.pem").
	// A file met in a directory walk is read when a pattern matches its
	// base name or its path relative to the walked directory, with "/"
	// between names ("certs/*.pem"; "*" does not match "/"). When Include
	// is not empty, a file that matches none of them is skipped silently
	// (and counted in Stats.Excluded), so that the other files of a
	// firmware tree are not reported. Paths named directly (files and
	// Stdin) are always read.
	Include []string
	// PKCS12Password opens PKCS#12 stores. The empty string also opens
	// stores that have no password.
	PKCS12Password string
	// AllowEmpty makes an empty input (no bytes, or white space only)
	// yield no Item; by default it is an error that wraps
	// ErrNoCertificate.
	AllowEmpty bool
	// MaxInputSize bounds, in bytes, what is read from standard input
	// and from a file named directly that is not a regular file (a named
	// pipe, a device), and any input that is read whole (PKCS#7, PKCS#12,
	// bare base64, DER on standard input). Past it, reading stops with an
	// error that wraps ErrInputTooLarge. Regular files are otherwise read
	// to their end: their size is known and PEM and DER are decoded
	// through a small window. 0 means DefaultMaxInputSize.
	MaxInputSize int64
	// Stats, when not nil, counts what ReadWith reads; see Stats. The
	// iterator ReadWith returns writes it: read it once the items are
	// consumed.
	Stats *Stats

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

// included reports whether the file at path p, found in a walk of the
// directory root, passes the Include patterns: one matches its base name
// or its slash-separated path relative to root.
func (o Options) included(root, p string) bool {
	if len(o.Include) == 0 {
		return true
	}
	rel, err := filepath.Rel(root, p)
	if err != nil {
		rel = p
	}
	rel = filepath.ToSlash(rel)
	base := path.Base(rel)
	for _, pat := range o.Include {
		if ok, _ := path.Match(pat, base); ok {
			return true
		}
		if ok, _ := path.Match(pat, rel); ok {
			return true
		}
	}
	return false
}

// maxInputSize returns o.MaxInputSize or its default.
func (o Options) maxInputSize() int64 {
	if o.MaxInputSize > 0 {
		return o.MaxInputSize
	}
	return DefaultMaxInputSize
}

// Stats counts what a ReadWith call read, so that a caller can tell an
// input that held no certificate (an empty directory, an Include that
// matches nothing) from one that did, and say what was read.
type Stats struct {
	// Paths are the paths ReadWith was given.
	Paths []string
	// Files counts the inputs opened and read (files, and Stdin).
	Files int
	// Bytes counts the bytes those inputs hold (a regular file's size,
	// or what was read from the others).
	Bytes int64
	// Excluded counts the files of directory walks that match no Include
	// pattern.
	Excluded int
	// Skipped lists, in walk order, the entries of directory walks that
	// are not regular files (named pipes, devices, sockets), also behind
	// a symbolic link: they are never opened.
	Skipped []Skipped
	// Certificates and Errors count the Items with a certificate and
	// those with an error.
	Certificates, Errors int
	// PrivateKeys counts the private keys skipped: PEM "PRIVATE KEY"
	// blocks of any kind (key.pem files, keys beside certificates), key
	// reference files (key.ref), DER key files (PKCS#8, SEC1 or PKCS#1,
	// parsed only to be recognised) and the keys of devices.jsonl
	// records. They are never printed, and never an error.
	PrivateKeys int
	// Journals counts the inputs skipped as issuance journals
	// (journal.jsonl): JSON lines that record issuance, not certificates.
	Journals int
	// NativeC509 counts the natively signed C509 certificates skipped
	// (cert.c509 files of "iotcert gen"): they have no X.509 form.
	NativeC509 int
}

// SkippedKeys describes the private keys, journals and natively signed
// C509 certificates s counted, as "12 private keys, 1 journal", or ""
// when there are none.
func (s *Stats) SkippedKeys() string {
	var parts []string
	if s.PrivateKeys > 0 {
		parts = append(parts, plural(s.PrivateKeys, "private key"))
	}
	if s.Journals > 0 {
		parts = append(parts, plural(s.Journals, "journal"))
	}
	if s.NativeC509 > 0 {
		parts = append(parts, plural(s.NativeC509, "natively signed C509 certificate"))
	}
	return strings.Join(parts, ", ")
}

// Skipped is an entry of a directory walk that was not read because it is
// not a regular file.
type Skipped struct {
	Path string      // as found in the walk
	Mode fs.FileMode // the type of the entry, or of its link target
}

// String describes s: "DIR/fifo: a named pipe, not a regular file".
func (s Skipped) String() string {
	kind := "not a regular file"
	switch {
	case s.Mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe, " + kind
	case s.Mode&fs.ModeCharDevice != 0:
		kind = "a character device, " + kind
	case s.Mode&fs.ModeDevice != 0:
		kind = "a device, " + kind
	case s.Mode&fs.ModeSocket != 0:
		kind = "a socket, " + kind
	}
	return s.Path + ": " + kind
}

// NoCertificate returns nil when the read counted by s yielded a
// certificate, and otherwise an error that wraps ErrNoCertificate and says
// what was read: "no certificate found in DIR: 0 inputs read (0 bytes);
// 3 files excluded by the include patterns".
func (s *Stats) NoCertificate() error {
	if s.Certificates > 0 {
		return nil
	}
	names := make([]string, len(s.Paths))
	for i, p := range s.Paths {
		names[i] = p
		if p == Stdin {
			names[i] = "standard input"
		}
	}
	msg := fmt.Sprintf("in %s: %s read (%d bytes)", strings.Join(names, ", "), plural(s.Files, "input"), s.Bytes)
	if s.Errors > 0 {
		msg += fmt.Sprintf("; %s", plural(s.Errors, "input error"))
	}
	if s.Excluded > 0 {
		msg += fmt.Sprintf("; %s excluded by the include patterns", plural(s.Excluded, "file"))
	}
	if len(s.Skipped) > 0 {
		msg += fmt.Sprintf("; %s skipped (not regular files)", plural(len(s.Skipped), "entry"))
	}
	if k := s.SkippedKeys(); k != "" {
		msg += "; skipped " + k
	}
	return fmt.Errorf("%w %s", ErrNoCertificate, msg)
}

// plural returns "1 file", "2 files"; "entry" becomes "entries", "key"
// "keys".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ey") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Read returns the certificates found in paths, in order. A path is a file,
// a directory (walked recursively in lexical order, skipping names that
// start with a dot) or Stdin, which reads stdin. Read is ReadWith with zero
// Options.
func Read(paths []string, stdin io.Reader) iter.Seq[Item] {
	return ReadWith(paths, stdin, Options{})
}

// ReadWith is Read with options: a directory walk keeps only the files
// that opts.Include matches, PKCS#12 stores are opened with
// opts.PKCS12Password, sizes are bounded by opts.MaxInputSize, and what
// is read is counted in opts.Stats. A malformed Include pattern is an
// error Item for each directory walked.
func ReadWith(paths []string, stdin io.Reader, opts Options) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		if st := opts.Stats; st != nil {
			st.Paths = append(st.Paths, paths...)
			next := yield
			yield = func(it Item) bool {
				if it.Err != nil {
					st.Errors++
				} else {
					st.Certificates++
				}
				return next(it)
			}
		}
		for _, p := range paths {
			if !readPath(p, stdin, opts, yield) {
				return
			}
		}
	}
}

func readPath(path string, stdin io.Reader, opts Options, yield func(Item) bool) bool {
	if path == Stdin {
		opts.count(1, 0)
		return readStream(path, stdin, false, opts, yield)
	}
	info, err := os.Stat(path)
	if err != nil {
		return yield(errorItem(Origin{File: path}, describe(err), err))
	}
	if !info.IsDir() {
		return readFile(path, os.O_RDONLY, opts, yield)
	}
	if err := opts.Validate(); err != nil {
		return yield(errorItem(Origin{File: path}, err.Error(), err))
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
		switch {
		case d.IsDir():
		case !opts.included(path, p):
			if opts.Stats != nil {
				opts.Stats.Excluded++
			}
		default:
			files = append(files, p)
		}
		return nil
	})
	if walkErr != nil {
		return yield(errorItem(Origin{File: path}, describe(walkErr), walkErr))
	}
	sort.Strings(files)
	for _, f := range files {
		if !readWalked(f, opts, yield) {
			return false
		}
	}
	return true
}

// special is the file types a directory walk never opens.
const special = fs.ModeNamedPipe | fs.ModeDevice | fs.ModeCharDevice | fs.ModeSocket | fs.ModeIrregular

// readWalked reads the file at path, found in a directory walk, unless
// it, or the target of the symbolic link it is, is not a regular file: a
// named pipe would block, a device could be endless. Those are recorded
// in opts.Stats and skipped. The file is opened without blocking, so that
// an entry replaced by a named pipe since it was looked at cannot hang the
// walk either; it is skipped too.
func readWalked(path string, opts Options, yield func(Item) bool) bool {
	if info, err := os.Stat(path); err == nil && info.Mode()&special != 0 {
		opts.skip(path, info.Mode())
		return true
	}
	return readFile(path, os.O_RDONLY|syscall.O_NONBLOCK, opts, yield)
}

// skip records an entry of a walk that is not read.
func (o Options) skip(path string, mode fs.FileMode) {
	if o.Stats != nil {
		o.Stats.Skipped = append(o.Stats.Skipped, Skipped{Path: path, Mode: mode.Type()})
	}
}

// count adds an input of size bytes to o.Stats.
func (o Options) count(files int, size int64) {
	if o.Stats != nil {
		o.Stats.Files += files
		o.Stats.Bytes += size
	}
}

// readFile opens the file at path with flag and reads it. A file that is
// not a regular file (a named pipe, a device named directly) is read up to
// opts.MaxInputSize; opened without blocking (from a walk), it is skipped.
func readFile(path string, flag int, opts Options, yield func(Item) bool) bool {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return yield(errorItem(Origin{File: path}, describe(err), err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return yield(errorItem(Origin{File: path}, describe(err), err))
	}
	if flag&syscall.O_NONBLOCK != 0 && info.Mode()&special != 0 {
		opts.skip(path, info.Mode())
		return true
	}
	regular := info.Mode().IsRegular()
	if regular {
		opts.count(1, info.Size())
	} else {
		opts.count(1, 0) // readStream counts the bytes
	}
	return readStream(path, f, regular, opts, yield)
}

// readStream decodes the input r named name. PEM (a BEGIN line in the
// first readChunk bytes) is decoded as it is read; so are concatenated DER
// certificates in a regular file (seekable: the file is scanned once for a
// BEGIN line first, since a BEGIN line anywhere makes a file PEM). Other
// input that starts like DER (PKCS#7, PKCS#12, DER on standard input) is
// read whole, up to opts.MaxInputSize, and decoded by DecodeWith; the rest
// (junk before a PEM block, bare base64, no certificate at all) is scanned
// for a BEGIN line by decodeScanned. Input that cannot seek (standard
// input, pipes, devices) is read up to opts.MaxInputSize.
func readStream(name string, r io.Reader, seekable bool, opts Options, yield func(Item) bool) bool {
	limit := opts.maxInputSize()
	if !seekable {
		c := &cappedReader{r: r, left: limit, limit: limit}
		defer func() { opts.count(0, limit-c.left) }()
		r = c
	}
	w := opts.newWindow(r)
	w.fill(readChunk)
	switch {
	case w.err == nil && isJSONLines(w.buf()):
		return decodeJSONL(name, w, yield)
	case w.err == nil && w.eof && isKeyRef(w.buf()):
		return opts.skipKeyRef()
	case w.err == nil && w.eof && c509Type(w.buf()) != 0:
		return opts.decodeC509(name, c509Type(w.buf()), yield)
	case bytes.Contains(w.buf(), pemBegin):
		return decodePEMStream(name, w, yield) // reports w.err after the blocks
	case w.err != nil:
		return yield(readError(name, w.end(), w.err))
	case w.eof:
		return DecodeWith(name, w.buf(), opts, yield)
	case seekable && certificateDERPrefix(w.buf()):
		hasPEM := w.seek(0, pemBegin) >= 0
		if w.err != nil {
			return yield(readError(name, w.end(), w.err))
		}
		if _, err := r.(io.Seeker).Seek(0, io.SeekStart); err != nil {
			return yield(readError(name, 0, err))
		}
		if hasPEM {
			return decodePEMStream(name, opts.newWindow(r), yield)
		}
		return decodeDERStream(name, newWindow(r), yield)
	case w.buf()[0] == 0x30:
		held := w.end()
		rest, err := io.ReadAll(&cappedReader{r: r, left: limit - held, limit: limit})
		if err != nil {
			return yield(readError(name, held+int64(len(rest)), err))
		}
		return DecodeWith(name, append(w.buf(), rest...), opts, yield)
	}
	return decodeScanned(name, w, opts, yield)
}

// readError is the Item of an error in reading the input name after its
// first offset bytes.
func readError(name string, offset int64, err error) Item {
	msg := describe(err)
	if name == Stdin {
		msg = "reading standard input: " + err.Error()
	}
	return errorItem(Origin{File: name, Offset: offset}, msg, err)
}

// cappedReader reads from r up to left bytes; a read past them fails with
// an error that wraps ErrInputTooLarge.
type cappedReader struct {
	r     io.Reader
	left  int64
	limit int64 // for the message
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte says whether the input goes on.
		var one [1]byte
		for {
			n, err := c.r.Read(one[:])
			if n > 0 {
				return 0, fmt.Errorf("%w: more than %d bytes", ErrInputTooLarge, c.limit)
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// decodeScanned decodes input whose first readChunk bytes hold no BEGIN
// line and do not start like DER: junk before a PEM block, bare base64 (as
// EST /cacerts serves it), or no certificate at all (a firmware image,
// /dev/zero). It looks for a BEGIN line through the window, so memory
// stays bounded whatever the input's size, and keeps a copy of the input
// only while it may still be bare base64 (the base64 alphabet and white
// space), to decode it whole. Without a BEGIN line, the error is the one
// DecodeWith gives for the whole input: its first bytes are not a DER
// SEQUENCE.
func decodeScanned(name string, w *window, opts Options, yield func(Item) bool) bool {
	head := bytes.Clone(w.buf()[:derHeaderMax])
	keep := &base64Copy{limit: opts.maxInputSize()}
	keep.Write(w.buf())
	r := w.r
	w.r = io.TeeReader(r, keep)
	at := w.seek(w.base, pemBegin)
	w.r = r
	switch {
	case at >= 0:
		return decodePEMStream(name, w, yield)
	case w.err != nil:
		return yield(readError(name, w.end(), w.err))
	case keep.over:
		origin := Origin{File: name, Offset: keep.limit}
		err := fmt.Errorf("%w: bare base64 is read whole, and this input has more than %d bytes", ErrInputTooLarge, keep.limit)
		return yield(errorItem(origin, err.Error(), err))
	case keep.data != nil:
		return DecodeWith(name, keep.data, opts, yield)
	}
	origin := Origin{File: name}
	msg := "not a certificate: neither PEM nor a complete DER element"
	if n, ok := derLength(head); ok && n <= w.end() {
		msg = fmt.Sprintf("not a certificate: DER element has tag 0x%02x, want SEQUENCE", head[0])
	}
	return yield(errorItem(origin, msg, nil))
}

// base64Copy keeps what is written to it as long as all of it is in the
// base64 alphabet or white space (what decodeBase64 accepts) and within
// limit bytes.
type base64Copy struct {
	data  []byte
	limit int64
	gone  bool // not base64
	over  bool // base64, but more than limit bytes
}

func (k *base64Copy) Write(p []byte) (int, error) {
	switch {
	case k.gone:
	case !base64Text(p):
		k.gone, k.over, k.data = true, false, nil
	case k.over:
	case int64(len(k.data)+len(p)) > k.limit:
		k.over, k.data = true, nil
	default:
		k.data = append(k.data, p...)
	}
	return len(p), nil
}

// base64Text reports whether p holds only the base64 alphabet and the
// white space decodeBase64 skips.
func base64Text(p []byte) bool {
	for _, b := range p {
		switch {
		case b == ' ' || b == '\n' || b == '\r' || b == '\t':
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '+', b == '/', b == '=':
		default:
			return false
		}
	}
	return true
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
		if opts.AllowEmpty {
			return true
		}
		return yield(errorItem(Origin{File: name}, "empty input: no certificate found", ErrNoCertificate))
	}
	switch {
	case isJSONLines(data):
		return decodeJSONL(name, opts.windowOver(data), yield)
	case isKeyRef(data):
		return opts.skipKeyRef()
	case c509Type(data) != 0:
		return opts.decodeC509(name, c509Type(data), yield)
	case bytes.Contains(data, pemBegin):
		return decodePEMStream(name, opts.windowOver(data), yield)
	}
	if raw, ok := decodeBase64(data); ok && (isPKCS7(raw) || looksLikeDER(raw)) {
		// Unarmoured base64, as EST /cacerts serves (RFC 7030 §4.1.3).
		return decodeBinary(name, raw, opts, yield)
	}
	return decodeBinary(name, data, opts, yield)
}

// decodeBinary yields the certificates of a PKCS#7 certs-only message, a
// PKCS#12 store or concatenated DER certificates. A DER private key
// (PKCS#8, SEC1 or PKCS#1) is skipped and counted, as a PEM key is.
func decodeBinary(name string, data []byte, opts Options, yield func(Item) bool) bool {
	switch {
	case isPKCS7(data):
		return decodePKCS7(name, data, 0, 0, yield)
	case isPKCS12(data):
		return decodePKCS12(name, data, opts, yield)
	case isDERPrivateKey(data):
		return opts.skipKeyRef()
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
		return yield(errorItem(origin, err.Error(), err))
	}
	if n < len(data) && len(bytes.TrimSpace(data[n:])) > 0 {
		origin := Origin{File: name, Index: len(certs), Offset: int64(n)}
		return yield(errorItem(origin, "trailing data after the PKCS#12 store", nil))
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
		return yield(errorItem(origin, err.Error(), err))
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
