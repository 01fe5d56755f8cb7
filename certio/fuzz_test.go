package certio

// Fuzz targets for every input decoder and for Parse. The seed corpus
// (testdata/certs, testdata/malformed, stores built here, and any
// regression input under testdata/fuzz) runs with "go test"; fuzzing
// itself is a separate command, see "Fuzzing" in README.md:
//
//	go test ./certio -run '^$' -fuzz '^FuzzDecode$' -fuzztime 60s

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/iotcert/iotcert/internal/certparse"
)

// fuzzRounds bounds the key derivation of a PKCS#12 store while fuzzing,
// so that a mutated iteration count costs microseconds, not seconds. The
// seed stores stay under it.
const fuzzRounds = 20_000

// seeds returns the files of testdata/certs and testdata/malformed, and
// the DER certificates they hold.
func seeds(f *testing.F) (files, certs [][]byte) {
	f.Helper()
	for _, dir := range []string{"../testdata/certs", "../testdata/malformed"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files = append(files, data)
			DecodeWith(p, data, Options{PKCS12Password: "iotcert-test"}, func(it Item) bool {
				if it.DER != nil {
					certs = append(certs, it.DER)
				}
				return true
			})
			return nil
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	return files, certs
}

// stores returns PKCS#12 stores of certs: without a MAC (so that the
// fuzzer can reach the bags), PBES2 and legacy, all with password
// "iotcert-test" where they have one.
func stores(f *testing.F, certs [][]byte) [][]byte {
	f.Helper()
	var parsed []*x509.Certificate
	for _, der := range certs[:3] {
		parsed = append(parsed, &x509.Certificate{Raw: der})
	}
	var out [][]byte
	for _, enc := range []*pkcs12.Encoder{pkcs12.Passwordless, pkcs12.Modern, pkcs12.LegacyRC2} {
		password := "iotcert-test"
		if enc == pkcs12.Passwordless {
			password = ""
		}
		store, err := enc.EncodeTrustStore(parsed, password)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, store)
	}
	return out
}

// check decodes data with decode and asserts the invariants every decoder
// keeps: no panic (the fuzzer reports one), exactly one of DER and Err per
// Item, indexes counting from 0, offsets within the input, and stopping
// when yield returns false.
func check(t *testing.T, data []byte, decode func(yield func(Item) bool) bool) {
	t.Helper()
	n := 0
	if !decode(func(it Item) bool {
		if (it.DER == nil) == (it.Err == nil) || (it.Err == nil && len(it.DER) == 0) {
			t.Fatalf("item %d at %v: want exactly one of DER (non-empty) and Err, got %d bytes and %v", n, it.Origin, len(it.DER), it.Err)
		}
		if it.Origin.Index != n {
			t.Fatalf("item %d has index %d", n, it.Origin.Index)
		}
		if it.Origin.Offset < 0 || it.Origin.Offset > int64(len(data)) {
			t.Fatalf("item %d: offset %d outside the input (%d bytes)", n, it.Origin.Offset, len(data))
		}
		if ie, ok := it.Err.(*InputError); it.Err != nil && (!ok || ie.Origin != it.Origin) {
			t.Fatalf("item %d: error %v is not an InputError at the item's origin", n, it.Err)
		}
		n++
		return true
	}) {
		t.Fatal("decoder reported a stop that was not asked for")
	}
	if n == 0 {
		if skippedOnly(data) {
			return // private keys or a journal: skipped, counted
		}
		t.Fatal("no item: an input must give certificates or an error")
	}
	stopped := 0
	if decode(func(Item) bool { stopped++; return false }) || stopped != 1 {
		t.Fatalf("decoder did not stop when asked (%d items)", stopped)
	}
}

// skippedOnly reports whether data is skipped as a whole: private keys, a
// key reference or a journal, counted in Stats.
func skippedOnly(data []byte) bool {
	var st Stats
	DecodeWith("in", data, Options{Stats: &st, pkcs12Rounds: fuzzRounds}, func(Item) bool { return true })
	return st.Errors == 0 && st.Certificates == 0 && st.PrivateKeys+st.Journals > 0
}

// FuzzDecode fuzzes the whole decoder, which picks PEM, bare base64,
// PKCS#7, PKCS#12 or DER by content.
func FuzzDecode(f *testing.F) {
	files, certs := seeds(f)
	for _, data := range append(files, stores(f, certs)...) {
		f.Add(data, "iotcert-test")
		f.Add([]byte(base64.StdEncoding.EncodeToString(data)), "")
	}
	// devices.jsonl records and journal lines, a key file, a key.ref.
	record := `{"id":"1","cert":` + strconv.Quote(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certs[0]}))) + `,"key":"k"}` + "\n"
	f.Add([]byte(record+record), "")
	f.Add([]byte(`{"time":"t","id":"1","status":"issued"}`+"\n"+record), "")
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{1, 2}}), "")
	f.Add([]byte("pkcs11:object=ca\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		opts := Options{PKCS12Password: password, pkcs12Rounds: fuzzRounds}
		check(t, data, func(yield func(Item) bool) bool { return DecodeWith("in", data, opts, yield) })
	})
}

