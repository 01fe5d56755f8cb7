package batch

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iotcert/iotcert/internal/testspec"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// TestReadDevices reads good and bad device lists; every error names the
// line.
func TestReadDevices(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		want      []Row
		err       string
	}{
		{"good", "\ufeffid,serial,mac\n1,SN1,00:1b:63:84:45:e6\n\n2,SN2,\n", []Row{
			{Line: 2, id: "1", fields: map[string]string{"serial": "SN1", "mac": "00:1b:63:84:45:e6"}},
			{Line: 4, id: "2", fields: map[string]string{"serial": "SN2", "mac": ""}},
		}, ""},
		{"quoted comma", "serial,id\n\"SN,1\",a-1\n", []Row{{Line: 2, id: "a-1", fields: map[string]string{"serial": "SN,1"}}}, ""},
		{"empty", "", nil, "devices.csv: empty: want a header row with an id column"},
		{"header only", "id\n", nil, "devices.csv: no devices after the header"},
		{"no id column", "serial,mac\nSN1,x\n", nil, `devices.csv: line 1: no id column in the header "serial,mac"`},
		{"a line past the limit", "id\n" + strings.Repeat("1", 1<<20+1) + "\n", nil, "devices.csv: line 2: longer than 1048576 bytes"},
		{"binary header", "0w\x02\x01\x01\x04 \x7f\xfe\x94',\tSE\xbau\n", nil, "devices.csv: line 1: column 1 of the header is not text (not shown: it may be a key); want a CSV file with a header row"},
		{"one field, not id", "correct horse battery staple\n", nil, "devices.csv: line 1: no id column in the header (one field of 28 bytes, not shown: it may be a key or a password)"},
		{"column twice", "id,serial,serial\n", nil, `devices.csv: line 1: column "serial" appears twice (columns 2 and 3)`},
		{"unnamed column", "id,,x\n", nil, "devices.csv: line 1: column 2 has no name"},
		{"bad rows", "id,serial\n1,SN1\n2\n../x,SN\n1,SN9\n3,SN3,extra\n", nil,
			"devices.csv: line 3: 1 fields, the header has 2\n" +
				`devices.csv: line 4: device id "../x": only letters, digits, '-', '_' and '.' are allowed` + "\n" +
				`devices.csv: line 5: device id "1" again (first on line 2)` + "\n" +
				"devices.csv: line 6: 3 fields, the header has 2"},
		{"dot id", "id\n..\n", nil, `devices.csv: line 2: device id "..": want 1 to 64 characters, and not "." or ".."`},
		{"bare quote", "id,serial\n1,S\"N\n", nil, `devices.csv: line 2: bare " in non-quoted-field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ReadDevices("devices.csv", strings.NewReader(tc.csv))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error\n%v\nwant\n%s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(rows) != fmt.Sprint(tc.want) {
				t.Errorf("rows %v, want %v", rows, tc.want)
			}
		})
	}
}

// batchSpec issues sensors named by a DNS name made from a CSV column.
const batchSpec = testspec.Sensors

func batchHierarchy(t *testing.T) *ldevid.Hierarchy {
	t.Helper()
	s, err := ldevid.LoadSpec("batch.yaml", []byte(batchSpec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := ldevid.New(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	return h
}

func batchRows(n int, edit func(i int, r *Row)) []Row {
	rows := make([]Row, n)
	for i := range rows {
		id := fmt.Sprintf("dev-%03d", i)
		rows[i] = Row{Line: i + 2, id: id, fields: map[string]string{"serial": "SN" + id, "host": id}}
		if edit != nil {
			edit(i, &rows[i])
		}
	}
	return rows
}

// TestIssueBatch issues a batch with one device the gate refuses (its
// DNS name has a label of 64 characters, RFC 1035 allows 63), checks every
// published device and the journal, then runs the batch again, which
// issues nothing new.
func TestIssueBatch(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(40, func(i int, r *Row) {
		if i == 7 {
			r.fields["host"] = strings.Repeat("a", 64)
		}
	})
	var refused []string
	var progress [][2]int
	opts := Options{
		Source:   "devices.csv",
		Workers:  3,
		Refused:  func(r Row, err *ldevid.RefusedError) { refused = append(refused, r.id+": "+err.Error()) },
		Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) },
	}
	sum, err := Issue(h, out, "sensor", rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 40, Issued: 39, Refused: 1}) {
		t.Errorf("summary %+v", *sum)
	}
	if len(refused) != 1 || !strings.HasPrefix(refused[0], `dev-007: refused to sign device "dev-007" (profile tls13-iot):`) ||
		!strings.Contains(refused[0], "error e_rfc_dnsname_label_too_long: DNSName labels MUST be less than or equal to 63 characters") {
		t.Errorf("refused: %q", refused)
	}
	if len(progress) < 2 || progress[0] != [2]int{0, 40} || progress[len(progress)-1] != [2]int{40, 40} {
		t.Errorf("progress %v", progress)
	}
	entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, h, out, rows, entries, map[string]bool{"dev-007": true})

	// A second run finds every device done and issues nothing; the
	// refused device is tried again and refused again.
	refused = nil
	sum, err = Issue(h, out, "sensor", rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 40, Done: 39, Refused: 1}) || len(refused) != 1 {
		t.Errorf("second run: summary %+v, refused %q", *sum, refused)
	}
	again, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(entries)+1 || again[len(again)-1].ID != "dev-007" || again[len(again)-1].Status != store.StatusRefused {
		t.Errorf("second run journal: %d lines after %d, last %+v", len(again), len(entries), again[len(again)-1])
	}
}

// checkBatch checks a finished batch: each id not in refused has exactly
// one published certificate, chained to the CAs, with its key (0600),
// journaled once as issued with its serial and hash; serials are distinct
// and have at least 64 bits; no temporary directory is left.
func checkBatch(t *testing.T, h *ldevid.Hierarchy, out string, rows []Row, entries []store.JournalEntry, refused map[string]bool) {
	t.Helper()
	issued := map[string]store.JournalEntry{}
	for _, e := range entries {
		switch e.Status {
		case store.StatusIssued:
			if _, dup := issued[e.ID]; dup {
				t.Errorf("%s journaled as issued twice", e.ID)
			}
			issued[e.ID] = e
		case store.StatusRefused:
			if !refused[e.ID] || e.Reason != "profile tls13-iot: error e_rfc_dnsname_label_too_long: DNSName labels MUST be less than or equal to 63 characters" {
				t.Errorf("refused line %+v", e)
			}
		}
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(h.CA("root").Cert)
	inter.AddCert(h.CA("sub").Cert)
	serials := map[string]string{}
	for _, r := range rows {
		dir := store.DeviceDir(out, r.id)
		if refused[r.id] {
			if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("refused device %s has a directory: %v", r.id, err)
			}
			continue
		}
		c := readCert(t, filepath.Join(dir, store.CertFile))
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: %v", r.id, err)
		}
		if len(c.DNSNames) != 1 || c.DNSNames[0] != r.fields["host"]+".example.com" {
			t.Errorf("%s: DNS names %v", r.id, c.DNSNames)
		}
		if c.SerialNumber.BitLen() < 64 {
			t.Errorf("%s: serial %x has %d bits", r.id, c.SerialNumber, c.SerialNumber.BitLen())
		}
		serial := c.SerialNumber.Text(16)
		if other, dup := serials[serial]; dup {
			t.Errorf("%s and %s share serial %s", r.id, other, serial)
		}
		serials[serial] = r.id
		sum := sha256.Sum256(c.Raw)
		if e, ok := issued[r.id]; !ok || e.Serial != serial || e.SHA256 != hex.EncodeToString(sum[:]) || !e.NotAfter.Equal(c.NotAfter) {
			t.Errorf("%s: journal %+v, certificate serial %s", r.id, e, serial)
		}
		st, err := os.Stat(filepath.Join(dir, keys.File))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: key.pem: %v %v", r.id, st.Mode(), err)
		}
		keyPEM, err := os.ReadFile(filepath.Join(dir, keys.File))
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(keyPEM)
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil || !keys.SamePublicKey(c.PublicKey, key.(crypto.Signer).Public()) {
			t.Errorf("%s: key.pem does not hold the certificate's key: %v", r.id, err)
		}
		chain, err := os.ReadFile(filepath.Join(dir, store.ChainFile))
		if err != nil || strings.Count(string(chain), "BEGIN CERTIFICATE") != 3 {
			t.Errorf("%s: chain.pem: %v", r.id, err)
		}
	}
	if len(issued) != len(rows)-len(refused) {
		t.Errorf("%d issued lines for %d devices", len(issued), len(rows)-len(refused))
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, store.DevicesDir, stagedPrefix+"*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary directories left: %v", leftovers)
	}
}

func readCert(t *testing.T, path string) *x509.Certificate {
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
		t.Fatal(err)
	}
	return c
}

// TestIssueBatchRecovers sets up the states a killed batch leaves (a
// device published without its journal line, a line cut short, a
// temporary directory) and checks that the next run repairs each and
// issues exactly the devices that were not published.
func TestIssueBatchRecovers(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(10, nil)
	if _, err := Issue(h, out, "sensor", rows[:6], Options{}); err != nil {
		t.Fatal(err)
	}
	jpath := filepath.Join(out, store.JournalFile)
	data, err := os.ReadFile(jpath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	// Lines of devices 4 and 5 lost: the first not written, the second cut.
	kept := strings.Join(lines[:4], "") + lines[4][:len(lines[4])/2]
	var lost []string
	for _, l := range lines[4:6] {
		lost = append(lost, l[strings.Index(l, `"id":"`)+6:][:7])
	}
	if err := os.WriteFile(jpath, []byte(kept), 0o644); err != nil {
		t.Fatal(err)
	}
	// A staged directory of device 8, not published.
	if err := os.MkdirAll(filepath.Join(out, store.DevicesDir, stagedPrefix+"dev-008.tmp123"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, store.DevicesDir, stagedPrefix+"dev-008.tmp123", keys.File), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}

	sum, err := Issue(h, out, "sensor", rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if counts(sum) != (batchCounts{Devices: 10, Done: 6, Recovered: 2, Removed: 1, Issued: 4}) {
		t.Errorf("summary %+v", *sum)
	}
	entries, err := store.ReadJournal(jpath)
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, h, out, rows, entries, nil)
	recovered := 0
	for _, e := range entries {
		if e.Recovered {
			recovered++
			if e.ID != lost[0] && e.ID != lost[1] {
				t.Errorf("recovered line for %s, want %v", e.ID, lost)
			}
		}
	}
	if recovered != 2 {
		t.Errorf("%d recovered lines", recovered)
	}

	// A journaled device whose directory is gone is not issued again.
	if err := os.RemoveAll(store.DeviceDir(out, "dev-002")); err != nil {
		t.Fatal(err)
	}
	_, err = Issue(h, out, "sensor", rows, Options{Source: "devices.csv"})
	if err == nil || !strings.Contains(err.Error(), `devices.csv: line 4: device "dev-002" is issued (`) || !strings.HasSuffix(err.Error(), "devices/dev-002 is missing: restore it; it is not issued again") {
		t.Errorf("missing directory: %v", err)
	}
}

