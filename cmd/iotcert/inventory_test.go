package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/inventory"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestInventoryCLI records issuance with --db, refuses a second current
// certificate of a device issued from another directory, and moves the
// records through export and import.
func TestInventoryCLI(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "est.yaml")
	os.WriteFile(spec, ldevid.ExampleSpec("est"), 0o644)
	db := filepath.Join(dir, "inv.db")
	for _, pki := range []string{"pki", "pki2"} {
		if code, _, errOut := runCmd(t, "gen", "hierarchy", spec, "--out", filepath.Join(dir, pki)); code != 0 {
			t.Fatal(errOut)
		}
	}
	pki := filepath.Join(dir, "pki")
	if code, _, errOut := runCmd(t, "gen", "device", spec, "--out", pki, "--ca", "ldevid-ca", "--id", "SN1", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	// Another directory, the same device: the journal there knows nothing,
	// the inventory does.
	code, _, errOut := runCmd(t, "gen", "device", spec, "--out", filepath.Join(dir, "pki2"), "--ca", "ldevid-ca", "--id", "SN1", "--db", db)
	if code != exitUsage || !strings.Contains(errOut, `device "SN1" (profile ldevid) has a current certificate in the inventory`) {
		t.Fatalf("second issuance: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "gen", "device", spec, "--out", pki, "--ca", "ldevid-ca", "--id", "SN1", "--reissue", "key lost", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	os.WriteFile(filepath.Join(dir, "ids.csv"), []byte("id,serial\nd1,SN1\nd2,SN2\n"), 0o644)
	if code, out, errOut := runCmd(t, "gen", "devices", spec, "--out", pki, "--device", "idevid", "--from", filepath.Join(dir, "ids.csv"), "--db", db); code != 0 || !strings.Contains(out, "2 certificates recorded") {
		// The two IDevIDs; the journal's two LDevID lines are recorded
		// already and skipped.
		t.Fatalf("gen devices --db: %d\n%s%s", code, out, errOut)
	}
	_, list, _ := runCmd(t, "inventory", "list", "--db", db)
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(list), "\n")[1:] {
		f := strings.Fields(l)
		got = append(got, f[1]+" "+f[2]+" "+f[5]+" "+f[7])
	}
	// A batch's devices share one time: their order is the journal's.
	slices.Sort(got[2:])
	want := []string{"ldevid SN1 superseded cli:gen", "ldevid SN1 issued cli:gen", "idevid d1 issued cli:gen", "idevid d2 issued cli:gen"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("inventory list:\n%s\nwant %v", list, want)
	}
	if strings.Contains(list, "unknown") {
		t.Errorf("a notAfter is unknown:\n%s", list)
	}

	export := filepath.Join(dir, "export.jsonl")
	if code, _, errOut := runCmd(t, "inventory", "export", "--db", db, "--out", export); code != 0 {
		t.Fatal(errOut)
	}
	db2 := filepath.Join(dir, "inv2.db")
	for _, want := range []string{"4 records added", "0 records added"} {
		if code, out, errOut := runCmd(t, "inventory", "import", "--db", db2, export); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("import: %d %s %s; want %s", code, out, errOut, want)
		}
	}
	if _, list2, _ := runCmd(t, "inventory", "list", "--db", db2); list2 != list {
		t.Fatalf("after export and import:\n%s\nwant\n%s", list2, list)
	}
	if code, show, _ := runCmd(t, "inventory", "show", "SN1", "--db", db2); code != 0 || strings.Count(show, "device:    SN1") != 2 || !strings.Contains(show, "replaces:") {
		t.Fatalf("show SN1: %d\n%s", code, show)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"inventory", "show", "nobody", "--db", db}, exitFindings, `device "nobody" is not in`},
		{[]string{"inventory", "list", "--db", db, "--status", "valid"}, exitUsage, `--status "valid"`},
		{[]string{"inventory", "list", "--db", filepath.Join(dir, "none.db")}, exitUsage, "no such file"},
		{[]string{"inventory", "list"}, exitUsage, "want --db FILE"},
		{[]string{"inventory", "drop", "--db", db}, exitUsage, `unknown subcommand "drop"`},
		{[]string{"inventory", "revoke", "--db", db, "--issuer", "ldevid-ca", "--serial", "abc"}, exitFindings, "no such certificate in the inventory"},
		{[]string{"inventory", "revoke", "--db", db, "--issuer", "ldevid-ca"}, exitUsage, "want --issuer CA and --serial HEX"},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: exit %d %q; want %d with %q", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("inventory list created a database")
	}
}

