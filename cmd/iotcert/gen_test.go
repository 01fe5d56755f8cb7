package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/testspec"

	"github.com/iotcert/iotcert/store"
)

// TestGenExample runs the commands a new user would: print the example,
// create its hierarchy, issue a device, and lint what was made.
func TestGenExample(t *testing.T) {
	dir := t.TempDir()
	code, example, errOut := iotcert(t, "", "gen", "example")
	if code != exitOK || !strings.Contains(example, "bacnet://{{.id}}") {
		t.Fatalf("gen example: exit %d\n%s", code, errOut)
	}
	spec := filepath.Join(dir, "example.yaml")
	if err := os.WriteFile(spec, []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	pki := filepath.Join(dir, "pki")
	if code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki); code != exitOK || !strings.Contains(out, "device-ca\t") {
		t.Fatalf("gen hierarchy: exit %d\n%s%s", code, out, errOut)
	}
	// A second run keeps the CAs there: nothing is replaced without --force.
	rootCert := mustRead(t, filepath.Join(pki, "root", "cert.pem"))
	code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki)
	if code != exitOK || strings.Count(out, "\t(kept)\n") != 2 || mustRead(t, filepath.Join(pki, "root", "cert.pem")) != rootCert {
		t.Errorf("second gen hierarchy: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "device-ca")
	if code != exitUsage || !strings.Contains(errOut, "device-ca/cert.pem exists: CA material is not replaced without --force") {
		t.Errorf("gen hierarchy --ca device-ca again: exit %d\n%s", code, errOut)
	}
	if code, out, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "device-ca", "--id", "1234", "--set", "serial=SN1234"); code != exitOK || !strings.HasPrefix(out, "1234\t") {
		t.Fatalf("gen device: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "device-ca", "--id", "1234")
	if code != exitUsage || !strings.Contains(errOut, `iotcert gen device: device "1234" (profile bacnet-controller) is issued already (serial `) {
		t.Errorf("same device again: exit %d\n%s", code, errOut)
	}
	// The CAs lint clean with the built-in profile they were made with.
	code, out, errOut = iotcert(t, "", "lint", "--at", atNow(), "--profile", "tls13-iot", "--fail-on", "warn",
		filepath.Join(pki, "root", "cert.pem"), filepath.Join(pki, "device-ca", "cert.pem"))
	if code != exitOK {
		t.Errorf("lint CAs: exit %d\n%s%s", code, out, errOut)
	}
	// The device, linted with its chain under bacnet-sc, the profile it
	// was made with, is clean.
	chain := filepath.Join(pki, "devices", "1234", "chain.pem")
	code, out, errOut = iotcert(t, "", "lint", "--at", atNow(), "--profile", "bacnet-sc", "--fail-on", "notice", chain)
	if code != exitOK || !strings.Contains(out, "3 certificate(s) linted with profile bacnet-sc: 3 clean; findings: 0 fatal, 0 error, 0 warn, 0 notice") {
		t.Errorf("lint device with bacnet-sc: exit %d\n%s%s", code, out, errOut)
	}
	// Under ldevid-8021ar, which bacnet-sc extends, its bacnet:// URI is
	// the one error: RFC 5280 wants a host name where BACnet puts the
	// device instance (see docs/ecosystems.md).
	code, out, _ = iotcert(t, "", "lint", "--at", atNow(), "--profile", "ldevid-8021ar", "--format", "json", chain)
	if code != exitFindings || strings.Count(out, `"lint":`) != 1 || !strings.Contains(out, `"lint":"e_ext_san_uri_host_not_fqdn_or_ip","level":"error"`) {
		t.Errorf("lint device with ldevid-8021ar: exit %d\n%s", code, out)
	}
	for _, f := range []string{"cert.pem", "key.pem", "chain.pem"} {
		if _, err := os.Stat(filepath.Join(pki, "devices", "1234", f)); err != nil {
			t.Error(err)
		}
	}
}

// signSpec is the sensors spec with a DNS name made from the id, so that
// sign and gen device need no host field.
var signSpec = strings.Replace(testspec.Sensors, `"{{.host}}.example.com"`, `"sensor-{{.id}}.example.com"`, 1)

// TestSign signs a good CSR and refuses a bad signature, an RSA key and
// two dNSNames with exit 1 and the reason; input errors exit 2.
func TestSign(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(spec, []byte(signSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", dir); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	csr := func(name string, key crypto.Signer, corrupt bool, dns ...string) string {
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
			Subject:  pkix.Name{CommonName: "sensor 9", Organization: []string{"Example"}, SerialNumber: "SN9"},
			DNSNames: dns,
		}, key)
		if err != nil {
			t.Fatal(err)
		}
		if corrupt {
			der[len(der)-1] ^= 0x01 // the last octet of the signature
		}
		return writeFile(t, name, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	}
	emptyCSR := writeFile(t, "empty.csr", []byte("\n"))
	hugeCSR := writeFile(t, "huge.csr", make([]byte, 64<<10+1))
	for _, tc := range []struct {
		name, csr, want string
		code            int
	}{
		{"bad signature", csr("bad.csr", p256, true, "sensor-9.example.com"), "the CSR's signature does not verify: x509: ECDSA verification failure", exitFindings},
		{"RSA key", csr("rsa.csr", rsaKey, false, "sensor-9.example.com"), `the CSR's key is RSA-2048; device profile "sensor" requires P-256`, exitFindings},
		{"two DNS names", csr("two.csr", p256, false, "a.example.com", "b.example.com"), `the CSR requests 2 dNSName subjectAltNames; device profile "sensor" allows 1`, exitFindings},
		{"another device's name", csr("other.csr", p256, false, "sensor-8.example.com"), "the CSR's subjectAltName differs from the device's (CSR only: dNSName sensor-8.example.com; device only: dNSName sensor-9.example.com)", exitFindings},
		{"missing CSR", filepath.Join(dir, "none.csr"), "iotcert sign: CSR: open ", exitUsage},
		{"not a CSR", writeFile(t, "junk.csr", []byte("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")), "iotcert sign: CSR ", exitUsage},
		{"empty CSR", emptyCSR, "iotcert sign: CSR " + emptyCSR + ": empty: want a certificate request (PEM or DER)\n", exitUsage},
		{"CSR past the size limit", hugeCSR, "iotcert sign: CSR: " + hugeCSR + ": larger than 65536 bytes\n", exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, errOut := iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", dir, "--csr", tc.csr, "--id", "9", "--set", "serial=SN9")
			if code != tc.code || !strings.Contains(errOut, tc.want) || stdout != "" {
				t.Errorf("exit %d (want %d), stdout %q\n%s\nwant %q", code, tc.code, stdout, errOut, tc.want)
			}
		})
	}
	out := filepath.Join(dir, "device.pem")
	code, _, errOut := iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", dir, "--csr", csr("good.csr", p256, false, "sensor-9.example.com"), "--id", "9", "--set", "serial=SN9", "--out", out, "--chain")
	if code != exitOK {
		t.Fatalf("good CSR: exit %d\n%s", code, errOut)
	}
	if data, _ := os.ReadFile(out); strings.Count(string(data), "BEGIN CERTIFICATE") != 3 {
		t.Errorf("--chain output holds %d certificates, want 3", strings.Count(string(data), "BEGIN CERTIFICATE"))
	}
	// The id is signed once; a reissue gives its reason.
	code, _, errOut = iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", dir, "--csr", csr("again.csr", p256, false), "--id", "9", "--set", "serial=SN9")
	if code != exitUsage || !strings.Contains(errOut, `iotcert sign: device "9" (profile sensor) is issued already (serial `) {
		t.Errorf("second sign of id 9: exit %d\n%s", code, errOut)
	}
	code, _, errOut = iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", dir, "--csr", csr("other.csr", p256, false, "whatever.example.com"), "--id", "9", "--set", "serial=SN9", "--reissue", "key lost", "--ignore-csr-names")
	if code != exitOK {
		t.Fatalf("reissue: exit %d\n%s", code, errOut)
	}
	entries, err := store.ReadJournal(filepath.Join(dir, store.JournalFile))
	if err != nil || len(entries) != 2 {
		t.Fatalf("journal: %v %+v", err, entries)
	}
	if e := entries[1]; e.ID != "9" || e.CA != "sub" || e.Profile != "sensor" || e.Previous != entries[0].Serial || e.ReissueReason != "key lost" || e.Fields["serial"] != "SN9" || !strings.HasPrefix(e.Command, "iotcert sign "+spec) {
		t.Errorf("reissue line %+v", e)
	}
	code, _, errOut = iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", dir, "--csr", csr("noid.csr", p256, false))
	if code != exitUsage || errOut != "iotcert sign: want one SPEC, --ca NAME, --csr FILE and --id ID (the device the certificate is for)\n" {
		t.Errorf("no --id: exit %d\n%s", code, errOut)
	}
	code, _, errOut = iotcert(t, "", "sign", spec, "--ca", "nope", "--dir", dir, "--csr", csr("any.csr", p256, false, "sensor-9.example.com"), "--id", "9")
	if code != exitUsage || !strings.Contains(errOut, `--ca "nope" is not a CA of `) {
		t.Errorf("unknown CA: exit %d\n%s", code, errOut)
	}
	// Standard input: empty, and past the size limit.
	for stdin, want := range map[string]string{
		"":                            "iotcert sign: CSR -: empty: want a certificate request (PEM or DER)\n",
		strings.Repeat("A", 64<<10+1): "iotcert sign: CSR: -: larger than 65536 bytes\n",
	} {
		code, out, errOut := iotcert(t, stdin, "sign", spec, "--ca", "sub", "--dir", dir, "--csr", "-", "--id", "10", "--set", "serial=SN10")
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("--csr - with %d bytes: exit %d, stdout %q, stderr %q; want exit %d, %q", len(stdin), code, out, errOut, exitUsage, want)
		}
	}
}

