package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/certio"
)

// readDER returns the certificates of a file.
func readDER(t *testing.T, path string) [][]byte {
	t.Helper()
	var out [][]byte
	for it := range certio.Read([]string{path}, nil) {
		if it.Err != nil {
			t.Fatal(it.Err)
		}
		out = append(out, it.DER)
	}
	return out
}

// TestC509EncodeDecode encodes a certificate to a file, decodes it back
// to PEM and to DER, and gets the original certificate byte for byte.
func TestC509EncodeDecode(t *testing.T) {
	in := filepath.Join(certs, "tls13-iot", "ee.pem")
	der := readDER(t, in)[0]
	out := filepath.Join(t.TempDir(), "ee.c509")
	if code, stdout, errOut := iotcert(t, "", "c509", "encode", in, "--out", out); code != exitOK || stdout != "" {
		t.Fatalf("encode: exit %d\n%s%s", code, stdout, errOut)
	}
	enc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := c509.Encode(der)
	if err != nil || !bytes.Equal(enc, want) || enc[0] != 0x8b {
		t.Fatalf("encode wrote % x, want the C509Certificate array % x (%v)", enc, want, err)
	}
	code, stdout, errOut := iotcert(t, "", "c509", "decode", out)
	block, _ := pem.Decode([]byte(stdout))
	if code != exitOK || block == nil || block.Type != "CERTIFICATE" || !bytes.Equal(block.Bytes, der) {
		t.Fatalf("decode: exit %d, PEM does not hold the original certificate\n%s%s", code, stdout, errOut)
	}
	code, stdout, errOut = iotcert(t, string(enc), "c509", "decode", "-", "--der")
	if code != exitOK || stdout != string(der) {
		t.Fatalf("decode --der from stdin: exit %d %s", code, errOut)
	}
	// The unwrapped sequence ~C509Certificate decodes too.
	seq := writeFile(t, "ee.seq", enc[1:])
	if code, stdout, _ = iotcert(t, "", "c509", "decode", seq, "--der"); code != exitOK || stdout != string(der) {
		t.Fatalf("decode ~C509Certificate: exit %d", code)
	}
}

// TestC509VerifyReencoded verifies a type 3 certificate: the device
// certificate of testdata's tls13-iot chain, encoded, verifies with its
// CA and says what its X.509 form says; with the root as issuer, or
// against another certificate, it does not.
func TestC509VerifyReencoded(t *testing.T) {
	dir := filepath.Join(certs, "tls13-iot")
	ee, sub, root := filepath.Join(dir, "ee.pem"), filepath.Join(dir, "sub.pem"), filepath.Join(dir, "root.pem")
	enc, err := c509.Encode(readDER(t, ee)[0])
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "ee.c509", enc)
	subCert, err := x509.ParseCertificate(readDER(t, sub)[0])
	if err != nil {
		t.Fatal(err)
	}
	rootCert, err := x509.ParseCertificate(readDER(t, root)[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		args         []string
		code         int
		stdout, errs string
	}{
		{[]string{"--issuer", sub, "--x509", ee}, exitOK, path + ": C509 certificate of type 3 (re-encoded X.509): signed by " + subCert.Subject.String() + "; says what " + ee + " says\n", ""},
		{[]string{"--issuer", root}, exitFindings, "", "iotcert c509 verify: " + path + ": the signature does not verify with " + root + " (" + rootCert.Subject.String() + "): x509: ECDSA verification failure\n"},
		{[]string{"--issuer", sub, "--x509", sub}, exitFindings, "", "iotcert c509 verify: " + path + ": not the content of " + sub + ": it decodes to another certificate\n"},
	} {
		code, out, errOut := iotcert(t, "", append([]string{"c509", "verify", path}, v.args...)...)
		if code != v.code || out != v.stdout || errOut != v.errs {
			t.Errorf("c509 verify %q: exit %d\n%s%s\nwant exit %d\n%s%s", v.args, code, out, errOut, v.code, v.stdout, v.errs)
		}
	}
}

