package certio

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// describeItems decodes with decode and describes every item: origin,
// DER and error.
func describeItems(decode func(yield func(Item) bool) bool) []string {
	var out []string
	decode(func(it Item) bool {
		msg := ""
		if it.Err != nil {
			msg = it.Err.Error()
		}
		out = append(out, fmt.Sprintf("%s[%d]@%d line %d der %x err %q", it.Origin.File, it.Origin.Index, it.Origin.Offset, it.Origin.Line, it.DER, msg))
		return true
	})
	return out
}

// smallReads hands out at most n bytes a Read, so that every boundary of
// the decoders' window is crossed; it seeks like the bytes.Reader it wraps.
type smallReads struct {
	*bytes.Reader
	n int
}

func (r smallReads) Read(p []byte) (int, error) {
	if len(p) > r.n {
		p = p[:r.n]
	}
	return r.Reader.Read(p)
}

// sameItems fails t when decode does not yield what the whole-input
// reference decoder yields for data.
func sameItems(t *testing.T, how string, data []byte, decode func(yield func(Item) bool) bool) {
	t.Helper()
	want := describeItems(func(yield func(Item) bool) bool { return refDecodeWith("in", data, Options{}, yield) })
	got := describeItems(decode)
	if len(got) != len(want) {
		t.Errorf("%s: %d items, want %d\n got: %.300q\nwant: %.300q", how, len(got), len(want), got, want)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: item %d:\n got %.400s\nwant %.400s", how, i, got[i], want[i])
			return
		}
	}
}

