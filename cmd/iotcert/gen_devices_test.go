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

	"github.com/iotcert/iotcert/internal/testspec"
)

// batchSpec issues sensors whose DNS name comes from the CSV's host
// column.
const batchSpec = testspec.Sensors

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

	// The same CSV on standard input (--from -): the same devices, done
	// before; a line error names stdin.
	data, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = iotcert(t, string(data), "gen", "devices", spec, "--out", out, "--from", "-")
	if code != exitFindings || stdout != "30 devices: 0 issued, 1 refused, 29 done before\n" {
		t.Errorf("--from -: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = iotcert(t, "id,serial,host\n0001,SN1\n", "gen", "devices", spec, "--out", out, "--from", "-")
	if code != exitUsage || !strings.Contains(stderr, "stdin") {
		t.Errorf("--from - with a bad line: exit %d\n%s", code, stderr)
	}
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
		{"bad layout", []string{"--from", badCSV, "--layout", "files"}, "--layout \"files\": want dirs or jsonl\n"},
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

// TestGenDevicesJSONL issues a batch with --layout jsonl, one device
// refused: one record per issued device in devices.jsonl (0600), no
// device directory; a second run issues nothing new; a devices.jsonl
// others can read is refused.
func TestGenDevicesJSONL(t *testing.T) {
	spec, out, csv := batchSetup(t, 30, func(i int) string {
		if i == 11 {
			return strings.Repeat("h", 64)
		}
		return fmt.Sprintf("s%04d", i)
	})
	args := []string{"gen", "devices", spec, "--out", out, "--from", csv, "--workers", "2", "--layout", "jsonl"}
	code, stdout, stderr := iotcert(t, "", args...)
	if code != exitFindings || stdout != "30 devices: 29 issued, 1 refused, 0 done before\n" ||
		!strings.HasPrefix(stderr, "iotcert gen devices: "+csv+": line 13: refused to sign device \"0011\"") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	checkJSONLDir(t, out, 30, map[string]bool{"0011": true})

	code, stdout, stderr = iotcert(t, "", args...)
	if code != exitFindings || stdout != "30 devices: 0 issued, 1 refused, 29 done before\n" {
		t.Errorf("second run: exit %d\n%s%s", code, stdout, stderr)
	}
	checkJSONLDir(t, out, 30, map[string]bool{"0011": true})

	path := filepath.Join(out, "devices.jsonl")
	if err := os.Chmod(path, 0o604); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = iotcert(t, "", args...)
	if code != exitUsage || stderr != "iotcert gen devices: "+path+": mode 0604 lets group or others at the private keys it holds: make it 0600 (chmod 600 "+path+") and check who has read it\n" {
		t.Errorf("readable devices.jsonl: exit %d\n%s", code, stderr)
	}
}

// checkJSONLDir checks a finished --layout jsonl batch in out: no device
// directory; devices.jsonl is 0600 and holds exactly one record per
// device of the CSV but the refused ones, whose certificate chains to
// the CAs through devices.chain.pem (x509.Verify), whose key is the
// certificate's, whose serial and hash are the certificate's and the
// journal's; serials are distinct; the journal has one issued line per
// device.
func checkJSONLDir(t *testing.T, out string, n int, refused map[string]bool) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(out, "devices")); !os.IsNotExist(err) {
		t.Errorf("devices/: %v", err)
	}
	root := readPEMCert(t, filepath.Join(out, "root", "cert.pem"))
	sub := readPEMCert(t, filepath.Join(out, "sub", "cert.pem"))
	chain, err := os.ReadFile(filepath.Join(out, "devices.chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if want := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sub.Raw}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw})...); !bytes.Equal(chain, want) {
		t.Errorf("devices.chain.pem is not the device CA then the root")
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(root)
	inter.AppendCertsFromPEM(chain)
	issued := journalIssued(t, out)
	path := filepath.Join(out, "devices.jsonl")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("devices.jsonl: mode %v", st.Mode())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Error("devices.jsonl does not end with a line end")
	}
	type record struct {
		ID     string `json:"id"`
		Serial string `json:"serial"`
		SHA256 string `json:"sha256"`
		Cert   string `json:"cert"`
		Key    string `json:"key"`
	}
	seen := map[string]int{}
	serials := map[string]string{}
	for i, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var r record
		dec := json.NewDecoder(bytes.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("devices.jsonl: line %d: %v", i+1, err)
		}
		if first, dup := seen[r.ID]; dup {
			t.Errorf("devices.jsonl: line %d: device %s again (first on line %d)", i+1, r.ID, first)
		}
		seen[r.ID] = i + 1
		block, _ := pem.Decode([]byte(r.Cert))
		if block == nil {
			t.Fatalf("device %s: no PEM certificate", r.ID)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatalf("device %s: %v", r.ID, err)
		}
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("device %s: %v", r.ID, err)
		}
		if c.Subject.CommonName != "sensor "+r.ID {
			t.Errorf("device %s: subject %s", r.ID, c.Subject)
		}
		serial := c.SerialNumber.Text(16)
		if other, dup := serials[serial]; dup {
			t.Errorf("devices %s and %s share serial %s", r.ID, other, serial)
		}
		serials[serial] = r.ID
		sum := sha256.Sum256(c.Raw)
		if l := issued[r.ID]; r.Serial != serial || r.SHA256 != hex.EncodeToString(sum[:]) || l.Serial != serial || l.SHA256 != r.SHA256 {
			t.Errorf("device %s: record serial %s sha256 %s, journal %+v, certificate serial %s", r.ID, r.Serial, r.SHA256, l, serial)
		}
		kb, _ := pem.Decode([]byte(r.Key))
		if kb == nil {
			t.Fatalf("device %s: no PEM key", r.ID)
		}
		key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
		if err != nil || !key.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(c.PublicKey) {
			t.Errorf("device %s: key is not the certificate's key (%v)", r.ID, err)
		}
	}
	for i := range n {
		id := fmt.Sprintf("%04d", i)
		if _, ok := seen[id]; ok == refused[id] {
			t.Errorf("device %s: record %v, refused %v", id, ok, refused[id])
		}
	}
	if len(seen) != n-len(refused) || len(issued) != len(seen) {
		t.Errorf("%d records, %d issued lines, for %d devices", len(seen), len(issued), n-len(refused))
	}
}