// TestGenUsage checks the usage errors of gen.
func TestGenUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gen"}, "Usage: iotcert gen example"},
		{[]string{"gen", "frobnicate"}, `iotcert gen: unknown subcommand "frobnicate"`},
		{[]string{"gen", "example", "zigbee"}, `iotcert gen example: unknown example "zigbee" (want none, matter or est)`},
		{[]string{"gen", "example", "matter", "x"}, `iotcert gen example: unknown example "matter x" (want none, matter or est)`},
		{[]string{"gen", "hierarchy", "spec.yaml"}, "iotcert gen hierarchy: want one SPEC and --out DIR"},
		{[]string{"gen", "device", "spec.yaml", "--out", "x"}, "iotcert gen device: want one SPEC, --out DIR, --ca NAME and --id ID"},
		{[]string{"gen", "hierarchy", "/nonexistent/spec.yaml", "--out", "x"}, "iotcert gen hierarchy: hierarchy spec: open /nonexistent/spec.yaml: no such file or directory"},
		{[]string{"gen", "device", "s", "--out", "x", "--ca", "c", "--id", "1", "--set", "id=2"}, `invalid value "id=2" for flag -set: the id is given with --id`},
	} {
		code, _, errOut := iotcert(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d\n%s\nwant %q", tc.args, code, errOut, tc.want)
		}
	}
}