// TestGenExampleEST: "gen example est" prints the EST example spec, which
// the EST tests run as it is.
func TestGenExampleEST(t *testing.T) {
	code, out, errOut := runCmd(t, "gen", "example", "est")
	if code != 0 || out != string(ldevid.ExampleSpec("est")) || !strings.Contains(out, "id_from: serialNumber") {
		t.Fatalf("gen example est: exit %d, %s", code, errOut)
	}
}

// TestGenDevicesDBRefusesCurrent: gen devices --db refuses, before
// signing, each device that has a current certificate in the inventory
// from elsewhere (here gen device into another directory): a located
// message per device, counted refused, nothing published or journaled
// for it, the other devices issued, exit 1. The same batch run again
// leaves its devices done before alone without a word, though the
// inventory has them as current; --reissue passes for a device whose
// current certificate is the one it replaces, and is refused for one
// whose current certificate is another (an EST re-enrollment).
func TestGenDevicesDBRefusesCurrent(t *testing.T) {
	for _, layout := range []string{"dirs", "jsonl"} {
		t.Run(layout, func(t *testing.T) {
			spec, out, csv := batchSetup(t, 5, nil)
			dir := filepath.Dir(out)
			db := filepath.Join(dir, "inv.db")
			other := filepath.Join(dir, "other")
			if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", other); code != exitOK {
				t.Fatal(errOut)
			}
			elsewhere := map[string]string{} // id -> serial issued into other
			for _, id := range []string{"0001", "0003"} {
				code, stdout, errOut := iotcert(t, "", "gen", "device", spec, "--out", other, "--ca", "sub", "--id", id, "--set", "serial=SN"+id, "--set", "host=s"+id, "--db", db)
				if code != exitOK {
					t.Fatalf("gen device %s: exit %d\n%s", id, code, errOut)
				}
				elsewhere[id] = strings.Fields(stdout)[2]
			}
			gen := func(extra ...string) (int, string, string) {
				return iotcert(t, "", append([]string{"gen", "devices", spec, "--out", out, "--from", csv, "--layout", layout, "--db", db}, extra...)...)
			}
			refusal := func(line int, id, serial, auth string) string {
				return fmt.Sprintf("iotcert gen devices: %s: line %d: refused to sign device %q (profile tls13-iot):\n  device %q (profile sensor) has a current certificate in the inventory (serial %s of sub, %s): an id is issued once\n", csv, line, id, id, serial, auth)
			}
			wantErr := refusal(3, "0001", elsewhere["0001"], "cli:gen device") + refusal(5, "0003", elsewhere["0003"], "cli:gen device")
			code, stdout, errOut := gen()
			if code != exitFindings || stdout != "5 devices: 3 issued, 2 refused, 0 done before\n3 certificates recorded in "+db+"\n" || errOut != wantErr {
				t.Fatalf("gen devices: exit %d\n%s%s\nwant stderr\n%s", code, stdout, errOut, wantErr)
			}
			published := currentCerts(t, out, layout)
			entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
			if err != nil {
				t.Fatal(err)
			}
			var journaled []string
			for _, e := range entries {
				journaled = append(journaled, e.ID+" "+e.Status)
			}
			slices.Sort(journaled) // the journal's order is the workers'
			if len(published) != 3 || published["0001"] != "" || published["0003"] != "" || fmt.Sprint(journaled) != "[0000 issued 0002 issued 0004 issued]" {
				t.Errorf("published %v, journal %v: want 0000, 0002 and 0004 only", published, journaled)
			}
			st, err := inventory.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			ctx := context.Background()
			for id, serial := range elsewhere {
				if cur, err := st.Current(ctx, "sensor", id); err != nil || cur.Serial != serial {
					t.Errorf("current certificate of %s: %+v, %v; want serial %s", id, cur, err, serial)
				}
			}

			// Run again: the devices this batch issued are done before, not
			// refused; the others are refused again.
			code, stdout, errOut = gen()
			if code != exitFindings || stdout != "5 devices: 0 issued, 2 refused, 3 done before\n0 certificates recorded in "+db+"\n" || errOut != wantErr {
				t.Errorf("gen devices again: exit %d\n%s%s\nwant stderr\n%s", code, stdout, errOut, wantErr)
			}
			// Without the devices issued elsewhere, the batch is done
			// and says nothing.
			data, _ := os.ReadFile(csv)
			lines := strings.SplitAfter(string(data), "\n")
			if err := os.WriteFile(csv, []byte(lines[0]+lines[1]+lines[3]+lines[5]), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, stdout, errOut = gen(); code != exitOK || stdout != "3 devices: 0 issued, 0 refused, 3 done before\n0 certificates recorded in "+db+"\n" || errOut != "" {
				t.Errorf("gen devices of the devices done: exit %d\n%s%s", code, stdout, errOut)
			}

			// 0000 re-enrolled over EST: its current certificate is not the
			// journal's, and a reissue of it is refused; that of 0002,
			// current as the journal has it, passes.
			old, err := st.Current(ctx, "sensor", "0000")
			if err != nil {
				t.Fatal(err)
			}
			est := old
			est.Serial, est.SHA256, est.Previous, est.Auth = "e57", "sha-e57", old.Serial, "est:ldevid:"+old.Serial
			if err := st.Supersede(ctx, old.Key(), est); err != nil {
				t.Fatal(err)
			}
			wantErr = fmt.Sprintf("iotcert gen devices: %s: line 2: refused to sign device \"0000\" (profile tls13-iot):\n  device \"0000\" (profile sensor) has a current certificate in the inventory (serial e57 of sub, est:ldevid:%s): an id is issued once\n", csv, old.Serial)
			code, stdout, errOut = gen("--reissue", "key lost")
			if code != exitFindings || !strings.HasPrefix(stdout, "3 devices: 2 issued, 1 refused, 0 done before\n") || errOut != wantErr {
				t.Fatalf("gen devices --reissue: exit %d\n%s%s\nwant stderr\n%s", code, stdout, errOut, wantErr)
			}
			for id, prev := range map[string]string{"0002": published["0002"], "0004": published["0004"]} {
				cur, err := st.Current(ctx, "sensor", id)
				if err != nil || cur.Previous != prev || cur.Serial == prev || cur.Serial != currentCerts(t, out, layout)[id] {
					t.Errorf("%s after its reissue: %+v, %v; want the reissue of %s", id, cur, err, prev)
				}
			}
			if cur, err := st.Current(ctx, "sensor", "0000"); err != nil || cur.Serial != "e57" || currentCerts(t, out, layout)["0000"] != published["0000"] {
				t.Errorf("0000 after its refused reissue: %+v, %v", cur, err)
			}
		})
	}
}

