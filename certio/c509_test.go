package certio_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// TestC509Files: a natively signed C509 certificate (cert.c509 of "iotcert
// gen", here the first bytes of one: a CBOR array of 11 elements of type
// 2) is skipped and counted, read from a file or from memory; a C509
// certificate of type 3 is an input error that names "iotcert c509
// decode"; another 0x8b file is still junk.
func TestC509Files(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	native := []byte{0x8b, 0x02, 0x43, 0x01, 0xf3, 0x0d, 0x00}
	write("a-cert.c509", native)
	reencoded := write("b-cert.c509", []byte{0x8b, 0x03, 0x43, 0x01, 0xf3, 0x0d, 0x00})
	junk := write("c-junk", []byte{0x8b, 0x07, 0x00})
	cert := write("d-cert.pem", pemOf(newCert(t)))

	got, st := readStats(t, dir)
	want := []string{
		"err: " + reencoded + " (certificate 0, byte 0): a C509 certificate (CBOR re-encoded X.509): convert it with \"iotcert c509 decode\" first",
		"err: " + junk + " (certificate 0, byte 0): not a certificate: neither PEM nor a complete DER element",
		cert + "[0]@0 id=",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if st.NativeC509 != 1 || st.Certificates != 1 || st.Errors != 2 || st.SkippedKeys() != "1 natively signed C509 certificate" {
		t.Errorf("stats: %+v, SkippedKeys %q", st, st.SkippedKeys())
	}
	// In memory (DecodeWith), as iotcert serve reads a posted body.
	var stats certio.Stats
	n := 0
	certio.DecodeWith("body", native, certio.Options{Stats: &stats}, func(certio.Item) bool { n++; return true })
	if n != 0 || stats.NativeC509 != 1 {
		t.Errorf("DecodeWith: %d items, %d natively signed C509 certificates; want 0, 1", n, stats.NativeC509)
	}
}
