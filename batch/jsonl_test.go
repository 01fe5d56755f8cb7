package batch

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

var jsonlOpts = Options{Source: "devices.csv", Workers: 3, Layout: store.LayoutJSONL}

// TestIssueBatchJSONL issues a batch in the jsonl layout with one device
// the gate refuses, checks every record, the chain file, the mode and the
// journal, then runs the batch again, which issues nothing new.
func TestIssueBatchJSONL(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(40, func(i int, r *Row) {
		if i == 7 {
			r.fields["host"] = strings.Repeat("a", 64)
		}
	})
	var refused []string
	opts := jsonlOpts
	opts.Refused = func(r Row, err *ldevid.RefusedError) { refused = append(refused, r.id) }
	sum, err := Issue(h, out, "sensor", rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 40, Issued: 39, Refused: 1}) || len(refused) != 1 || refused[0] != "dev-007" {
		t.Errorf("summary %+v, refused %v", *sum, refused)
	}
	if _, err := os.Lstat(filepath.Join(out, store.DevicesDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the jsonl layout made %s: %v", store.DevicesDir, err)
	}
	checkJSONL(t, h, out, rows, map[string]bool{"dev-007": true})
	before, _ := os.ReadFile(filepath.Join(out, store.DevicesFile))

	refused = nil
	sum, err = Issue(h, out, "sensor", rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 40, Done: 39, Refused: 1}) || len(refused) != 1 {
		t.Errorf("second run: summary %+v, refused %v", *sum, refused)
	}
	if after, _ := os.ReadFile(filepath.Join(out, store.DevicesFile)); !bytes.Equal(before, after) {
		t.Error("the second run changed devices.jsonl")
	}
	checkJSONL(t, h, out, rows, map[string]bool{"dev-007": true})
}

// checkJSONL checks a finished jsonl batch in out: devices.jsonl is 0600
// and has exactly one complete record per id not refused, fields in
// order, whose certificate verifies with devices.chain.pem, whose key is
// the certificate's, whose serial and hash are the certificate's and the
// journal's; serials are distinct; the journal has one issued line per
// record.
func checkJSONL(t *testing.T, h *ldevid.Hierarchy, out string, rows []Row, refused map[string]bool) map[string]store.DeviceRecord {
	t.Helper()
	path := filepath.Join(out, store.DevicesFile)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", store.DevicesFile, st.Mode())
	}
	chainPEM, err := os.ReadFile(filepath.Join(out, store.DevicesChainFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := append(store.CertPEM(h.CA("sub").Cert), store.CertPEM(h.CA("root").Cert)...); !bytes.Equal(chainPEM, want) {
		t.Errorf("%s is not the sub CA then the root", store.DevicesChainFile)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for rest := chainPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(c.RawIssuer, c.RawSubject) {
			roots.AddCert(c)
		} else {
			inter.AddCert(c)
		}
	}
	entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	issued := map[string]store.JournalEntry{}
	for _, e := range entries {
		if e.Status == store.StatusIssued {
			if _, dup := issued[e.ID]; dup {
				t.Errorf("%s journaled as issued twice", e.ID)
			}
			issued[e.ID] = e
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("%s does not end with a line end", store.DevicesFile)
	}
	records := map[string]store.DeviceRecord{}
	serials := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var names []string
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("line %d: not an object: %v", n, err)
		}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
			names = append(names, key.(string))
			var value json.RawMessage
			if err := dec.Decode(&value); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
		}
		if want := []string{"id", "serial", "sha256", "cert", "key"}; !reflect.DeepEqual(names, want) {
			t.Errorf("line %d: fields %v, want %v", n, names, want)
		}
		var rec store.DeviceRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if _, dup := records[rec.ID]; dup {
			t.Errorf("line %d: %s again", n, rec.ID)
		}
		records[rec.ID] = rec
		block, _ := pem.Decode([]byte(rec.Cert))
		if block == nil {
			t.Fatalf("line %d: no PEM certificate", n)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: %v", rec.ID, err)
		}
		if c.Subject.CommonName != "sensor "+rec.ID {
			t.Errorf("%s: subject %s", rec.ID, c.Subject)
		}
		serial := c.SerialNumber.Text(16)
		sum := sha256.Sum256(c.Raw)
		if rec.Serial != serial || rec.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: record serial %s sha256 %s, certificate %s %x", rec.ID, rec.Serial, rec.SHA256, serial, sum)
		}
		if e := issued[rec.ID]; e.Serial != serial || e.SHA256 != rec.SHA256 || !e.NotAfter.Equal(c.NotAfter) {
			t.Errorf("%s: journal %+v, certificate serial %s notAfter %v", rec.ID, e, serial, c.NotAfter)
		}
		if other, dup := serials[serial]; dup {
			t.Errorf("%s and %s share serial %s", rec.ID, other, serial)
		}
		serials[serial] = rec.ID
		kb, _ := pem.Decode([]byte(rec.Key))
		if kb == nil || rec.KeyRef != "" {
			t.Fatalf("%s: no PEM key (key_ref %q)", rec.ID, rec.KeyRef)
		}
		key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
		if err != nil || !keys.SamePublicKey(c.PublicKey, key.(crypto.Signer).Public()) {
			t.Errorf("%s: key is not the certificate's key: %v", rec.ID, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, ok := records[r.id]; ok == refused[r.id] {
			t.Errorf("%s: record %v, refused %v", r.id, ok, refused[r.id])
		}
	}
	if len(records) != len(rows)-len(refused) || len(issued) != len(records) {
		t.Errorf("%d records, %d issued lines for %d devices", len(records), len(issued), len(rows)-len(refused))
	}
	return records
}