// TestInventoryImportReadsAllFirst: import reads every journal before it
// opens the database, so a missing or bad journal creates no database
// and imports nothing, and each bad one is reported; a last line without
// its line end is said not to be imported.
func TestInventoryImportReadsAllFirst(t *testing.T) {
	dir := t.TempDir()
	line := `{"time":"2026-12-04T14:55:25Z","id":"1234","status":"issued","serial":"48eb","sha256":"3729d07cfb34121fd364938916d0b0da3d0b0438a0541393193a09073d229bd1","ca":"device-ca","profile":"p","not_after":"2027-12-04T14:55:25Z"}`
	good := filepath.Join(dir, "good.jsonl")
	bad := filepath.Join(dir, "bad.jsonl")
	cut := filepath.Join(dir, "cut.jsonl")
	missing := filepath.Join(dir, "missing.jsonl")
	for name, data := range map[string]string{good: line + "\n", bad: "{}\n", cut: line} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "inv.db")
	code, out, errOut := runCmd(t, "inventory", "import", "--db", db, good, missing, bad)
	wantErr := "iotcert inventory import: open " + missing + ": no such file or directory\n" +
		"iotcert inventory import: " + bad + ": line 1: not a journal entry (want an id and status issued or refused)\n"
	if code != exitUsage || out != "" || errOut != wantErr {
		t.Errorf("bad journals: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", code, out, errOut, exitUsage, wantErr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a failed import created the database")
	}
	code, out, errOut = runCmd(t, "inventory", "import", "--db", db, cut)
	wantErr = "iotcert inventory import: " + cut + ": not imported: the last " + strconv.Itoa(len(line)) + " bytes, a line without its line end (a batch still writing it, or a cut file)\n"
	if code != exitOK || out != "0 records added to "+db+"\n" || errOut != wantErr {
		t.Errorf("cut journal: exit %d, stdout %q, stderr %q; want exit 0, stderr %q", code, out, errOut, wantErr)
	}
	code, out, errOut = runCmd(t, "inventory", "import", "--db", db, good)
	if code != exitOK || out != "1 records added to "+db+"\n" || errOut != "" {
		t.Errorf("good journal: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
