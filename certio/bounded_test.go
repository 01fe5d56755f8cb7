package certio_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// describe reads paths with opts and describes each item: "FILE[i]@off ok"
// or "FILE[i]@off: message", FILE relative to dir.
func describe(t *testing.T, dir string, paths []string, stdin io.Reader, opts certio.Options) []string {
	t.Helper()
	var out []string
	for it := range certio.ReadWith(paths, stdin, opts) {
		name := it.Origin.File
		if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		}
		if it.Err != nil {
			out = append(out, name+": "+it.Err.(*certio.InputError).Msg)
		} else {
			out = append(out, it.Origin.String()[len(it.Origin.File):]+" "+name+" ok")
		}
	}
	return out
}

// TestNoCertificate checks that Stats tells an input that yielded no
// certificate, and says what was read, for an empty directory, an Include
// that matches nothing, empty standard input and an input with errors only.
func TestNoCertificate(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	certs := filepath.Join(dir, "certs")
	for _, d := range []string{empty, certs} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	der := newCert(t)
	for name, data := range map[string][]byte{"a.pem": pemOf(der), "b.der": der, "notes.txt": []byte("hello")} {
		if err := os.WriteFile(filepath.Join(certs, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		paths   []string
		stdin   string
		opts    certio.Options
		items   int
		wantErr string // "" for a certificate found
	}{
		{"empty directory", []string{empty}, "", certio.Options{}, 0,
			"no certificate found in " + empty + ": 0 inputs read (0 bytes)"},
		{"include matches nothing", []string{certs}, "", certio.Options{Include: []string{"*.crt"}}, 0,
			"no certificate found in " + certs + ": 0 inputs read (0 bytes); 3 files excluded by the include patterns"},
		{"empty standard input", []string{certio.Stdin}, "", certio.Options{}, 1,
			"no certificate found in standard input: 1 input read (0 bytes); 1 input error"},
		{"empty standard input, allowed", []string{certio.Stdin}, " \n", certio.Options{AllowEmpty: true}, 0,
			"no certificate found in standard input: 1 input read (2 bytes)"},
		{"errors only", []string{certs}, "", certio.Options{Include: []string{"*.txt"}}, 1,
			"no certificate found in " + certs + ": 1 input read (5 bytes); 1 input error; 2 files excluded by the include patterns"},
		{"a certificate", []string{certs, certio.Stdin}, "", certio.Options{Include: []string{"*.der"}, AllowEmpty: true}, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var st certio.Stats
			tc.opts.Stats = &st
			n := 0
			for it := range certio.ReadWith(tc.paths, strings.NewReader(tc.stdin), tc.opts) {
				n++
				if tc.name == "empty standard input" && !errors.Is(it.Err, certio.ErrNoCertificate) {
					t.Errorf("item error %v does not wrap ErrNoCertificate", it.Err)
				}
			}
			if n != tc.items {
				t.Errorf("%d items, want %d", n, tc.items)
			}
			err := st.NoCertificate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("NoCertificate: %v", err)
			case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr || !errors.Is(err, certio.ErrNoCertificate)):
				t.Errorf("NoCertificate: %v\nwant %s", err, tc.wantErr)
			}
		})
	}
}

// repeatReader yields n bytes: prefix, then fill repeated.
func repeatReader(prefix []byte, fill byte, n int64) io.Reader {
	return io.MultiReader(bytes.NewReader(prefix), io.LimitReader(byteReader(fill), n-int64(len(prefix))))
}

type byteReader byte

