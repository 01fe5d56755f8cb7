package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/store"
)

func open(t *testing.T) *SQLite {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "inv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func rec(id, serial string) Record {
	return Record{Profile: "ldevid", ID: id, Issuer: "ldevid-ca", Serial: serial, SHA256: "sha-" + serial,
		NotAfter: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Status: Issued, Auth: "cli:sign", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestInsertConstraints(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	if err := st.Insert(ctx, rec("d1", "0a")); err != nil {
		t.Fatal(err)
	}
	// A second issued certificate for the device: a double issuance.
	if err := st.Insert(ctx, rec("d1", "0b")); !errors.Is(err, ErrIssued) {
		t.Fatalf("second issued record of d1: %v, want ErrIssued", err)
	}
	// The same serial of the same issuer for another device.
	if err := st.Insert(ctx, rec("d2", "0A")); !errors.Is(err, ErrExists) {
		t.Fatalf("serial 0a again: %v, want ErrExists", err)
	}
	// The same serial of another issuer is another certificate.
	r := rec("d3", "0a")
	r.Issuer, r.SHA256 = "other-ca", "sha-other"
	if err := st.Insert(ctx, r); err != nil {
		t.Fatalf("serial 0a of another issuer: %v", err)
	}
	bad := rec("d4", "0c")
	bad.Status = "valid"
	if err := st.Insert(ctx, bad); err == nil {
		t.Fatal("status valid accepted")
	}
	got, err := st.Get(ctx, Key{Issuer: "ldevid-ca", Serial: "0A"})
	if err != nil {
		t.Fatal(err)
	}
	want := rec("d1", "0a")
	if got != want {
		t.Fatalf("Get = %+v, want %+v", got, want)
	}
	if _, err := st.Current(ctx, "ldevid", "d9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Current of an unknown device: %v", err)
	}
}

// TestConcurrentDoubleIssuance races writers on one device through two
// connections (two Stores on one file, as two processes would be): one
// wins, the others get ErrIssued.
func TestConcurrentDoubleIssuance(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inv.db")
	var stores []*SQLite
	for range 2 {
		st, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		stores = append(stores, st)
	}
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = stores[i%2].Insert(context.Background(), rec("dev", fmt.Sprintf("%02x", i+1)))
		}()
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrIssued):
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d writers recorded an issued certificate for one device, want 1", ok)
	}
}