// TestC509Refused: a certificate C509 cannot represent exits 1 with the
// reason; garbage exits 2 with a located error; so do usage errors.
func TestC509Refused(t *testing.T) {
	v1 := filepath.Join(certs, "cases", "e_r7925_table1_version.pem")
	code, _, errOut := iotcert(t, "", "c509", "encode", v1)
	if want := "iotcert c509 encode: " + v1 + ": c509: cannot represent version: a version 1 certificate; C509 type 3 re-encodes X.509 v3\n"; code != exitFindings || errOut != want {
		t.Errorf("encode v1: exit %d %q, want 1 %q", code, errOut, want)
	}
	garbage := writeFile(t, "garbage.c509", []byte{0x8b, 0x03, 0xff})
	code, _, errOut = iotcert(t, "", "c509", "decode", garbage)
	if !strings.HasPrefix(errOut, "iotcert c509 decode: "+garbage+": c509: malformed certificateSerialNumber at byte 2: ") || code != exitUsage {
		t.Errorf("decode garbage: exit %d %q", code, errOut)
	}
	native := writeFile(t, "native.c509", []byte{0x8b, 0x02, 0x41, 0x01, 0x00, 0x60, 0x00, 0x00, 0x60, 0x00, 0x40, 0x80, 0x40})
	code, _, errOut = iotcert(t, "", "c509", "decode", native)
	if want := "iotcert c509 decode: " + native + ": c509: cannot represent c509CertificateType: a natively signed C509 certificate (type 2) has no DER form\n"; code != exitFindings || errOut != want {
		t.Errorf("decode type 2: exit %d %q, want 1 %q", code, errOut, want)
	}
	notCert := writeFile(t, "junk.der", []byte{0x30, 0x82, 0x01})
	if code, _, errOut = iotcert(t, "", "c509", "encode", notCert); code != exitUsage || !strings.Contains(errOut, notCert) {
		t.Errorf("encode junk: exit %d %q", code, errOut)
	}
	chain := filepath.Join(certs, "tls13-iot", "chain.pem")
	if code, _, errOut = iotcert(t, "", "c509", "encode", chain); code != exitUsage || !strings.Contains(errOut, "holds 3 certificates: want exactly one") {
		t.Errorf("encode chain: exit %d %q", code, errOut)
	}
	if code, out, _ := iotcert(t, "", "help", "c509"); code != exitOK || !strings.Contains(out, "iotcert c509 decode FILE [--der] [--out F]") {
		t.Errorf("help c509: exit %d\n%s", code, out)
	}
	if code, _, _ = iotcert(t, "", "c509", "transcode", chain); code != exitUsage {
		t.Errorf("unknown verb: exit %d", code)
	}
}

