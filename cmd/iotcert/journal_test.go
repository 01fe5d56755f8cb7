package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/store"
)

// TestOneJournal checks that gen device, gen devices and sign write one
// journal with the issuing CA, profile, fields and command of each
// certificate; that an id is issued once unless --reissue gives a
// reason, recorded with the serial replaced; and that a batch row whose
// fields changed for an id issued before is reported with the changes.
func TestOneJournal(t *testing.T) {
	spec, out, csv := batchSetup(t, 3, nil)
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", out, "--ca", "sub", "--id", "0100", "--set", "serial=SN100", "--set", "host=h100"); code != exitOK {
		t.Fatalf("gen device: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv); code != exitOK {
		t.Fatalf("gen devices: exit %d\n%s", code, errOut)
	}
	code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", out, "--ca", "sub", "--id", "0001", "--set", "serial=SN0001", "--set", "host=s0001")
	if code != exitUsage || !strings.Contains(errOut, `iotcert gen device: device "0001" (profile sensor) is issued already (serial `) || !strings.Contains(errOut, "--reissue REASON issues it again") {
		t.Errorf("gen device for a batch's id: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", out, "--ca", "sub", "--id", "0001", "--set", "serial=SN0001", "--set", "host=s0001", "--reissue", "board replaced"); code != exitOK {
		t.Fatalf("gen device --reissue: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", out, "--ca", "sub", "--id", "0200", "--reissue", "x"); code != exitUsage || !strings.Contains(errOut, `--reissue: device "0200" (profile sensor) was never issued`) {
		t.Errorf("--reissue of a new id: exit %d\n%s", code, errOut)
	}
	entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 5 {
		t.Fatalf("%d journal lines, want 5: %+v", len(entries), entries)
	}
	var first store.JournalEntry
	for i, e := range entries {
		if e.Status != store.StatusIssued || e.CA != "sub" || e.Profile != "sensor" || e.Fields["host"] == "" || len(e.SHA256) != 64 {
			t.Errorf("line %d: %+v", i+1, e)
		}
		if e.ID == "0001" && first.Serial == "" {
			first = e
		}
	}
	if !strings.HasPrefix(entries[0].Command, "iotcert gen device "+spec) || !strings.HasPrefix(entries[1].Command, "iotcert gen devices "+spec) {
		t.Errorf("commands %q, %q", entries[0].Command, entries[1].Command)
	}
	last := entries[4]
	cert, err := store.ReadCertFile(filepath.Join(out, "devices", "0001", "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if last.ID != "0001" || last.Previous != first.Serial || last.ReissueReason != "board replaced" || last.Serial != cert.SerialNumber.Text(16) {
		t.Errorf("reissue line %+v (first %s, on disk %x)", last, first.Serial, cert.SerialNumber)
	}

	// A changed row of an issued id is reported, and not issued again.
	data, _ := os.ReadFile(csv)
	if err := os.WriteFile(csv, []byte(strings.Replace(string(data), "0002,SN0002,s0002", "0002,SN0002,moved", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv)
	want := "iotcert gen devices: " + csv + `: line 4: device "0002" was issued with other fields (host: "s0002" -> "moved"): not issued again (gen devices --reissue REASON, or gen device --reissue REASON for this id, issues it again)` + "\n"
	if code != exitOK || stdout != "3 devices: 0 issued, 0 refused, 3 done before\n" || errOut != want {
		t.Errorf("changed row: exit %d\n%s%s\nwant %s", code, stdout, errOut, want)
	}
}

// TestOneJournalJSONL checks that gen device refuses an id recorded in
// devices.jsonl, and that the jsonl layout's journal lines carry the CA,
// profile and fields.
func TestOneJournalJSONL(t *testing.T) {
	spec, out, csv := batchSetup(t, 2, nil)
	if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv, "--layout", "jsonl"); code != exitOK {
		t.Fatalf("gen devices: exit %d\n%s", code, errOut)
	}
	entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil || len(entries) != 2 {
		t.Fatalf("journal %v %+v", err, entries)
	}
	for _, e := range entries {
		if e.CA != "sub" || e.Profile != "sensor" || e.Fields["serial"] != "SN"+e.ID {
			t.Errorf("journal line %+v", e)
		}
	}
	// Without its journal line, the record still names the id.
	if err := os.WriteFile(filepath.Join(out, store.JournalFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", out, "--ca", "sub", "--id", "0000", "--set", "serial=SN0000", "--set", "host=s0000")
	if code != exitUsage || !strings.Contains(errOut, `device "0000" (profile sensor) is issued already (serial `) || !strings.Contains(errOut, "in "+filepath.Join(out, store.DevicesFile)) {
		t.Errorf("gen device for an id of devices.jsonl: exit %d\n%s", code, errOut)
	}
}

// TestRecoveryChecks checks that a batch journals a device directory it
// finds without a journal line only when the issuing CA signed its
// certificate, the certificate names that id, and the key beside it is
// the certificate's.
func TestRecoveryChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, spec, out string)
		want   string
	}{
		{"clean", func(*testing.T, string, string) {}, ""},
		{"another CA", func(t *testing.T, spec, out string) {
			_, other, _ := batchSetup(t, 0, nil)
			if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", other, "--ca", "sub", "--id", "0000", "--set", "serial=SN0000", "--set", "host=s0000"); code != exitOK {
				t.Fatalf("gen device: exit %d\n%s", code, errOut)
			}
			replaceDir(t, filepath.Join(other, "devices", "0000"), filepath.Join(out, "devices", "0000"))
		}, `device "0000": ` + "%OUT%/devices/0000/cert.pem" + `: not recovered: not signed by CA "sub" (x509: ECDSA verification failure); move it away`},
		{"another id", func(t *testing.T, spec, out string) {
			replaceDir(t, filepath.Join(out, "devices", "0001"), filepath.Join(out, "devices", "0000"))
		}, `device "0000": %OUT%/devices/0000/cert.pem: not recovered: its names (SERIALNUMBER=SN0001,CN=sensor 0001,O=Example) are not those of device "0000"; move it away`},
		{"another key", func(t *testing.T, spec, out string) {
			key, err := os.ReadFile(filepath.Join(out, "devices", "0001", "key.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "devices", "0000", "key.pem"), key, 0o600); err != nil {
				t.Fatal(err)
			}
		}, `device "0000": %OUT%/devices/0000/cert.pem: not recovered: the key beside it is not the certificate's; move the directory away`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, out, csv := batchSetup(t, 2, nil)
			if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv); code != exitOK {
				t.Fatalf("gen devices: exit %d\n%s", code, errOut)
			}
			// The journal lines are lost: the next run recovers them.
			if err := os.Remove(filepath.Join(out, store.JournalFile)); err != nil {
				t.Fatal(err)
			}
			tc.tamper(t, spec, out)
			code, stdout, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv)
			if tc.want == "" {
				if code != exitOK || stdout != "2 devices: 0 issued, 0 refused, 2 done before (2 journal lines recovered)\n" {
					t.Errorf("exit %d\n%s%s", code, stdout, errOut)
				}
				return
			}
			want := "iotcert gen devices: " + csv + ": line 2: " + strings.ReplaceAll(tc.want, "%OUT%", out) + "\n"
			if code != exitUsage || errOut != want {
				t.Errorf("exit %d\n%s%s\nwant %s", code, stdout, errOut, want)
			}
			if entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile)); err != nil || len(entries) != 0 {
				t.Errorf("journal after the refusal: %v %+v", err, entries)
			}
		})
	}
}

