package certio_test

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/internal/certparse"
)

func pemOf(der ...[]byte) []byte {
	var out []byte
	for _, d := range der {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	return out
}

func newCert(t *testing.T) []byte {
	t.Helper()
	c, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	return c.DER()
}

// collect decodes data and returns a one-line description of each item:
// "ok@offset" for a certificate, "err@offset: message" for an error.
func collect(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	certio.Decode("in", data, func(it certio.Item) bool {
		switch {
		case it.Err != nil && it.DER == nil:
			out = append(out, "err: "+it.Err.Error())
		case it.Err == nil && it.DER != nil:
			if _, err := certio.Parse(it.DER); err != nil {
				t.Errorf("item at %v does not parse: %v", it.Origin, err)
			}
			out = append(out, "ok")
		default:
			t.Errorf("item at %v has both or neither of DER and Err", it.Origin)
		}
		return true
	})
	return out
}

func TestDecode(t *testing.T) {
	a, b := newCert(t), newCert(t)
	pa, pb := pemOf(a), pemOf(b)
	truncated := pa[:len(pa)/2]
	badBase64 := bytes.Replace(pemOf(a), []byte("\n"), []byte("\n!!!"), 2)
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"two PEM certificates", append(append([]byte{}, pa...), pb...), []string{"ok", "ok"}},
		{"junk between PEM blocks", bytes.Join([][]byte{[]byte("subject=foo\n"), pa, []byte("garbage\n"), pb}, nil), []string{"ok", "ok"}},
		{"truncated PEM then a good one", append(append([]byte{}, truncated...), pb...), []string{"err: in (certificate 0, byte 0): truncated PEM block: no END line before the next BEGIN line at byte " + itoa(len(truncated)), "ok"}},
		{"truncated PEM at end", append(append([]byte{}, pa...), truncated...), []string{"ok", "err: in (certificate 1, byte " + itoa(len(pa)) + "): truncated PEM block: no END line before end of input"}},
		{"bad base64", append(append([]byte{}, badBase64...), pb...), []string{"err: in (certificate 0, byte 0): malformed PEM block: bad BEGIN/END lines or base64 body", "ok"}},
		{"only a key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), nil},
		{"only a CSR", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte{1}}), []string{"err: in (certificate 0, byte 0): no CERTIFICATE PEM block found (only: CERTIFICATE REQUEST)"}},
		{"a key and a CSR", append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte{1}})...), []string{"err: in (certificate 0, byte 0): no CERTIFICATE PEM block found (only: CERTIFICATE REQUEST)"}},
		{"empty", nil, []string{"err: in (certificate 0, byte 0): empty input: no certificate found"}},
		{"blank", []byte("\n\n  \n"), []string{"err: in (certificate 0, byte 0): empty input: no certificate found"}},
		{"one DER", a, []string{"ok"}},
		{"concatenated DER", append(append([]byte{}, a...), b...), []string{"ok", "ok"}},
		{"DER with trailing newline", append(append([]byte{}, a...), '\n'), []string{"ok"}},
		{"truncated DER", a[:len(a)-10], []string{"err: in (certificate 0, byte 0): truncated or malformed DER: the SEQUENCE length runs past the end of input"}},
		{"garbage", []byte("this is a README, not a certificate\n"), []string{"err: in (certificate 0, byte 0): not a certificate: neither PEM nor a complete DER element"}},
		{"DER then garbage", append(append([]byte{}, a...), 0x04, 0x01, 0x00), []string{"ok", "err: in (certificate 1, byte " + itoa(len(a)) + "): not a certificate: DER element has tag 0x04, want SEQUENCE"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := collect(t, tc.data)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestReadPaths(t *testing.T) {
	dir := t.TempDir()
	a := newCert(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "a.pem"), pemOf(a), 0o644))
	must(os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "sub", ".git"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "sub", "b.der"), a, 0o644))
	must(os.WriteFile(filepath.Join(dir, "sub", ".git", "config"), []byte("x"), 0o644))

	var got []string
	for it := range certio.Read([]string{dir, filepath.Join(dir, "missing.pem"), certio.Stdin}, bytes.NewReader(pemOf(a))) {
		rel := strings.TrimPrefix(it.Origin.File, dir+string(filepath.Separator))
		if it.Err != nil {
			got = append(got, rel+" error")
		} else {
			got = append(got, rel+" ok")
		}
	}
	want := []string{"a.pem ok", "notes.txt error", "sub/b.der ok", "missing.pem error", "- ok"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// secp256k1SPKI is a subjectPublicKeyInfo on secp256k1 (the curve's
// generator point), which zcrypto cannot parse.
func secp256k1SPKI(t *testing.T) []byte {
	t.Helper()
	point, _ := hex.DecodeString("0479BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8")
	curve, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 132, 0, 10})
	spki, err := asn1.Marshal(struct {
		Algorithm struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.RawValue
		}
		PublicKey asn1.BitString
	}{
		Algorithm: struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.RawValue
		}{asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, asn1.RawValue{FullBytes: curve}},
		PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return spki
}