// jsonlLines returns the lines of devices.jsonl in out.
func jsonlLines(t *testing.T, out string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, store.DevicesFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] != "" {
		t.Fatalf("%s does not end with a line end", store.DevicesFile)
	}
	return lines[:len(lines)-1]
}

func lineID(line string) string {
	var rec store.DeviceRecord
	json.Unmarshal([]byte(line), &rec)
	return rec.ID
}

// writeJSONL writes the devices.jsonl of out, mode 0600.
func writeJSONL(t *testing.T, out, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(out, store.DevicesFile), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestIssueBatchJSONLRecovers sets up the states a killed jsonl batch
// leaves — (a) a record cut short at the end, (b) records written and
// synced whose journal lines are missing, a last line that is not a
// complete record — and checks that the next run repairs each and issues
// exactly the devices without a record.
func TestIssueBatchJSONLRecovers(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(10, nil)
	if _, err := Issue(h, out, "sensor", rows[:6], jsonlOpts); err != nil {
		t.Fatal(err)
	}
	// (b) The journal lines of the last two records are lost.
	jpath := filepath.Join(out, store.JournalFile)
	jdata, _ := os.ReadFile(jpath)
	jlines := strings.SplitAfter(string(jdata), "\n")
	if err := os.WriteFile(jpath, []byte(strings.Join(jlines[:4], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	lost := map[string]bool{lineID(jlines[4]): true, lineID(jlines[5]): true}
	// (a) A record of device 9 cut in the middle of its key: a write
	// cut short by a kill.
	lines := jsonlLines(t, out)
	other := batchHierarchy(t) // a device issued and lost: any record will do
	dev, err := other.IssueDevice(rows[9].request("sensor"))
	if err != nil {
		t.Fatal(err)
	}
	serial, digest := store.CertIdentity(dev.Cert)
	torn, err := json.Marshal(store.DeviceRecord{ID: dev.ID, Serial: serial, SHA256: digest, Cert: string(store.CertPEM(dev.Cert)), Key: string(dev.Stored().Key.PEM)})
	if err != nil {
		t.Fatal(err)
	}
	torn = append(torn, '\n')
	writeJSONL(t, out, strings.Join(lines, "")+string(torn[:len(torn)-200]))

	sum, err := Issue(h, out, "sensor", rows, jsonlOpts)
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 10, Done: 6, Recovered: 2, Truncated: 1, Issued: 4}) {
		t.Errorf("summary %+v", *sum)
	}
	records := checkJSONL(t, h, out, rows, nil)
	if records["dev-009"].SHA256 == hex.EncodeToString(func() []byte { s := sha256.Sum256(dev.Cert.Raw); return s[:] }()) {
		t.Error("the torn record of dev-009 was kept")
	}
	entries, _ := store.ReadJournal(jpath)
	recovered := 0
	for _, e := range entries {
		if e.Recovered {
			recovered++
			if !lost[e.ID] {
				t.Errorf("recovered line for %s, want %v", e.ID, lost)
			}
		}
	}
	if recovered != 2 {
		t.Errorf("%d recovered lines, want 2", recovered)
	}

	// A last line that ends but is not a complete record (a file system
	// that kept the end of a write but not all of it) is removed too.
	lines = jsonlLines(t, out)
	for _, bad := range []string{`{"id":"dev-009","serial":"ab","sha256":"` + strings.Repeat("0", 64) + `","cert":""}` + "\n", "\x00\x00\x00\n"} {
		writeJSONL(t, out, strings.Join(lines, "")+bad)
		sum, err = Issue(h, out, "sensor", rows, jsonlOpts)
		if err != nil {
			t.Fatal(err)
		}
		if counts(sum) != (batchCounts{Devices: 10, Done: 10, Truncated: 1}) {
			t.Errorf("bad last line %q: summary %+v", bad, *sum)
		}
		if got := jsonlLines(t, out); !reflect.DeepEqual(got, lines) {
			t.Errorf("bad last line %q: the file has %d lines, want %d", bad, len(got), len(lines))
		}
	}
	checkJSONL(t, h, out, rows, nil)
}

// TestIssueBatchJSONLErrors checks the states a run refuses to go on
// from: (c) a journaled device without a record, (d) a device twice in
// the file, a bad line that is not the last, a record whose hash is not
// the journal's, a file group or others can read. Nothing is issued.
func TestIssueBatchJSONLErrors(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(6, nil)
	if _, err := Issue(h, out, "sensor", rows[:4], jsonlOpts); err != nil {
		t.Fatal(err)
	}
	lines := jsonlLines(t, out)
	path := filepath.Join(out, store.DevicesFile)
	second := lineID(lines[1])
	var row Row
	for _, r := range rows {
		if r.id == second {
			row = r
		}
	}
	for _, tc := range []struct {
		name, content string
		mode          os.FileMode
		err           string
	}{
		{"journaled, no record", lines[0] + lines[2] + lines[3], 0o600,
			fmt.Sprintf(`devices.csv: line %d: device %q is issued (%s) but neither %s nor a record in %s is there: restore it; it is not issued again`,
				row.Line, second, filepath.Join(out, store.JournalFile), store.DeviceDir(out, second), path)},
		{"twice", strings.Join(lines, "") + lines[1], 0o600,
			fmt.Sprintf(`%s: line 5: device %q again (first on line 2): it was issued twice; keep one and remove the other, or restore the file`, path, second)},
		{"bad line inside", lines[0] + "{}\n" + strings.Join(lines[1:], ""), 0o600,
			path + ": line 2: not a device record: no valid id"},
		{"hash not the journal's", lines[0] + lines[1] + lines[3][:strings.Index(lines[3], `"sha256":"`)+10] + strings.Repeat("0", 64) + lines[3][strings.Index(lines[3], `"sha256":"`)+74:], 0o600,
			fmt.Sprintf(`%s: line 3: device %q has sha256 %s, its journal line %s: restore the file`, path, lineID(lines[3]), strings.Repeat("0", 64), lineSHA(lines[3]))},
		{"readable by others", strings.Join(lines, ""), 0o644,
			fmt.Sprintf("%s: mode 0644 lets group or others at the private keys it holds: make it 0600 (chmod 600 %s) and check who has read it", path, path)},
		{"readable by group", strings.Join(lines, ""), 0o640,
			fmt.Sprintf("%s: mode 0640 lets group or others at the private keys it holds: make it 0600 (chmod 600 %s) and check who has read it", path, path)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeJSONL(t, out, tc.content)
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			journal, _ := os.ReadFile(filepath.Join(out, store.JournalFile))
			_, err := Issue(h, out, "sensor", rows, jsonlOpts)
			if err == nil || err.Error() != tc.err {
				t.Errorf("error\n%v\nwant\n%s", err, tc.err)
			}
			if after, _ := os.ReadFile(filepath.Join(out, store.JournalFile)); !bytes.Equal(after, journal) {
				t.Error("the journal changed")
			}
			if after, _ := os.ReadFile(path); string(after) != tc.content {
				t.Error("devices.jsonl changed")
			}
			if err != nil && strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Error("the error shows a key")
			}
		})
	}
}

