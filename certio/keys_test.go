package certio_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// readStats reads paths with a Stats and returns the items as collect
// formats them, and the stats.
func readStats(t *testing.T, paths ...string) ([]string, certio.Stats) {
	t.Helper()
	var st certio.Stats
	var got []string
	for it := range certio.ReadWith(paths, nil, certio.Options{Stats: &st}) {
		if it.Err != nil {
			got = append(got, "err: "+it.Err.Error())
			continue
		}
		got = append(got, it.Origin.String()+" id="+it.Origin.ID)
	}
	return got, st
}

// TestSkipPrivateKeys: private keys of every kind (PKCS#8, encrypted
// PKCS#8 and "EC PARAMETERS" + "EC PRIVATE KEY" made by openssl, a key
// beside a certificate) and a key.ref file are skipped and counted, never
// an error and never in an error message; a file of junk still is an
// error.
func TestSkipPrivateKeys(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	write := fileWriter(t, dir)
	openssl := func(name string, args ...string) {
		t.Helper()
		args = append(args, "-out", filepath.Join(dir, name))
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	openssl("a-pkcs8.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")
	openssl("b-encrypted.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret")
	openssl("c-ecparam.pem", "ecparam", "-genkey", "-name", "prime256v1")
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	cert := newCert(t)
	write("d-cert-and-key.pem", append(append([]byte{}, keyPEM...), pemOf(cert)...))
	write("e-key.ref", []byte("pkcs11:token=factory;object=device-ca?module-path=/usr/lib/softhsm/libsofthsm2.so\n"))
	junk := write("f-junk.txt", []byte("this is not a certificate\n"))

	got, st := readStats(t, dir)
	want := []string{
		filepath.Join(dir, "d-cert-and-key.pem") + "[0]@" + itoa(len(keyPEM)) + " id=",
		"err: " + junk + " (certificate 0, byte 0): not a certificate: neither PEM nor a complete DER element",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if st.PrivateKeys != 5 || st.Journals != 0 || st.Certificates != 1 || st.Errors != 1 {
		t.Errorf("stats: %d private keys, %d journals, %d certificates, %d errors; want 5, 0, 1, 1", st.PrivateKeys, st.Journals, st.Certificates, st.Errors)
	}
	if s := st.SkippedKeys(); s != "5 private keys" {
		t.Errorf("SkippedKeys() = %q", s)
	}
	// Keys alone: no certificate, which NoCertificate says with the keys.
	_, st = readStats(t, filepath.Join(dir, "a-pkcs8.pem"))
	if err := st.NoCertificate(); err == nil || !strings.HasSuffix(err.Error(), "; skipped 1 private key") {
		t.Errorf("NoCertificate() = %v", err)
	}
	if bytes.Contains([]byte(strings.Join(got, "")), keyPEM[30:60]) {
		t.Error("key material in the output")
	}
}

// TestSkipDERPrivateKeys: DER private keys made by openssl (PKCS#8 of
// "openssl pkey -outform DER", encrypted PKCS#8, SEC1 EC and PKCS#1 RSA)
// and by Go are
// skipped and counted like PEM keys, never printed; DER that is no key
// (a key with a byte appended, a SEQUENCE of junk) is still read as DER,
// which the linter then fails to parse (an input error; see
// cmd/iotcert's TestLintDERPrivateKeys).
func TestSkipDERPrivateKeys(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	write := fileWriter(t, dir)
	openssl := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	ecPEM := filepath.Join(t.TempDir(), "ec.pem")
	rsaPEM := filepath.Join(t.TempDir(), "rsa.pem")
	openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ecPEM)
	openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsaPEM)
	openssl("pkey", "-in", ecPEM, "-outform", "DER", "-out", filepath.Join(dir, "a-pkcs8-ec.der"))
	openssl("pkey", "-in", rsaPEM, "-outform", "DER", "-out", filepath.Join(dir, "b-pkcs8-rsa.der"))
	openssl("ec", "-in", ecPEM, "-outform", "DER", "-out", filepath.Join(dir, "c-sec1.der"))
	openssl("rsa", "-in", rsaPEM, "-traditional", "-outform", "DER", "-out", filepath.Join(dir, "d-pkcs1.der"))
	openssl("pkcs8", "-topk8", "-in", ecPEM, "-v2", "aes256", "-passout", "pass:secret", "-outform", "DER", "-out", filepath.Join(dir, "d2-encrypted.der"))
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	write("e-go-sec1.key", sec1)
	trailing := write("f-trailing.der", append(bytes.Clone(sec1), 0))
	junk := write("g-junk.der", []byte{0x30, 0x03, 0x02, 0x01, 0x07})
	// An EncryptedPrivateKeyInfo shape whose algorithm is SHA-256, not a
	// password-based encryption scheme: not a key.
	notPBE := write("h-not-pbe.der", []byte{0x30, 0x0f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x00})

	got, st := readStats(t, dir)
	want := []string{
		trailing + "[0]@0 id=",
		"err: " + trailing + " (certificate 1, byte " + itoa(len(sec1)) + "): not a certificate: neither PEM nor a complete DER element",
		junk + "[0]@0 id=",
		notPBE + "[0]@0 id=",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if st.PrivateKeys != 6 || st.Certificates != 3 || st.Errors != 1 {
		t.Errorf("stats: %d private keys, %d certificates, %d errors; want 6, 3, 1", st.PrivateKeys, st.Certificates, st.Errors)
	}
	if bytes.Contains([]byte(strings.Join(got, "")), sec1[10:30]) {
		t.Error("key material in the output")
	}
	// A key alone on standard input is skipped too.
	var st1 certio.Stats
	for it := range certio.ReadWith([]string{certio.Stdin}, bytes.NewReader(sec1), certio.Options{Stats: &st1}) {
		t.Errorf("stdin: item %v", it)
	}
	if st1.PrivateKeys != 1 {
		t.Errorf("stdin: %d private keys, want 1", st1.PrivateKeys)
	}
}

// fileWriter returns a function that writes a file of mode 0600 in dir
// and returns its path.
func fileWriter(t *testing.T, dir string) func(name string, data []byte) string {
	return func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
}
