package main

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// batchSpec issues sensors whose DNS name comes from the CSV's host
// column.
const batchSpec = `
cas:
  root: {subject: "CN=Root, O=Example, C=DE", validity: 20y}
  sub: {parent: root, subject: "CN=Sub, O=Example, C=DE", validity: 10y}
devices:
  sensor:
    kind: ldevid
    ca: sub
    profile: tls13-iot
    validity: 365d
    subject: "CN=sensor {{.id}}, O=Example, serialNumber={{.serial}}"
    san:
      - dns: "{{.host}}.example.com"
    eku: [clientAuth]
`

// batchSetup writes the spec, creates its CAs, and writes a devices CSV
// of n devices (edit changes a row's host); it returns the spec, the
// output directory and the CSV.
func batchSetup(t *testing.T, n int, host func(i int) string) (spec, out, csv string) {
	t.Helper()
	dir := t.TempDir()
	spec = filepath.Join(dir, "hierarchy.yaml")
	if err := os.WriteFile(spec, []byte(batchSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	out = filepath.Join(dir, "pki")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", out); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	var b strings.Builder
	b.WriteString("id,serial,host\n")
	for i := range n {
		h := fmt.Sprintf("s%04d", i)
		if host != nil {
			h = host(i)
		}
		fmt.Fprintf(&b, "%04d,SN%04d,%s\n", i, i, h)
	}
	csv = filepath.Join(dir, "devices.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec, out, csv
}

// TestGenDevices issues a batch with one device the gate refuses (a DNS
// label of 64 characters): it is reported with its CSV line, the others
// are issued, the exit status is 1; a second run issues nothing new.
func TestGenDevices(t *testing.T) {
	spec, out, csv := batchSetup(t, 30, func(i int) string {
		if i == 11 {
			return strings.Repeat("h", 64)
		}
		return fmt.Sprintf("s%04d", i)
	})
	code, stdout, stderr := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv, "--workers", "2")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout != "30 devices: 29 issued, 1 refused, 0 done before\n" {
		t.Errorf("stdout %q", stdout)
	}
	wantErr := "iotcert gen devices: " + csv + ": line 13: refused to sign device \"0011\" (profile tls13-iot):\n" +
		"  error e_rfc_dnsname_label_too_long: DNSName labels MUST be less than or equal to 63 characters\n"
	if stderr != wantErr {
		t.Errorf("stderr\n%q\nwant\n%q", stderr, wantErr)
	}
	checkBatchDir(t, out, 30, map[string]bool{"0011": true})

	code, stdout, stderr = iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv)
	if code != exitFindings || stdout != "30 devices: 0 issued, 1 refused, 29 done before\n" {
		t.Errorf("second run: exit %d\n%s%s", code, stdout, stderr)
	}
	checkBatchDir(t, out, 30, map[string]bool{"0011": true})
}

// TestGenDevicesErrors checks usage and CSV errors: exit 2, with the CSV
// line, and nothing issued.
func TestGenDevicesErrors(t *testing.T) {
	spec, out, _ := batchSetup(t, 0, nil)
	badCSV := writeFile(t, "bad.csv", []byte("id,serial,host\n1,SN1,a\n1,SN2,b\n2,SN3\n"))
	for _, tc := range []struct {
		name string
		args []string
		err  string
	}{
		{"bad rows", []string{"--from", badCSV},
			badCSV + ": line 3: device id \"1\" again (first on line 2)\n" + badCSV + ": line 4: 2 fields, the header has 3\n"},
		{"no CSV", []string{}, "want one SPEC, --out DIR and --from CSV\n"},
		{"unknown device", []string{"--from", badCSV, "--device", "nope"}, "--device \"nope\" is not a device profile of " + spec + "\n"},
		{"negative workers", []string{"--from", badCSV, "--workers", "-1"}, "--workers must be positive\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"gen", "devices", spec, "--out", out}, tc.args...)
			code, _, stderr := iotcert(t, "", args...)
			if code != exitUsage || stderr != "iotcert gen devices: "+tc.err {
				t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, stderr, tc.err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "devices")); !os.IsNotExist(err) {
		t.Errorf("devices made: %v", err)
	}
}

// TestGenDevicesNoProgressOnPipe runs a batch with stderr on a pipe: no
// progress bar is drawn.
func TestGenDevicesNoProgressOnPipe(t *testing.T) {
	spec, out, csv := batchSetup(t, 20, nil)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	code := run([]string{"gen", "devices", spec, "--out", out, "--from", csv}, nil, &stdout, w)
	w.Close()
	stderr, _ := io.ReadAll(r)
	if code != exitOK || len(stderr) != 0 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if bar := newProgressBar(w); bar.w != nil {
		t.Error("a pipe is taken for a terminal")
	}
}

// checkBatchDir checks a finished batch in out: every device of the CSV
// but the refused ones has exactly one certificate, which chains to the
// CAs, with its key (0600) and chain; the journal has one issued line per
// device with its serial and hash; serials are distinct and have at
// least 64 bits; no temporary directory is left.
func checkBatchDir(t *testing.T, out string, n int, refused map[string]bool) {
	t.Helper()
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	root := readPEMCert(t, filepath.Join(out, "root", "cert.pem"))
	roots.AddCert(root)
	inter.AddCert(readPEMCert(t, filepath.Join(out, "sub", "cert.pem")))
	type line struct {
		ID, Status, Serial, SHA256 string
	}
	issued := map[string]line{}
	f, err := os.Open(filepath.Join(out, "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("journal line %q: %v", sc.Text(), err)
		}
		if l.Status == "issued" {
			if _, dup := issued[l.ID]; dup {
				t.Errorf("device %s journaled as issued twice", l.ID)
			}
			issued[l.ID] = l
		}
	}
	serials := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("%04d", i)
		dir := filepath.Join(out, "devices", id)
		if refused[id] {
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("refused device %s: %v", id, err)
			}
			continue
		}
		c := readPEMCert(t, filepath.Join(dir, "cert.pem"))
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("device %s: %v", id, err)
		}
		serial := c.SerialNumber.Text(16)
		if c.SerialNumber.BitLen() < 64 {
			t.Errorf("device %s: serial %s has %d bits", id, serial, c.SerialNumber.BitLen())
		}
		if other, dup := serials[serial]; dup {
			t.Errorf("devices %s and %s share serial %s", id, other, serial)
		}
		serials[serial] = id
		sum := sha256.Sum256(c.Raw)
		if l := issued[id]; l.Serial != serial || l.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("device %s: journal %+v, certificate serial %s", id, l, serial)
		}
		st, err := os.Stat(filepath.Join(dir, "key.pem"))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("device %s: key.pem %v %v", id, st, err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(data)
		if block == nil {
			t.Fatalf("device %s: key.pem holds no PEM", id)
		}
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil || !key.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(c.PublicKey) {
			t.Errorf("device %s: key.pem is not the certificate's key (%v)", id, err)
		}
		chain, err := os.ReadFile(filepath.Join(dir, "chain.pem"))
		if err != nil || !bytes.HasPrefix(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})) ||
			!bytes.HasSuffix(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw})) {
			t.Errorf("device %s: chain.pem is not device ... root (%v)", id, err)
		}
	}
	if len(issued) != n-len(refused) {
		t.Errorf("%d issued lines for %d devices", len(issued), n-len(refused))
	}
	entries, err := os.ReadDir(filepath.Join(out, "devices"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n-len(refused) {
		var extra []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				extra = append(extra, e.Name())
			}
		}
		t.Errorf("devices/ holds %d entries, want %d; temporary: %v", len(entries), n-len(refused), extra)
	}
}

func readPEMCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM", path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}