// replaceDir replaces the directory to with a copy of the files of from.
func replaceDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.RemoveAll(to); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(to, 0o755); err != nil {
		t.Fatal(err)
	}
	names, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(from, n.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, n.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// findingsSpec issues IDevIDs that the idevid-8021ar gate signs with
// warnings and a notice.
const findingsSpec = `
cas:
  root: {subject: "CN=Root, O=Example, C=DE", validity: 20y}
  sub: {parent: root, subject: "CN=Sub, O=Example, C=DE", validity: 10y}
devices:
  sensor:
    kind: idevid
    ca: sub
    profile: idevid-8021ar
    validity: 365d
    subject: "CN=sensor {{.id}}, O=Example"
`

// TestBatchFindings checks that gen devices sums up the warnings and
// notices it signed through (by lint, count, first ids in row order),
// journals them, and with --fail-on warn refuses those devices instead.
func TestBatchFindings(t *testing.T) {
	dir := t.TempDir()
	spec := writeFile(t, "spec.yaml", []byte(findingsSpec))
	out := filepath.Join(dir, "pki")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", out); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	csv := writeFile(t, "devices.csv", []byte("id\n1\n2\n3\n4\n5\n6\n7\n"))
	code, stdout, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv, "--workers", "3")
	want := `iotcert gen devices: warn w_devid_idevid_notafter_9999: 7 devices issued with it (1, 2, 3, 4, 5, ...)
iotcert gen devices: warn w_devid_subject_serialnumber: 7 devices issued with it (1, 2, 3, 4, 5, ...)
iotcert gen devices: notice w_devid_san_present: 7 devices issued with it (1, 2, 3, 4, 5, ...)
`
	if code != exitOK || stdout != "7 devices: 7 issued, 0 refused, 0 done before\n" || errOut != want {
		t.Errorf("exit %d\n%s%s\nwant %s", code, stdout, errOut, want)
	}
	entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil || len(entries) != 7 {
		t.Fatalf("journal %v %+v", err, entries)
	}
	if f := entries[0].Findings; len(f) != 3 || !strings.HasPrefix(f[0], "warn w_devid_idevid_notafter_9999: notAfter is UTCTime") {
		t.Errorf("journal findings %q", f)
	}

	out2 := filepath.Join(dir, "pki2")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", out2); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	code, stdout, errOut = iotcert(t, "", "gen", "devices", spec, "--out", out2, "--from", csv, "--fail-on", "warn")
	if code != exitFindings || stdout != "7 devices: 0 issued, 7 refused, 0 done before\n" || !strings.Contains(errOut, `line 2: refused to sign device "1" (profile idevid-8021ar):
  --fail-on warn
  warn w_devid_idevid_notafter_9999: `) || strings.Contains(errOut, "notice w_devid_san_present") {
		t.Errorf("--fail-on warn: exit %d\n%s%s", code, stdout, errOut)
	}
	if _, err := os.Stat(filepath.Join(out2, "devices", "1")); !os.IsNotExist(err) {
		t.Errorf("refused device published: %v", err)
	}
	if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out2, "--from", csv, "--fail-on", "fatal"); code != exitUsage || errOut != "iotcert gen devices: --fail-on \"fatal\": want error, warn or notice\n" {
		t.Errorf("--fail-on fatal: exit %d\n%s", code, errOut)
	}
}