func TestParseUndecodableKey(t *testing.T) {
	spki := secp256k1SPKI(t)
	c, err := certgen.Issue(certgen.RootTemplate(), func(tbs *certgen.TBS) { tbs.PublicKey = asn1.RawValue{FullBytes: spki} })
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := certio.Parse(c.DER())
	if err != nil {
		t.Fatalf("a certificate with a secp256k1 key must still parse for linting: %v", err)
	}
	if !certparse.KeyUndecodable(parsed) {
		t.Error("KeyUndecodable = false")
	}
	if !bytes.Equal(certparse.SubjectPublicKeyInfo(parsed), spki) {
		t.Error("SubjectPublicKeyInfo does not return the original key")
	}
	if parsed.Subject.CommonName != "Example IoT Root CA" || !parsed.IsCA {
		t.Errorf("the rest of the certificate was not parsed: %q CA=%v", parsed.Subject.CommonName, parsed.IsCA)
	}
}

// TestParseIgnoresForgedMarker checks that a certificate cannot smuggle a
// different key to the lints through iotcert's internal marker extension.
func TestParseIgnoresForgedMarker(t *testing.T) {
	good, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	forged, err := certgen.Issue(certgen.RootTemplate(), func(tbs *certgen.TBS) {
		tbs.Extensions = append(tbs.Extensions, pkixExtension(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 7301, 2}, good.Cert.RawSubjectPublicKeyInfo))
	})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := certio.Parse(forged.DER())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(certparse.SubjectPublicKeyInfo(parsed), good.Cert.RawSubjectPublicKeyInfo) {
		t.Error("forged marker extension changed the key the lints see")
	}
	for _, e := range parsed.Extensions {
		if e.Id.String() == "1.3.6.1.4.1.32473.7301.2" {
			t.Error("forged marker extension kept")
		}
	}
}

// TestParseShortEd25519Key checks that a self-signed Ed25519 certificate
// whose key is 31 octets, which makes zcrypto's self-signature check
// panic in crypto/ed25519, is parsed (its key undecodable, for the lints
// to judge) instead of crashing the caller.
func TestParseShortEd25519Key(t *testing.T) {
	tmpl := certgen.RootTemplate()
	tmpl.Key = certgen.NewKey("Ed25519")
	short, err := asn1.Marshal(struct {
		Algorithm struct{ OID asn1.ObjectIdentifier }
		PublicKey asn1.BitString
	}{struct{ OID asn1.ObjectIdentifier }{asn1.ObjectIdentifier{1, 3, 101, 112}}, asn1.BitString{Bytes: make([]byte, 31), BitLength: 31 * 8}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := certgen.Issue(tmpl, func(tbs *certgen.TBS) { tbs.PublicKey = asn1.RawValue{FullBytes: short} })
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := certio.Parse(c.DER())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !certparse.KeyUndecodable(parsed) || !bytes.Equal(certparse.SubjectPublicKeyInfo(parsed), short) {
		t.Errorf("KeyUndecodable %v, SPKI %x; want the 31-octet key kept as undecodable", certparse.KeyUndecodable(parsed), certparse.SubjectPublicKeyInfo(parsed))
	}
}

func TestParseGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, {0x30}, {0x30, 0x03, 0x02, 0x01, 0x01}, []byte("hello")} {
		if _, err := certio.Parse(in); err == nil {
			t.Errorf("Parse(%x) succeeded", in)
		}
	}
}

