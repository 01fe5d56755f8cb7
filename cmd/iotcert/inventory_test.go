package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/ldevid"
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