func TestSupersede(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	if err := st.Insert(ctx, rec("d1", "01")); err != nil {
		t.Fatal(err)
	}
	next := rec("d1", "02")
	next.Previous = "01"
	if err := st.Supersede(ctx, Key{"ldevid-ca", "01"}, next); err != nil {
		t.Fatal(err)
	}
	// 01 is no longer current: superseding it again fails and records nothing.
	third := rec("d1", "03")
	if err := st.Supersede(ctx, Key{"ldevid-ca", "01"}, third); !errors.Is(err, ErrNotCurrent) {
		t.Fatalf("superseding a superseded certificate: %v", err)
	}
	all, err := st.List(ctx, Filter{ID: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range all {
		got = append(got, r.Serial+":"+string(r.Status))
	}
	if fmt.Sprint(got) != "[01:superseded 02:issued]" {
		t.Fatalf("records = %v", got)
	}
	if err := st.SetStatus(ctx, Key{"ldevid-ca", "02"}, Revoked); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Current(ctx, "ldevid", "d1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("current after revocation: %v", err)
	}
}

// TestListIDs selects the records of many ids in one List: only those
// ids, with the other conditions; an empty non-nil IDs selects none, nil
// every id; more ids than SQLite takes parameters in a statement.
func TestListIDs(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	for _, r := range []Record{rec("d1", "01"), rec("d2", "02"), rec("d3", "03"), rec("<&>", "04")} {
		if err := st.Insert(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	other := rec("d1", "05")
	other.Profile, other.SHA256 = "idevid", "sha-05"
	if err := st.Insert(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(ctx, Key{"ldevid-ca", "03"}, Revoked); err != nil {
		t.Fatal(err)
	}
	many := make([]string, 40000)
	for i := range many {
		many[i] = fmt.Sprintf("x%d", i)
	}
	many[39999] = "d2"
	for i, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{Profile: "ldevid", IDs: []string{"d1", "d3", "<&>", "d9"}}, "[01 03 04]"},
		{Filter{Profile: "ldevid", IDs: []string{"d1", "d3"}, Status: Issued}, "[01]"},
		{Filter{IDs: []string{"d1"}}, "[01 05]"},
		{Filter{Profile: "ldevid", IDs: []string{}}, "[]"},
		{Filter{Profile: "ldevid"}, "[01 02 03 04]"},
		{Filter{Profile: "ldevid", IDs: many}, "[02]"},
	} {
		recs, err := st.List(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.Serial)
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("case %d: List = %v, want %s", i, got, tc.want)
		}
	}
	if _, err := st.List(ctx, Filter{IDs: []string{"d1", "\xff"}}); err == nil || !strings.Contains(err.Error(), `device id "\xff" is not UTF-8`) {
		t.Errorf("an id that is not UTF-8: %v", err)
	}
}

// TestJournalRoundTrip exports records as journal lines, reads them back
// with the journal's reader and imports them twice into another store.
func TestJournalRoundTrip(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	st.Insert(ctx, rec("d1", "01"))
	next := rec("d1", "02")
	next.Previous, next.Auth, next.Time = "01", "est:ldevid:01", next.Time.Add(time.Hour)
	if err := st.Supersede(ctx, Key{"ldevid-ca", "01"}, next); err != nil {
		t.Fatal(err)
	}
	r3 := rec("d2", "03")
	r3.Status = Revoked
	st.Insert(ctx, r3)
	all, _ := st.List(ctx, Filter{})
	dir := t.TempDir()
	var lines []byte
	for _, r := range all {
		lines = append(lines, mustJSON(t, ToJournal(r))...)
	}
	path := filepath.Join(dir, store.JournalFile)
	if err := os.WriteFile(path, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := store.ReadJournal(path)
	if err != nil {
		t.Fatalf("the export is not a journal: %v", err)
	}
	other := open(t)
	for pass, want := range []int{3, 0} {
		n, err := Import(ctx, other, entries)
		if err != nil || n != want {
			t.Fatalf("import %d: %d added, %v; want %d", pass+1, n, err, want)
		}
	}
	back, _ := other.List(ctx, Filter{})
	if fmt.Sprint(back) != fmt.Sprint(all) {
		t.Fatalf("round trip:\n got %v\nwant %v", back, all)
	}
	// A line whose serial is recorded with another SHA-256 is an error.
	entries[0].SHA256 = "ffff"
	if _, err := Import(ctx, other, entries[:1]); err == nil {
		t.Fatal("a conflicting SHA-256 was accepted")
	}
}

func TestAuthOfCommand(t *testing.T) {
	for cmd, want := range map[string]string{
		"iotcert sign spec.yaml --ca x": "cli:sign",
		"iotcert gen devices s --out d": "cli:gen devices",
		"":                              "journal",
	} {
		if got := authOfCommand(cmd); got != want {
			t.Errorf("authOfCommand(%q) = %q, want %q", cmd, got, want)
		}
	}
}

func TestOpenRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "real.db"), nil, 0o644)
	link := filepath.Join(dir, "inv.db")
	os.Symlink("real.db", link)
	_, err := Open(link)
	if want := "inventory: " + link + " is a symlink: refusing to write through it (remove it, or choose another directory)"; err == nil || err.Error() != want || !errors.Is(err, safefile.ErrUnsafe) {
		t.Fatalf("Open(link): %v, want %s (safefile.ErrUnsafe)", err, want)
	}
}

func mustJSON(t *testing.T, e store.JournalEntry) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestOpenOnlyInventories: Open never writes into a file that is not an
// inventory (another application's SQLite database, a file that is not a
// database) and leaves it byte for byte as it was; with Existing it also
// refuses a missing or empty file and a database without tables, and
// opens an inventory.
func TestOpenOnlyInventories(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "app.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE users (name TEXT); CREATE TABLE orders (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	garbage := filepath.Join(dir, "garbage.db")
	empty := filepath.Join(dir, "empty.db")
	for path, data := range map[string]string{garbage: "not a database, but long enough to have a header\n", empty: ""} {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	inv := filepath.Join(dir, "inv.db")
	st, err := Open(inv)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, tc := range []struct {
		path     string
		existing bool
		want     string // "" opens
	}{
		{foreign, false, "inventory " + foreign + ": an SQLite database of something else (tables orders, users), not an iotcert inventory: nothing written to it"},
		{foreign, true, "inventory " + foreign + ": an SQLite database of something else (tables orders, users), not an iotcert inventory: nothing written to it"},
		{garbage, false, "inventory " + garbage + ": not an SQLite database: file is not a database (26)"},
		{empty, true, "inventory " + empty + ": an empty file, not an inventory (gen, sign and est make one with --db)"},
		{filepath.Join(dir, "missing.db"), true, "inventory: stat " + filepath.Join(dir, "missing.db") + ": no such file or directory"},
		{inv, true, ""},
		{inv, false, ""},
	} {
		before, _ := os.ReadFile(tc.path)
		st, err := OpenWith(tc.path, Options{Existing: tc.existing})
		if st != nil {
			st.Close()
		}
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s (existing %v): %v", tc.path, tc.existing, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s (existing %v): %v, want %q", tc.path, tc.existing, err, tc.want)
		}
		if after, _ := os.ReadFile(tc.path); string(after) != string(before) {
			t.Errorf("%s (existing %v): the file changed", tc.path, tc.existing)
		}
	}
	// An empty file is a new inventory for a writing command.
	st, err = Open(empty)
	if err != nil {
		t.Fatalf("Open of an empty file: %v", err)
	}
	st.Close()
}