// TestC509GenIssued is the round-trip property over what gen issues: the
// CAs and devices of "gen example" and "gen example matter" all re-encode
// and decode back byte for byte.
func TestC509GenIssued(t *testing.T) {
	n := 0
	for _, ex := range []struct {
		args   []string
		ca     string
		device []string
	}{
		{[]string{"gen", "example"}, "device-ca", []string{"--id", "1234", "--set", "serial=SN1234"}},
		{[]string{"gen", "example", "matter"}, "pai", []string{"--id", "0005", "--set", "pid=8005"}},
	} {
		dir := t.TempDir()
		code, spec, errOut := iotcert(t, "", ex.args...)
		if code != exitOK {
			t.Fatalf("%v: %s", ex.args, errOut)
		}
		specFile := filepath.Join(dir, "spec.yaml")
		if err := os.WriteFile(specFile, []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
		pki := filepath.Join(dir, "pki")
		if code, out, errOut := iotcert(t, "", "gen", "hierarchy", specFile, "--out", pki); code != exitOK {
			t.Fatalf("gen hierarchy: %s%s", out, errOut)
		}
		args := append([]string{"gen", "device", specFile, "--out", pki, "--ca", ex.ca}, ex.device...)
		if code, out, errOut := iotcert(t, "", args...); code != exitOK {
			t.Fatalf("gen device: %s%s", out, errOut)
		}
		for _, der := range readDER(t, filepath.Join(pki, "devices", ex.device[1], "chain.pem")) {
			enc, err := c509.Encode(der)
			if err != nil {
				t.Fatalf("%v: %v", ex.args, err)
			}
			back, err := c509.Decode(enc)
			if err != nil || !bytes.Equal(back, der) {
				t.Fatalf("%v: round trip differs: %v", ex.args, err)
			}
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d certificates round-trip, want 6 (two chains of three)", n)
	}
}

// TestC509GenNative issues devices whose profile sets "c509: true": each
// device directory gets cert.c509, a natively signed C509 certificate
// (type 2) that verifies with the issuing CA's key and not with another;
// "iotcert c509 decode" refuses it (a natively signed certificate has no
// DER form, exit 1); the jsonl layout, which cannot hold it, is refused.
func TestC509GenNative(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "hierarchy.yaml")
	native := strings.Replace(batchSpec, "    eku: [clientAuth]\n", "    eku: [clientAuth]\n    c509: true\n", 1)
	if native == batchSpec {
		t.Fatal("the batch spec has no eku line to add c509 after")
	}
	if err := os.WriteFile(spec, []byte(native), 0o644); err != nil {
		t.Fatal(err)
	}
	pki := filepath.Join(dir, "pki")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki); code != exitOK {
		t.Fatalf("gen hierarchy: %s", errOut)
	}
	sub, err := x509.ParseCertificate(readDER(t, filepath.Join(pki, "sub", "cert.pem"))[0])
	if err != nil {
		t.Fatal(err)
	}
	root, err := x509.ParseCertificate(readDER(t, filepath.Join(pki, "root", "cert.pem"))[0])
	if err != nil {
		t.Fatal(err)
	}
	check := func(id string) {
		t.Helper()
		path := filepath.Join(pki, "devices", id, "cert.c509")
		c, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) < 2 || c[0] != 0x8b || c[1] != c509.TypeNative {
			t.Fatalf("%s: % x...: want a C509Certificate array of type 2", path, c[:min(len(c), 4)])
		}
		if err := c509.VerifyNative(c, sub.PublicKey); err != nil {
			t.Errorf("%s: does not verify with the issuing CA's key: %v", path, err)
		}
		if err := c509.VerifyNative(c, root.PublicKey); err == nil {
			t.Errorf("%s: verifies with the root's key too", path)
		}
		// Its content is the X.509 certificate's: the serial number (the
		// second element) is the same.
		der := readDER(t, filepath.Join(pki, "devices", id, "cert.pem"))[0]
		re, err := c509.Encode(der)
		if err != nil {
			t.Fatal(err)
		}
		if n := 2 + int(re[2]&0x1f); !bytes.Equal(c[2:n], re[2:n]) {
			t.Errorf("%s: serial % x, the X.509 certificate's % x", path, c[2:n], re[2:n])
		}
		code, out, errOut := iotcert(t, "", "c509", "decode", path)
		if want := "c509: cannot represent c509CertificateType: a natively signed C509 certificate (type 2) has no DER form"; code != exitFindings || out != "" || !strings.Contains(errOut, want) {
			t.Errorf("c509 decode %s: exit %d, %q, stderr %q; want exit 1 and %q", path, code, out, errOut, want)
		}
		// iotcert c509 verify reads it back: the issuing CA's signature,
		// and the content of its cert.pem; not the root's, not another
		// device's certificate.
		subPEM, rootPEM := filepath.Join(pki, "sub", "cert.pem"), filepath.Join(pki, "root", "cert.pem")
		certPEM := filepath.Join(pki, "devices", id, "cert.pem")
		verify := []struct {
			args         []string
			code         int
			stdout, errs string
		}{
			{[]string{"--issuer", subPEM}, exitOK, path + ": C509 certificate of type 2 (natively signed): signed by " + sub.Subject.String() + "\n", ""},
			{[]string{"--issuer", subPEM, "--x509", certPEM}, exitOK, path + ": C509 certificate of type 2 (natively signed): signed by " + sub.Subject.String() + "; says what " + certPEM + " says\n", ""},
			{[]string{"--issuer", rootPEM}, exitFindings, "", "iotcert c509 verify: " + path + ": the signature does not verify with the key of " + rootPEM + " (" + root.Subject.String() + "): c509: ECDSA signature does not verify\n"},
			{[]string{"--issuer", subPEM, "--x509", subPEM}, exitFindings, "", "iotcert c509 verify: " + path + ": not the content of " + subPEM + ": c509: certificateSerialNumber differs from the X.509 certificate's\n"},
			{[]string{"--issuer", filepath.Join(pki, "devices", id, "chain.pem")}, exitUsage, "", "iotcert c509 verify: --issuer: " + filepath.Join(pki, "devices", id, "chain.pem") + " holds 3 certificates: want exactly one\n"},
			{nil, exitUsage, "", "iotcert c509 verify: --issuer CA is required: the certificate of the CA that signed FILE\n"},
		}
		for _, v := range verify {
			code, out, errOut := iotcert(t, "", append([]string{"c509", "verify", path}, v.args...)...)
			if code != v.code || out != v.stdout || errOut != v.errs {
				t.Errorf("c509 verify %s %q: exit %d\n%s%s\nwant exit %d\n%s%s", path, v.args, code, out, errOut, v.code, v.stdout, v.errs)
			}
		}
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "one", "--set", "host=one"); code != exitOK {
		t.Fatalf("gen device: %s", errOut)
	}
	check("one")
	csv := writeFile(t, "devices.csv", []byte("id,serial,host\n0001,SN1,a\n0002,SN2,b\n"))
	if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", pki, "--from", csv); code != exitOK {
		t.Fatalf("gen devices: %s", errOut)
	}
	check("0001")
	check("0002")
	// iotcert lint of the output skips the cert.c509 files and counts them
	// (the tests judge validity at a fixed date, before these
	// certificates: only the input errors matter here).
	_, lintOut, errOut := iotcert(t, "", "lint", "--spec", spec, pki)
	if want := "skipped 5 private keys, 1 journal, 3 natively signed C509 certificates\n"; !strings.HasSuffix(errOut, want) || strings.Contains(lintOut, "FATAL") {
		t.Errorf("lint --spec: stderr %q, want it to end %q, and no fatal finding:\n%s", errOut, want, lintOut)
	}
	other := filepath.Join(dir, "jsonl")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", other); code != exitOK {
		t.Fatalf("gen hierarchy: %s", errOut)
	}
	code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", other, "--from", csv, "--layout", "jsonl")
	if want := `device profile "sensor" sets c509: true, which the jsonl layout cannot hold (it has no place for a cert.c509): use the dirs layout`; code != exitUsage || !strings.Contains(errOut, want) {
		t.Errorf("jsonl layout: exit %d, %q; want exit 2 and %q", code, errOut, want)
	}
}