func lineSHA(line string) string {
	var rec store.DeviceRecord
	json.Unmarshal([]byte(line), &rec)
	return rec.SHA256
}

// TestIssueBatchLayoutsMix checks that a device issued in one layout is
// not issued again in the other, and that the chain file of another CA
// is refused.
func TestIssueBatchLayoutsMix(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(8, nil)
	if _, err := Issue(h, out, "sensor", rows[:3], Options{}); err != nil {
		t.Fatal(err)
	}
	sum, err := Issue(h, out, "sensor", rows[:6], jsonlOpts)
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 6, Done: 3, Issued: 3}) {
		t.Errorf("jsonl after dirs: summary %+v", *sum)
	}
	for _, l := range jsonlLines(t, out) {
		if id := lineID(l); id < "dev-003" {
			t.Errorf("%s issued again in devices.jsonl", id)
		}
	}
	sum, err = Issue(h, out, "sensor", rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 8, Done: 6, Issued: 2}) {
		t.Errorf("dirs after jsonl: summary %+v", *sum)
	}
	for i, r := range rows {
		_, err := os.Lstat(store.DeviceDir(out, r.id))
		if (i < 3 || i >= 6) != (err == nil) {
			t.Errorf("%s: directory: %v", r.id, err)
		}
	}

	// A chain file of another hierarchy's CA.
	other := batchHierarchy(t)
	_, err = Issue(other, out, "sensor", rows, jsonlOpts)
	want := filepath.Join(out, store.DevicesChainFile) + ` holds another chain than that of CA "sub"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("another CA: %v, want %s...", err, want)
	}
}