func (b byteReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestBlockTooLarge checks that a PEM block or DER element larger than
// MaxBlockSize is refused with a located error that wraps
// ErrBlockTooLarge, without reading it whole, and that the certificates
// after a PEM block are still read.
func TestBlockTooLarge(t *testing.T) {
	der := newCert(t)
	good := pemOf(der)
	body := bytes.Repeat([]byte(strings.Repeat("A", 64)+"\n"), (certio.MaxBlockSize+64)/65+1)
	block := func(typ string) []byte {
		return cat([]byte("-----BEGIN "+typ+"-----\n"), body, []byte("-----END "+typ+"-----\n"))
	}
	bigDER := cat([]byte{0x30, 0x83, 0x10, 0x00, 0x00}, der, make([]byte, 0x100000-len(der)))
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bigPEM := cat(good, block("CERTIFICATE"), good)
	tests := []struct {
		name string
		path string
		want string
	}{
		{"PEM certificate block", write("big.pem", bigPEM),
			"[0]@0 big.pem ok, big.pem: larger than the block size limit: PEM block larger than 1048576 bytes, not read, [2]@" + itoa(len(bigPEM)-len(good)) + " big.pem ok"},
		{"PEM block without an END line", write("noend.pem", cat(good, block("CERTIFICATE")[:certio.MaxBlockSize+100])),
			"[0]@0 noend.pem ok, noend.pem: larger than the block size limit: PEM block larger than 1048576 bytes, not read"},
		{"PKCS7 block", write("big.p7b", cat(block("PKCS7"), good)),
			"big.p7b: larger than the block size limit: PEM block larger than 1048576 bytes, not read, [1]@" + itoa(len(block("PKCS7"))) + " big.p7b ok"},
		{"a large CRL is skipped", write("crl.pem", cat(block("X509 CRL"), good)),
			"[0]@" + itoa(len(block("X509 CRL"))) + " crl.pem ok"},
		{"DER element", write("big.der", cat(der, bigDER)),
			"[0]@0 big.der ok, big.der: larger than the block size limit: DER element of 1048581 bytes, more than 1048576"},
		{"DER element that ends early is truncated", write("short.der", cat(der, bigDER[:certio.MaxBlockSize])),
			"[0]@0 short.der ok, short.der: truncated or malformed DER: the SEQUENCE length runs past the end of input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(describe(t, dir, []string{tc.path}, nil, certio.Options{}), ", ")
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	for it := range certio.ReadWith([]string{filepath.Join(dir, "big.der")}, nil, certio.Options{}) {
		if it.Err != nil {
			if !errors.Is(it.Err, certio.ErrBlockTooLarge) || it.Origin.Offset != int64(len(der)) || it.Origin.Index != 1 {
				t.Errorf("error %v at %v: want ErrBlockTooLarge at index 1, byte %d", it.Err, it.Origin, len(der))
			}
		}
	}

	// One 200 MB PEM block on standard input costs little memory.
	const size = 200 << 20
	var items []string
	alloc := allocated(func() {
		in := repeatReader([]byte("-----BEGIN CERTIFICATE-----\n"), 'A', size)
		items = describe(t, dir, []string{certio.Stdin}, io.MultiReader(in, bytes.NewReader(good)), certio.Options{})
	})
	want := "-: larger than the block size limit: PEM block larger than 1048576 bytes, not read, [1]@" + itoa(size) + " - ok"
	if strings.Join(items, ", ") != want {
		t.Errorf("200 MB block: got %s\nwant %s", strings.Join(items, ", "), want)
	}
	if alloc > 16<<20 {
		t.Errorf("a 200 MB PEM block allocated %d MiB, want under 16 MiB", alloc>>20)
	}
}

// TestMaxInputSize checks that standard input and an input read whole are
// read up to Options.MaxInputSize, and no further.
func TestMaxInputSize(t *testing.T) {
	der := newCert(t)
	good := pemOf(der)
	three := cat(good, good, good)
	dir := t.TempDir()
	p7 := filepath.Join(dir, "large.p7b")
	// Starts like DER but not like a certificate: read whole.
	if err := os.WriteFile(p7, cat([]byte{0x30, 0x83, 0x02, 0x00, 0x00, 0x06}, make([]byte, 0x20000)), 0o644); err != nil {
		t.Fatal(err)
	}
	b64 := filepath.Join(dir, "large.b64")
	if err := os.WriteFile(b64, bytes.Repeat([]byte("QUJD\n"), 60<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		paths []string
		stdin []byte
		max   int64
		want  string
	}{
		{"within the limit", []string{certio.Stdin}, three, int64(len(three)), "[0]@0 - ok, [1]@" + itoa(len(good)) + " - ok, [2]@" + itoa(2*len(good)) + " - ok"},
		{"over the limit", []string{certio.Stdin}, three, int64(len(three) - 40),
			"[0]@0 - ok, [1]@" + itoa(len(good)) + " - ok, -: reading: input larger than the size limit: more than " + itoa(len(three)-40) + " bytes"},
		{"over the limit before the first block ends", []string{certio.Stdin}, three, 100,
			"-: reading: input larger than the size limit: more than 100 bytes"},
		{"scanned junk", []string{certio.Stdin}, bytes.Repeat([]byte{0}, 300<<10), 200 << 10,
			"-: reading standard input: input larger than the size limit: more than 204800 bytes"},
		{"bare base64 is read whole", []string{b64}, nil, 200 << 10,
			"large.b64: input larger than the size limit: bare base64 is read whole, and this input has more than 204800 bytes"},
		{"a regular file read whole", []string{p7}, nil, 100 << 10,
			"large.p7b: input larger than the size limit: more than 102400 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errs []error
			got := describe(t, dir, tc.paths, bytes.NewReader(tc.stdin), certio.Options{MaxInputSize: tc.max})
			for it := range certio.ReadWith(tc.paths, bytes.NewReader(tc.stdin), certio.Options{MaxInputSize: tc.max}) {
				if it.Err != nil {
					errs = append(errs, it.Err)
				}
			}
			if strings.Join(got, ", ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), tc.want)
			}
			if tc.name != "within the limit" && (len(errs) == 0 || !errors.Is(errs[len(errs)-1], certio.ErrInputTooLarge)) {
				t.Errorf("the last error of %v does not wrap ErrInputTooLarge", errs)
			}
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