// TestIssueBatchChecksRowsFirst checks that rows that cannot make a
// certificate stop the batch before anything is issued, with their lines.
func TestIssueBatchChecksRowsFirst(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	rows := batchRows(5, func(i int, r *Row) {
		switch i {
		case 1:
			delete(r.fields, "host")
		case 3:
			r.fields["serial"] = "SN_3" // '_' is not PrintableString
		}
	})
	_, err := Issue(h, out, "sensor", rows, Options{Source: "devices.csv"})
	want := `devices.csv: line 3: device "dev-001" (sensor): san dns: template "{{.host}}.example.com": dns:1:2: executing "dns" at <.host>: map has no entry for key "host"` + "\n" +
		`devices.csv: line 5: device "dev-003" (sensor): subject serialNumber: subject serialNumber: "SN_3" is not a PrintableString: '_' at 2 is not allowed (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?)`
	if err == nil || err.Error() != want {
		t.Errorf("error\n%v\nwant\n%s", err, want)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("the batch wrote %v", entries)
	}
}

// TestIssueBatchListsFirstBadRows checks that the rows, checked on
// several workers, are reported in row order: the first maxRowErrors bad
// ones, then one line saying there are more.
func TestIssueBatchListsFirstBadRows(t *testing.T) {
	h := batchHierarchy(t)
	var bad []int
	rows := batchRows(100, func(i int, r *Row) {
		if i%4 == 1 { // 25 bad rows, in every worker's part
			r.fields["serial"] = "SN_" + r.id
			bad = append(bad, r.Line)
		}
	})
	for _, workers := range []int{1, 3, 7} {
		_, err := Issue(h, t.TempDir(), "sensor", rows, Options{Source: "devices.csv", Workers: workers})
		if err == nil {
			t.Fatalf("%d workers: no error", workers)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != maxRowErrors+1 || lines[maxRowErrors] != "devices.csv: more bad rows not shown" {
			t.Fatalf("%d workers: %d lines, last %q", workers, len(lines), lines[len(lines)-1])
		}
		for i, l := range lines[:maxRowErrors] {
			if want := fmt.Sprintf("devices.csv: line %d: ", bad[i]); !strings.HasPrefix(l, want) {
				t.Errorf("%d workers: error %d is %q, want it to start %q", workers, i, l, want)
			}
		}
	}
}

// TestIssueBatchLock checks that a second batch on a directory is refused
// while one runs.
func TestIssueBatchLock(t *testing.T) {
	h := batchHierarchy(t)
	out := t.TempDir()
	j, err := store.OpenJournal(out) // holds the lock a batch takes
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	_, err = Issue(h, out, "sensor", batchRows(1, nil), Options{})
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("second batch: %v", err)
	}
}

