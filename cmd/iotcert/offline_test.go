package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/store"
)

// TestOfflineRoot issues devices (gen device, gen devices) and signs a
// CSR with the root's key gone: only the issuing CA's key is opened. Each
// CA has its own passphrase (--passphrase-file CA=FILE); a subordinate CA
// is added later with gen hierarchy --ca, which needs its parent's key.
func TestOfflineRoot(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	twoSubs := batchSpec + `  other:
    kind: ldevid
    ca: sub2
    profile: tls13-iot
    validity: 365d
    subject: "CN=other {{.id}}, O=Example"
`
	twoSubs = strings.Replace(twoSubs, "devices:\n", `  sub2: {parent: root, subject: "CN=Sub2, O=Example, C=DE", validity: 10y}
devices:
`, 1)
	if err := os.WriteFile(spec, []byte(twoSubs), 0o644); err != nil {
		t.Fatal(err)
	}
	rootPass := writeFile(t, "root.pass", []byte("root passphrase\n"))
	subPass := writeFile(t, "sub.pass", []byte("sub passphrase\n"))
	pki := filepath.Join(dir, "pki")
	// The root alone, then the sub CA under it: two explicit steps.
	if code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "root", "--passphrase-file", "root="+rootPass); code != exitOK || out != "root\t"+filepath.Join(pki, "root")+"\tCN=Root,O=Example,C=DE\n" {
		t.Fatalf("gen hierarchy --ca root: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "sub", "--passphrase-file", "root="+rootPass, "--passphrase-file", "sub="+subPass); code != exitOK || !strings.HasPrefix(out, "root\t") || !strings.Contains(out, "\nsub\t") {
		t.Fatalf("gen hierarchy --ca sub: exit %d\n%s%s", code, out, errOut)
	}
	// The root's key goes offline.
	if err := os.Remove(filepath.Join(pki, "root", "key.pem")); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "0001", "--set", "serial=SN1", "--set", "host=h1", "--passphrase-file", "sub="+subPass); code != exitOK {
		t.Fatalf("gen device with the root offline: exit %d\n%s%s", code, out, errOut)
	}
	csv := writeFile(t, "devices.csv", []byte("id,serial,host\n0002,SN2,h2\n0003,SN3,h3\n"))
	if code, out, errOut := iotcert(t, "", "gen", "devices", spec, "--out", pki, "--ca", "sub", "--from", csv, "--passphrase-file", "sub="+subPass); code != exitOK || !strings.HasPrefix(out, "2 devices: 2 issued") {
		t.Fatalf("gen devices with the root offline: exit %d\n%s%s", code, out, errOut)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "sensor 9", Organization: []string{"Example"}, SerialNumber: "SN9"}, DNSNames: []string{"h9.example.com"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	csr := writeFile(t, "device.csr", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	code, out, errOut := iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", pki, "--csr", csr, "--id", "9", "--set", "serial=SN9", "--set", "host=h9", "--passphrase-file", "sub="+subPass)
	if code != exitOK || !strings.HasPrefix(out, "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("sign with the root offline: exit %d\n%s", code, errOut)
	}
	// The sub CA's key opens with its own passphrase only.
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "0004", "--set", "serial=SN4", "--set", "host=h4", "--passphrase-file", rootPass); code != exitUsage || !strings.Contains(errOut, `iotcert gen device: CA "sub": opening key `) {
		t.Errorf("sub key with the root's passphrase: exit %d\n%s", code, errOut)
	}
	// A new subordinate under the offline root needs the root's key.
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "sub2", "--passphrase-file", "root="+rootPass); code != exitUsage || !strings.Contains(errOut, `iotcert gen hierarchy: CA "root": opening key `+filepath.Join(pki, "root", "key.pem")) {
		t.Errorf("gen hierarchy --ca sub2 with the root offline: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "0005", "--passphrase-file", "nope="+subPass); code != exitUsage || !strings.Contains(errOut, `passphrase for CA "nope": not a CA of `) {
		t.Errorf("passphrase for an unknown CA: exit %d\n%s", code, errOut)
	}
}

// TestGenHierarchyResume stops gen hierarchy half-way (a CA directory
// that cannot be made; a key written without its certificate) and runs
// it again without --force: the CAs there are kept, a kept key is
// certified rather than replaced, and the missing CAs are made.
func TestGenHierarchyResume(t *testing.T) {
	dir := t.TempDir()
	spec := writeFile(t, "spec.yaml", []byte(batchSpec))
	pki := filepath.Join(dir, "pki")
	if err := os.MkdirAll(pki, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pki, "sub"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki)
	if code != exitUsage || out != "root\t"+filepath.Join(pki, "root")+"\tCN=Root,O=Example,C=DE\n" || !strings.Contains(errOut, filepath.Join(pki, "sub")) {
		t.Fatalf("sub not a directory: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Lstat(filepath.Join(pki, "root", "key.pem")); err != nil {
		t.Fatalf("root kept: %v", err)
	}
	if err := os.Remove(filepath.Join(pki, "sub")); err != nil {
		t.Fatal(err)
	}
	rootKey := mustRead(t, filepath.Join(pki, "root", "key.pem"))
	// A write killed before its rename left a temporary key file.
	stale := filepath.Join(pki, "root", ".key.pem.tmp4711")
	if err := os.WriteFile(stale, []byte(rootKey), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = iotcert(t, "", "gen", "hierarchy", spec, "--out", pki)
	if code != exitOK || out != "root\t"+filepath.Join(pki, "root")+"\tCN=Root,O=Example,C=DE\t(kept)\nsub\t"+filepath.Join(pki, "sub")+"\tCN=Sub,O=Example,C=DE\n" {
		t.Fatalf("re-run: exit %d\n%s%s", code, out, errOut)
	}
	if mustRead(t, filepath.Join(pki, "root", "key.pem")) != rootKey {
		t.Error("the root key was replaced")
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary key file: %v", err)
	}
	// Stopped after the sub CA's key was written, before its certificate.
	subKey := mustRead(t, filepath.Join(pki, "sub", "key.pem"))
	if err := os.Remove(filepath.Join(pki, "sub", "cert.pem")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = iotcert(t, "", "gen", "hierarchy", spec, "--out", pki)
	if code != exitOK || !strings.HasSuffix(out, "sub\t"+filepath.Join(pki, "sub")+"\tCN=Sub,O=Example,C=DE\n") {
		t.Fatalf("re-run with the sub key kept: exit %d\n%s%s", code, out, errOut)
	}
	if mustRead(t, filepath.Join(pki, "sub", "key.pem")) != subKey {
		t.Error("the kept sub key was replaced")
	}
	// A kept CA must be the spec's.
	changed := writeFile(t, "changed.yaml", []byte(strings.Replace(batchSpec, "CN=Root, O=Example", "CN=Other Root, O=Example", 1)))
	code, _, errOut = iotcert(t, "", "gen", "hierarchy", changed, "--out", pki)
	if want := `iotcert gen hierarchy: CA "root": ` + filepath.Join(pki, "root", "cert.pem") + ` is for "CN=Root,O=Example,C=DE", not the spec's subject: it is kept, not replaced, without --force` + "\n"; code != exitUsage || errOut != want {
		t.Errorf("changed spec: exit %d\n got %s\nwant %s", code, errOut, want)
	}
	cert, err := store.ReadCertFile(filepath.Join(pki, "sub", "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(subKey))
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !key.(*ecdsa.PrivateKey).PublicKey.Equal(cert.PublicKey) {
		t.Error("the new sub certificate is not for the kept key")
	}
}