// TestRecoveryChecksJSONL checks recovery in the jsonl layout: a record
// without its journal line is journaled only when its certificate is the
// issuing CA's, names its id, and its key is the certificate's.
func TestRecoveryChecksJSONL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(recs []map[string]any)
		want   string
	}{
		{"clean", func([]map[string]any) {}, ""},
		{"another id", func(recs []map[string]any) {
			recs[0]["cert"], recs[1]["cert"] = recs[1]["cert"], recs[0]["cert"]
			recs[0]["serial"], recs[1]["serial"] = recs[1]["serial"], recs[0]["serial"]
			recs[0]["sha256"], recs[1]["sha256"] = recs[1]["sha256"], recs[0]["sha256"]
		}, `devices.jsonl: line 1: not recovered: its names (SERIALNUMBER=SN`},
		{"another key", func(recs []map[string]any) {
			recs[0]["key"] = recs[1]["key"]
		}, `: not recovered: its key is not the certificate's; remove the record`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, out, csv := batchSetup(t, 2, nil)
			if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv, "--layout", "jsonl"); code != exitOK {
				t.Fatalf("gen devices: exit %d\n%s", code, errOut)
			}
			if err := os.Remove(filepath.Join(out, store.JournalFile)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(out, store.DevicesFile)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var recs []map[string]any
			for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatal(err)
				}
				recs = append(recs, m)
			}
			tc.tamper(recs)
			var b strings.Builder
			for _, m := range recs {
				// The record's fields in DeviceRecord's order.
				line, _ := json.Marshal(struct {
					ID     any `json:"id"`
					Serial any `json:"serial"`
					SHA256 any `json:"sha256"`
					Cert   any `json:"cert"`
					Key    any `json:"key"`
				}{m["id"], m["serial"], m["sha256"], m["cert"], m["key"]})
				b.Write(line)
				b.WriteByte('\n')
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			code, stdout, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv, "--layout", "jsonl")
			if tc.want == "" {
				if code != exitOK || stdout != "2 devices: 0 issued, 0 refused, 2 done before (2 journal lines recovered)\n" {
					t.Errorf("exit %d\n%s%s", code, stdout, errOut)
				}
				return
			}
			if code != exitUsage || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "not recovered") {
				t.Errorf("exit %d\n%s%s\nwant %s", code, stdout, errOut, tc.want)
			}
			if entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile)); err != nil || len(entries) != 0 {
				t.Errorf("journal after the refusal: %v %+v", err, entries)
			}
		})
	}
}