// TestIssueBatchStop interrupts batches through Options.Stop: closed
// before the start, nothing is issued; closed after the first commit, the
// batch stops with ErrInterrupted, every device it signed published and
// journaled, no temporary directory left; run again, it completes.
func TestIssueBatchStop(t *testing.T) {
	if testing.Short() {
		t.Skip("slow (thousands of rows); .ci/run runs it without -short")
	}
	h := batchHierarchy(t)
	// Enough rows that the batch cannot finish them all before the stop
	// set at its first commit takes effect, even on a loaded machine (with
	// 300, a slow first group commit let every row be signed first).
	const n = 2000
	rows := batchRows(n, nil)
	for _, layout := range []store.Layout{store.LayoutDirs, store.LayoutJSONL} {
		t.Run(string(layout), func(t *testing.T) {
			out := t.TempDir()
			closed := make(chan struct{})
			close(closed)
			sum, err := Issue(h, out, "sensor", rows, Options{Layout: layout, Stop: closed})
			if !errors.Is(err, ErrInterrupted) || counts(sum) != (batchCounts{Devices: n}) {
				t.Fatalf("stopped before the start: %+v, %v", sum, err)
			}
			if names, _ := os.ReadDir(out); len(names) != 0 {
				t.Errorf("stopped before the start, it wrote %v", names)
			}

			stop := make(chan struct{})
			var once sync.Once
			opts := Options{Layout: layout, Workers: 2, Stop: stop, Progress: func(done, total int) {
				if done > 0 {
					once.Do(func() { close(stop) })
				}
			}}
			sum, err = Issue(h, out, "sensor", rows, opts)
			if !errors.Is(err, ErrInterrupted) || sum.Issued == 0 || sum.Issued >= n {
				t.Fatalf("stopped after the first commit: %+v, %v", sum, err)
			}
			entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
			if err != nil || len(entries) != sum.Issued {
				t.Errorf("%d journal lines (%v), %d issued", len(entries), err, sum.Issued)
			}
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && strings.HasPrefix(d.Name(), ".") {
					t.Errorf("temporary %s left behind", p)
				}
				return nil
			})
			issued := sum.Issued
			sum, err = Issue(h, out, "sensor", rows, Options{Layout: layout})
			if err != nil || sum.Done != issued || sum.Issued != n-issued {
				t.Fatalf("run again: %+v, %v", sum, err)
			}
			if layout == store.LayoutJSONL {
				checkJSONL(t, h, out, rows, nil)
			} else {
				entries, _ := store.ReadJournal(filepath.Join(out, store.JournalFile))
				checkBatch(t, h, out, rows, entries, nil)
			}
		})
	}
}

// batchCounts are the counts of a Summary, comparable.
type batchCounts struct {
	Devices, Done, Recovered, Removed, Truncated, Issued, Refused int
}

// counts returns the counts of sum.
func counts(sum *Summary) batchCounts {
	return batchCounts{sum.Devices, sum.Done, sum.Recovered, sum.Removed, sum.Truncated, sum.Issued, sum.Refused}
}

// stagedPrefix starts the names of the temporary device directories of a
// batch (store's, not exported).
const stagedPrefix = ".~"