// journalLine is what the tests read of a journal line.
type journalLine struct {
	ID, Status, Serial, SHA256 string
}

// journalIssued returns the issued lines of the journal in out by id;
// an id issued twice is an error.
func journalIssued(t *testing.T, out string) map[string]journalLine {
	t.Helper()
	issued := map[string]journalLine{}
	f, err := os.Open(filepath.Join(out, "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l journalLine
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
	return issued
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
	if bar := newProgressBar(w, true, "devices"); bar.w != nil {
		t.Error("a pipe is taken for a terminal")
	}
}

// TestProgressBar draws the bar into a buffer (as on a terminal): it shows
// the count, the rate and the time left; disabled, it draws nothing.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	bar := &progressBar{w: &buf, unit: "devices"}
	bar.update(0, 0) // no total yet: nothing
	bar.update(5, 20)
	bar.clear()
	bar.finish()
	out := buf.String()
	for _, want := range []string{"devices", "(5/20, ", " devices/s)", "[0s:", "]"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar %q lacks %q", out, want)
		}
	}
	if off := newProgressBar(os.Stderr, false, "devices"); off.w != nil {
		t.Error("--progress=false draws a bar")
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
	issued := journalIssued(t, out)
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

// TestReissueEmptyReason: an empty --reissue REASON is a usage error in
// every command that takes it, not a run without --reissue.
func TestReissueEmptyReason(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		args []string
	}{
		{"gen device", []string{"gen", "device", "spec.yaml", "--out", "pki", "--ca", "sub", "--id", "1", "--reissue", ""}},
		{"gen devices", []string{"gen", "devices", "spec.yaml", "--out", "pki", "--from", "d.csv", "--reissue="}},
		{"sign", []string{"sign", "spec.yaml", "--ca", "sub", "--csr", "d.csr", "--id", "1", "--reissue", ""}},
	} {
		code, _, errOut := iotcert(t, "", tc.args...)
		if want := "iotcert " + tc.cmd + ": --reissue needs a REASON: it is journaled with the serial it replaces\n"; code != exitUsage || errOut != want {
			t.Errorf("%v: exit %d, %q; want %d, %q", tc.args, code, errOut, exitUsage, want)
		}
	}
}