// TestGenDevicesReissue reissues a batch with gen devices --reissue in
// both layouts: every device gets a new key and serial, journaled with
// the serial it replaces and the reason; the inventory (--db) marks the
// old certificates superseded; the same command run again reissues
// nothing; a plain run counts the devices done; an id never issued is
// refused before anything is issued.
func TestGenDevicesReissue(t *testing.T) {
	for _, layout := range []string{"dirs", "jsonl"} {
		t.Run(layout, func(t *testing.T) {
			spec, out, csv := batchSetup(t, 3, nil)
			db := filepath.Join(t.TempDir(), "inv.db")
			gen := func(extra ...string) (int, string, string) {
				return iotcert(t, "", append([]string{"gen", "devices", spec, "--out", out, "--from", csv, "--layout", layout, "--db", db}, extra...)...)
			}
			if code, _, errOut := gen(); code != exitOK {
				t.Fatalf("gen devices: exit %d\n%s", code, errOut)
			}
			before := currentCerts(t, out, layout)
			code, stdout, errOut := gen("--reissue", "key compromise")
			if code != exitOK || !strings.HasPrefix(stdout, "3 devices: 3 issued, 0 refused, 0 done before\n") {
				t.Fatalf("gen devices --reissue: exit %d\n%s%s", code, stdout, errOut)
			}
			entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
			if err != nil || len(entries) != 6 {
				t.Fatalf("journal %v: %d lines, want 6", err, len(entries))
			}
			after := currentCerts(t, out, layout)
			for _, e := range entries[3:] {
				old := before[e.ID]
				if e.Status != store.StatusIssued || e.Previous != old || e.ReissueReason != "key compromise" || e.Serial == old || after[e.ID] != e.Serial {
					t.Errorf("reissue line %+v: replaces %s, published %s", e, old, after[e.ID])
				}
			}
			_, list, _ := runCmd(t, "inventory", "list", "--db", db)
			if n := strings.Count(list, " superseded "); n != 3 {
				t.Errorf("%d superseded records, want 3:\n%s", n, list)
			}
			// Run again, the same reissue has nothing left to do, nor has
			// a plain run.
			for _, extra := range [][]string{{"--reissue", "key compromise"}, nil} {
				if code, stdout, errOut := gen(extra...); code != exitOK || !strings.HasPrefix(stdout, "3 devices: 0 issued, 0 refused, 3 done before\n") {
					t.Errorf("gen devices %v again: exit %d\n%s%s", extra, code, stdout, errOut)
				}
			}
			// An id never issued is refused, and nothing is issued.
			data, _ := os.ReadFile(csv)
			if err := os.WriteFile(csv, append(data, "0200,SN0200,s0200\n"...), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut = gen("--reissue", "other")
			if code != exitUsage || !strings.Contains(errOut, `line 5: --reissue: device "0200" (profile sensor) was never issued`) {
				t.Errorf("--reissue of a new id: exit %d\n%s", code, errOut)
			}
			if entries, _ := store.ReadJournal(filepath.Join(out, store.JournalFile)); len(entries) != 6 {
				t.Errorf("%d journal lines after a refused reissue, want 6", len(entries))
			}
		})
	}
}

// currentCerts returns the serial of the certificate published for each
// device of out: its cert.pem, or its last record in devices.jsonl.
func currentCerts(t *testing.T, out, layout string) map[string]string {
	t.Helper()
	serials := map[string]string{}
	if layout == "jsonl" {
		data, err := os.ReadFile(filepath.Join(out, store.DevicesFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			var rec store.DeviceRecord
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			serials[rec.ID] = rec.Serial
		}
		return serials
	}
	dirs, err := os.ReadDir(filepath.Join(out, store.DevicesDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		c, err := store.ReadCertFile(filepath.Join(out, store.DevicesDir, d.Name(), store.CertFile))
		if err != nil {
			t.Fatal(err)
		}
		serials[d.Name()] = c.SerialNumber.Text(16)
	}
	return serials
}