// checkStreaming compares every way of reading data with the reference:
// DecodeWith over the bytes, a stream of small reads that cannot seek
// (standard input), one that can (a file), and a real file.
func checkStreaming(t *testing.T, data []byte) {
	t.Helper()
	sameItems(t, "DecodeWith", data, func(yield func(Item) bool) bool { return DecodeWith("in", data, Options{}, yield) })
	for _, n := range []int{1, 7, 4096} {
		sameItems(t, fmt.Sprintf("pipe, %d-byte reads", n), data, func(yield func(Item) bool) bool {
			return readStream("in", smallReads{bytes.NewReader(data), n}, false, Options{}, yield)
		})
		sameItems(t, fmt.Sprintf("seekable, %d-byte reads", n), data, func(yield func(Item) bool) bool {
			return readStream("in", smallReads{bytes.NewReader(data), n}, true, Options{}, yield)
		})
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	sameItems(t, "file", data, func(yield func(Item) bool) bool {
		for it := range ReadWith([]string{"in"}, nil, Options{}) {
			if !yield(it) {
				return false
			}
		}
		return true
	})
}

// TestStreamingMatchesWholeInput checks that the streaming decoders yield
// the items, origins, DER and errors of the whole-input decoders, on the
// test corpus and on inputs larger than the read window.
func TestStreamingMatchesWholeInput(t *testing.T) {
	var corpus [][]byte
	var names []string
	var ders [][]byte
	for _, dir := range []string{"../testdata/certs", "../testdata/malformed"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			corpus, names = append(corpus, data), append(names, p)
			refDecodeWith(p, data, Options{}, func(it Item) bool {
				if it.DER != nil && it.DER[1] >= 0x81 {
					ders = append(ders, it.DER)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(ders) < 20 {
		t.Fatalf("only %d certificates in the corpus", len(ders))
	}
	for i, data := range corpus {
		t.Run(names[i], func(t *testing.T) { checkStreaming(t, data) })
	}

	// Inputs larger than the window (readChunk), built from the corpus.
	var der, pemAll, mixed bytes.Buffer
	for i := 0; der.Len() < 3*readChunk; i++ {
		d := ders[i%len(ders)]
		der.Write(d)
		block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})
		pemAll.Write(block)
		switch i % 5 {
		case 0:
			fmt.Fprintf(&mixed, "subject=junk %d\n", i)
			mixed.Write(block)
		case 1:
			mixed.Write(bytes.ReplaceAll(block, []byte("\n"), []byte("\r\n")))
		case 2:
			mixed.Write(block[:len(block)/2]) // truncated: no END line
		case 3:
			mixed.Write(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: d[:40]}))
			mixed.Write(bytes.Replace(block, []byte("\n"), []byte("\n!"), 3)) // bad base64
		case 4:
			mixed.Write(block[:len(block)-1]) // END line without a newline
			mixed.WriteString("-----END CERTIFICATE-----")
		}
	}
	junk := bytes.Repeat([]byte("firmware notes without a BEGIN line\n"), 2*readChunk/36)
	binJunk := bytes.Repeat([]byte{0x7f, 'E', 'L', 'F', 0x00, 0xff, '-', '-'}, readChunk/4)
	d0 := ders[0]
	big := []struct {
		name string
		data []byte
	}{
		{"PEM", pemAll.Bytes()},
		{"PEM with junk, CRLF, keys, broken blocks", mixed.Bytes()},
		{"PEM truncated at the end", pemAll.Bytes()[:pemAll.Len()-30]},
		{"junk, then PEM", cat(junk, pemAll.Bytes())},
		{"DER", der.Bytes()},
		{"DER, trailing newlines", cat(der.Bytes(), []byte("\n\r\n\t "))},
		{"DER, trailing no-break space", cat(der.Bytes(), []byte("\n\u00a0\n"))},
		{"DER, trailing partial rune", cat(der.Bytes(), []byte("\n\xc2"))},
		{"DER, trailing garbage", cat(der.Bytes(), []byte{0x04, 0x01, 0x00})},
		{"DER, truncated", der.Bytes()[:der.Len()-10]},
		{"DER, space between certificates", cat(der.Bytes(), []byte(" \n"), d0)},
		{"DER, huge length", cat(der.Bytes(), []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30})},
		{"DER, then a PEM block", cat(der.Bytes(), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d0}))},
		{"DER, BEGIN across the window edge", cat(der.Bytes()[:readChunk-5], []byte("-----BEGIN CERTIFICATE-----\n"))},
		{"junk", junk},
		{"binary junk, then PEM", cat(binJunk, pemAll.Bytes())},
		{"binary junk", binJunk},
		{"binary junk, a complete first element", cat([]byte{0x04, 0x82, 0x01, 0x00}, binJunk)},
		{"binary junk, a first element longer than the window", cat([]byte{0x04, 0x83, 0x01, 0x00, 0x00}, binJunk)},
		{"binary junk, a first element longer than the input", cat([]byte{0x04, 0x83, 0x10, 0x00, 0x00}, binJunk)},
		{"binary junk, a first element with a non-minimal length", cat([]byte{0x04, 0x83, 0x00, 0x01, 0x00}, binJunk)},
		{"base64 and spaces, then binary junk", cat(bytes.Repeat([]byte("QUJD \n"), readChunk/3), binJunk)},
	}
	for _, c := range big {
		t.Run(c.name, func(t *testing.T) { checkStreaming(t, c.data) })
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestStreamingReadsLittle checks that a PEM or DER file much larger than
// the window is read with a window of bounded size: a file of thousands
// of certificates does not end up in memory.
func TestStreamingReadsLittle(t *testing.T) {
	var ders [][]byte
	refDecodeWith("chain", mustRead(t, "../testdata/certs/tls13-iot/chain.pem"), Options{}, func(it Item) bool {
		ders = append(ders, it.DER)
		return true
	})
	var pemAll, der bytes.Buffer
	for i := 0; der.Len() < 40*readChunk; i++ {
		d := ders[i%len(ders)]
		der.Write(d)
		pemAll.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d}))
	}
	for _, c := range []struct {
		name   string
		data   []byte
		decode func(string, *window, func(Item) bool) bool
	}{{"PEM", pemAll.Bytes(), decodePEMStream}, {"DER", der.Bytes(), decodeDERStream}} {
		w := newWindow(bytes.NewReader(c.data))
		n, largest := 0, 0
		c.decode("in", w, func(it Item) bool {
			if it.Err != nil {
				t.Fatalf("%s: %v", c.name, it.Err)
			}
			n++
			largest = max(largest, len(w.data))
			return true
		})
		if n < 1000 || largest > 4*readChunk {
			t.Errorf("%s: %d certificates with a window of up to %d bytes; want >= 1000 and <= %d", c.name, n, largest, 4*readChunk)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