// FuzzDecodePEM fuzzes the PEM reader (certificates, PKCS#7 blocks, junk
// between blocks).
func FuzzDecodePEM(f *testing.F) {
	files, certs := seeds(f)
	for _, data := range files {
		f.Add(data)
	}
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: certsOnlyFor(certs[:2])}))
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, func(yield func(Item) bool) bool { return decodePEM("in", data, yield) })
		sameAsReference(t, data, refDecodePEM, decodePEMStream)
	})
}

// FuzzDecodeDER fuzzes the reader of one or more concatenated DER
// certificates.
func FuzzDecodeDER(f *testing.F) {
	_, certs := seeds(f)
	for i, der := range certs {
		f.Add(der)
		if i+1 < len(certs) {
			f.Add(append(append([]byte{}, der...), certs[i+1]...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return // the caller reports empty input
		}
		check(t, data, func(yield func(Item) bool) bool { return decodeDER("in", data, yield) })
		sameAsReference(t, data, refDecodeDER, decodeDERStream)
	})
}

// sameAsReference fails t when the streaming decoder, reading data 3
// bytes at a time, does not yield what the whole-input decoder yields.
func sameAsReference(t *testing.T, data []byte, ref func(string, []byte, func(Item) bool) bool, stream func(string, *window, func(Item) bool) bool) {
	t.Helper()
	want := describeItems(func(yield func(Item) bool) bool { return ref("in", data, yield) })
	got := describeItems(func(yield func(Item) bool) bool {
		return stream("in", newWindow(smallReads{bytes.NewReader(data), 3}), yield)
	})
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("streaming decoder:\n%q\nwhole-input decoder:\n%q", got, want)
	}
}

// FuzzDecodePKCS7 fuzzes the PKCS#7 certs-only reader.
func FuzzDecodePKCS7(f *testing.F) {
	files, certs := seeds(f)
	for _, data := range files {
		if isPKCS7(data) {
			f.Add(data)
		}
	}
	f.Add(certsOnlyFor(certs[:3]))
	f.Add(certsOnlyFor(nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !isPKCS7(data) {
			return
		}
		check(t, data, func(yield func(Item) bool) bool { return decodePKCS7("in", data, 0, 0, yield) })
	})
}

// FuzzDecodePKCS12 fuzzes the PKCS#12 reader and its hand-over to
// go-pkcs12.
func FuzzDecodePKCS12(f *testing.F) {
	files, certs := seeds(f)
	for _, data := range append(files, stores(f, certs)...) {
		if isPKCS12(data) {
			f.Add(data, "iotcert-test")
			f.Add(data, "")
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		if !isPKCS12(data) {
			return
		}
		opts := Options{PKCS12Password: password, pkcs12Rounds: fuzzRounds}
		check(t, data, func(yield func(Item) bool) bool { return decodePKCS12("in", data, opts, yield) })
	})
}

// FuzzParse fuzzes Parse and the accessors of what it returns.
func FuzzParse(f *testing.F) {
	_, certs := seeds(f)
	for _, der := range certs {
		f.Add(der)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := Parse(der)
		if (c == nil) == (err == nil) {
			t.Fatalf("Parse returned certificate %v and error %v", c != nil, err)
		}
		if err != nil {
			_ = certparse.DescribeError(err)
			return
		}
		_ = certparse.SubjectPublicKeyInfo(c)
		_ = certparse.KeyUndecodable(c)
	})
}

// certsOnlyFor builds a PKCS#7 certs-only message holding certs.
func certsOnlyFor(certs [][]byte) []byte {
	var set []byte
	for _, c := range certs {
		set = append(set, c...)
	}
	seq := func(tag byte, parts ...[]byte) []byte {
		var body []byte
		for _, p := range parts {
			body = append(body, p...)
		}
		return append(derHeader(tag, len(body)), body...)
	}
	oid := func(b []byte) []byte { return append([]byte{0x06, byte(len(b))}, b...) }
	sd := seq(0x30, []byte{0x02, 0x01, 0x01}, seq(0x31), seq(0x30, oid(oidData)), seq(0xa0, set), seq(0x31))
	return seq(0x30, oid(oidSignedData), seq(0xa0, sd))
}

// derHeader returns a DER tag and length.
func derHeader(tag byte, n int) []byte {
	switch {
	case n < 0x80:
		return []byte{tag, byte(n)}
	case n < 0x100:
		return []byte{tag, 0x81, byte(n)}
	case n < 0x10000:
		return []byte{tag, 0x82, byte(n >> 8), byte(n)}
	}
	return []byte{tag, 0x83, byte(n >> 16), byte(n >> 8), byte(n)}
}