func TestReadWithInclude(t *testing.T) {
	dir := t.TempDir()
	a := newCert(t)
	for name, data := range map[string][]byte{
		"a.pem":              pemOf(a),
		"b.crt":              pemOf(a),
		"firmware.bin":       {0x7f, 'E', 'L', 'F'},
		"README":             []byte("notes"),
		"sub/c.pem":          pemOf(a),
		"sub/d.der":          a,
		"sub/e.PEM":          pemOf(a),
		"sub/vmlinux.gz":     {0x1f, 0x8b},
		"named-directly.txt": pemOf(a),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		paths   []string
		include []string
		want    string
	}{
		{"no filter reads everything", []string{dir}, nil, "README error, a.pem ok, b.crt ok, firmware.bin error, named-directly.txt ok, sub/c.pem ok, sub/d.der ok, sub/e.PEM ok, sub/vmlinux.gz error"},
		{"one pattern", []string{dir}, []string{"*.pem"}, "a.pem ok, sub/c.pem ok"},
		{"several patterns", []string{dir}, []string{"*.pem", "*.der", "*.crt"}, "a.pem ok, b.crt ok, sub/c.pem ok, sub/d.der ok"},
		{"a pattern with a slash matches the path relative to the walked directory", []string{dir}, []string{"sub/*"}, "sub/c.pem ok, sub/d.der ok, sub/e.PEM ok, sub/vmlinux.gz error"},
		{"relative and base-name patterns together", []string{dir}, []string{"sub/*.der", "b.*"}, "b.crt ok, sub/d.der ok"},
		{"a star does not match a slash", []string{dir}, []string{"*.der", "*/*.pem"}, "sub/c.pem ok, sub/d.der ok"},
		{"relative to the walked directory, not to where it is", []string{filepath.Join(dir, "sub")}, []string{"sub/*"}, ""},
		{"a file named directly is always read", []string{filepath.Join(dir, "named-directly.txt"), dir}, []string{"*.der"}, "named-directly.txt ok, sub/d.der ok"},
		{"bad pattern is an error for the walk", []string{dir, filepath.Join(dir, "a.pem")}, []string{"[a-"}, ". error, a.pem ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for it := range certio.ReadWith(tc.paths, nil, certio.Options{Include: tc.include}) {
				rel, _ := filepath.Rel(dir, it.Origin.File)
				if it.Err != nil {
					got = append(got, filepath.ToSlash(rel)+" error")
				} else {
					got = append(got, filepath.ToSlash(rel)+" ok")
				}
			}
			if strings.Join(got, ", ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), tc.want)
			}
		})
	}
	if err := (certio.Options{Include: []string{"[a-"}}).Validate(); err == nil || err.Error() != `include pattern "[a-": syntax error in pattern` {
		t.Errorf("Validate: %v", err)
	}
}

// TestOriginLine checks the line of each PEM BEGIN line, also behind junk
// and blank lines, and that binary input has none.
func TestOriginLine(t *testing.T) {
	der := newCert(t)
	block := pemOf(der)
	data := append([]byte("a comment\n\n"), block...)     // BEGIN on line 3
	data = append(data, []byte("junk\r\nmore junk\n")...) // two more lines
	data = append(data, block...)                         // BEGIN on line 3+lines(block)+2
	second := 3 + bytes.Count(block, []byte("\n")) + 2
	var lines []int
	certio.Decode("in.pem", data, func(it certio.Item) bool {
		if it.Err != nil {
			t.Fatal(it.Err)
		}
		lines = append(lines, it.Origin.Line)
		return true
	})
	if len(lines) != 2 || lines[0] != 3 || lines[1] != second {
		t.Errorf("lines %v, want [3 %d]", lines, second)
	}
	certio.Decode("in.der", der, func(it certio.Item) bool {
		if it.Origin.Line != 0 {
			t.Errorf("DER input has line %d", it.Origin.Line)
		}
		return true
	})
}

// TestDecodeInPlace checks that Decode reads an input held in memory in
// place: it leaves the bytes as they were, the certificates it yields are
// those of the input, and one small PEM input costs far less than the
// 64 KiB buffer a stream needs.
func TestDecodeInPlace(t *testing.T) {
	der := newCert(t)
	data := append([]byte("junk before\n"), pemOf(der, der)...)
	orig := bytes.Clone(data)
	var got [][]byte
	certio.Decode("in", data, func(it certio.Item) bool {
		if it.Err != nil {
			t.Errorf("item at %v: %v", it.Origin, it.Err)
		}
		got = append(got, it.DER)
		return true
	})
	if !bytes.Equal(data, orig) {
		t.Error("Decode changed its input")
	}
	if len(got) != 2 || !bytes.Equal(got[0], der) || !bytes.Equal(got[1], der) {
		t.Fatalf("Decode yielded %d certificates, want the input's 2", len(got))
	}
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			certio.Decode("in", data, func(certio.Item) bool { return true })
		}
	})
	if per := res.AllocedBytesPerOp(); per >= 32<<10 {
		t.Errorf("Decode of a %d-byte PEM input allocates %d bytes, want far less than a 64 KiB stream buffer", len(data), per)
	}
}
