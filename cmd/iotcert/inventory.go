package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/iotcert/iotcert/batch"
	"github.com/iotcert/iotcert/inventory"
	"github.com/iotcert/iotcert/store"
)

const inventorySynopsis = `inventory list|show|export|import|revoke --db FILE ...

  list   [--profile P] [--id ID] [--status issued|superseded|revoked] [--format text|json]
         the recorded certificates, oldest first
  show   ID [--profile P]     every certificate of device ID, with its details
  export [--out FILE]          the records as journal lines (JSON Lines, the
                               format of DIR/journal.jsonl)
  import JOURNAL...            record the issued lines of journals (a
                               DIR/journal.jsonl or an export); a certificate
                               recorded already is skipped, so importing twice
                               changes nothing
  revoke --issuer CA --serial HEX
                               mark a certificate revoked: it no longer
                               authorizes an EST re-enrollment (no CRL is made)

The inventory is the SQLite database that "iotcert est", and sign, gen
device and gen devices given --db, record every certificate in: device
profile, id, issuing CA, serial, SHA-256, notAfter, status, who was
authenticated and when. See docs/est.md.

Exit status: 0 done, 1 show: the device is not in the inventory, revoke:
no such certificate, 2 usage error, a database or a journal that cannot
be read (import reads every journal first, and imports nothing if one
fails).`

func runInventory(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "Usage: iotcert %s\n", inventorySynopsis)
		return exitUsage
	}
	switch args[0] {
	case "list", "show", "export", "import", "revoke":
		return runInventoryCmd(args[0], args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(stdout, "Usage: iotcert %s\n", inventorySynopsis)
		return exitOK
	}
	fmt.Fprintf(stderr, "iotcert inventory: unknown subcommand %q\n\nUsage: iotcert %s\n", args[0], inventorySynopsis)
	return exitUsage
}

func runInventoryCmd(sub string, args []string, stdout, stderr io.Writer) int {
	name := "inventory " + sub
	fs := newFlagSet(name, inventorySynopsis, stderr)
	db := fs.String("db", "", "the inventory database `FILE` (SQLite)")
	prof := fs.String("profile", "", "only the device profile `P`")
	id := fs.String("id", "", "only device `ID`")
	status := fs.String("status", "", "only certificates of `STATUS` issued, superseded or revoked")
	format := fs.String("format", "text", "list output `FORMAT`: text or json (one JSON object a line)")
	out := fs.String("out", "", "export to `FILE` (default: standard output)")
	issuer := fs.String("issuer", "", "revoke: the issuing CA `NAME`")
	serial := fs.String("serial", "", "revoke: the certificate's serial `HEX`")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	fail := usageFailure(stderr, name)
	if *db == "" {
		return fail("want --db FILE")
	}
	switch {
	case sub == "show" && len(pos) != 1:
		return fail("want one device ID")
	case sub == "import" && len(pos) == 0:
		return fail("want one or more JOURNAL files")
	case sub == "revoke" && (*issuer == "" || *serial == ""):
		return fail("want --issuer CA and --serial HEX")
	case sub != "show" && sub != "import" && len(pos) > 0:
		return fail("unexpected argument %q", pos[0])
	case *status != "" && !inventory.Status(*status).Valid():
		return fail("--status %q: want issued, superseded or revoked", *status)
	case *format != "text" && *format != "json":
		return fail("--format %q: want text or json", *format)
	}
	// Every journal is read before the database is opened: one that
	// cannot be read creates no database and imports nothing, and each
	// bad one is reported.
	var journals [][]store.JournalEntry
	if sub == "import" {
		failed := false
		for _, path := range pos {
			entries, tail, err := store.ReadJournalTail(path)
			if err != nil {
				fmt.Fprintf(stderr, "iotcert %s: %v\n", name, err)
				failed = true
				continue
			}
			if tail > 0 {
				fmt.Fprintf(stderr, "iotcert %s: %s: not imported: the last %d bytes, a line without its line end (a batch still writing it, or a cut file)\n", name, path, tail)
			}
			journals = append(journals, entries)
		}
		if failed {
			return exitUsage
		}
	}
	// Only import may create a database; the others never write to a file
	// that is not an inventory already.
	st, err := inventory.OpenWith(*db, inventory.Options{Existing: sub != "import"})
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	ctx := context.Background()
	switch sub {
	case "list", "show":
		f := inventory.Filter{Profile: *prof, ID: *id, Status: inventory.Status(*status)}
		if sub == "show" {
			f.ID = pos[0]
		}
		recs, err := st.List(ctx, f)
		if err != nil {
			return fail("%v", err)
		}
		if sub == "show" && len(recs) == 0 {
			fmt.Fprintf(stderr, "iotcert inventory show: device %q is not in %s\n", pos[0], *db)
			return exitFindings
		}
		if sub == "show" {
			printRecords(stdout, recs)
			return exitOK
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			for _, r := range recs {
				enc.Encode(recordJSON(r))
			}
			return exitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tPROFILE\tID\tISSUER\tSERIAL\tSTATUS\tNOT AFTER\tAUTH")
		for _, r := range recs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Time.UTC().Format(time.RFC3339), r.Profile, r.ID, r.Issuer, r.Serial, r.Status, notAfterString(r.NotAfter), r.Auth)
		}
		tw.Flush()
		return exitOK
	case "revoke":
		k := inventory.Key{Issuer: *issuer, Serial: strings.ToLower(strings.TrimPrefix(*serial, "0x"))}
		if err := st.SetStatus(ctx, k, inventory.Revoked); err != nil {
			if errors.Is(err, inventory.ErrNotFound) {
				fmt.Fprintf(stderr, "iotcert inventory revoke: %v\n", err)
				return exitFindings
			}
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "certificate %s of %s revoked\n", k.Serial, k.Issuer)
		return exitOK
	case "export":
		recs, err := st.List(ctx, inventory.Filter{Profile: *prof, ID: *id, Status: inventory.Status(*status)})
		if err != nil {
			return fail("%v", err)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, r := range recs {
			e := inventory.ToJournal(r)
			if err := enc.Encode(&e); err != nil {
				return fail("%v", err)
			}
		}
		if *out == "" {
			stdout.Write(b.Bytes())
		} else if err := writeOutFile(*out, b.Bytes()); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stderr, "iotcert inventory export: %d records\n", len(recs))
		return exitOK
	}
	total := 0
	for i, entries := range journals {
		n, err := inventory.Import(ctx, st, entries)
		total += n
		if err != nil {
			return fail("%s: %v", pos[i], err)
		}
	}
	fmt.Fprintf(stdout, "%d records added to %s\n", total, *db)
	return exitOK
}

// recordJSON is the JSON object of a record in "inventory list --format
// json".
func recordJSON(r inventory.Record) map[string]any {
	m := map[string]any{"time": r.Time.UTC(), "profile": r.Profile, "id": r.ID, "issuer": r.Issuer, "serial": r.Serial,
		"sha256": r.SHA256, "status": r.Status, "auth": r.Auth}
	if !r.NotAfter.IsZero() {
		m["not_after"] = r.NotAfter.UTC()
	}
	if r.Previous != "" {
		m["previous"] = r.Previous
	}
	return m
}

// printRecords prints the records of one device, one block each.
func printRecords(w io.Writer, recs []inventory.Record) {
	for i, r := range recs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "device:    %s (profile %s)\nstatus:    %s\nissuer:    %s\nserial:    %s\nsha256:    %s\nnot after: %s\nissued:    %s\nauth:      %s\n",
			r.ID, r.Profile, r.Status, r.Issuer, r.Serial, r.SHA256, notAfterString(r.NotAfter), r.Time.UTC().Format(time.RFC3339), r.Auth)
		if r.Previous != "" {
			fmt.Fprintf(w, "replaces:  %s\n", r.Previous)
		}
	}
}

func notAfterString(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(time.RFC3339)
}

// dbFlag is the --db flag of the issuing commands: refuse a device the
// inventory has a current certificate of (checkFree, inventoryCheck) and
// record what they issue in it.
type dbFlag struct{ path string }

func (d *dbFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&d.path, "db", "", "also record what is issued in the inventory database `FILE` (SQLite; see iotcert inventory), and refuse before signing a device that has a current certificate there (other than the one --reissue replaces)")
}

// open opens the inventory, or returns nil without --db.
func (d *dbFlag) open() (inventory.Store, error) {
	if d.path == "" {
		return nil, nil
	}
	st, err := inventory.Open(d.path)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// checkFree refuses, before anything is signed, to issue device id of the
// device profile called device when the inventory holds a current
// certificate of it other than prev (the one a --reissue replaces).
func checkFree(st inventory.Store, device, id string, prev store.JournalEntry, reissue bool) error {
	if st == nil {
		return nil
	}
	cur, err := st.Current(context.Background(), device, id)
	if errors.Is(err, inventory.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	replaces := ""
	if reissue {
		replaces = prev.Serial
	}
	return notFree(cur, replaces)
}

// notFree is the refusal to issue the device of cur, its current
// certificate in the inventory, unless cur is the certificate that a
// reissue replaces (serial replaces; "" for a first issuance): nil then.
func notFree(cur inventory.Record, replaces string) error {
	if replaces != "" && strings.EqualFold(cur.Serial, replaces) {
		return nil
	}
	return fmt.Errorf("device %q (profile %s) has a current certificate in the inventory (serial %s of %s, %s): an id is issued once", cur.ID, cur.Profile, cur.Serial, cur.Issuer, cur.Auth)
}

// idsPerQuery is how many devices of a batch one inventory query checks.
const idsPerQuery = 1000

// inventoryCheck is the batch.Options.Check of "gen devices --db": as
// checkFree does for gen device, it refuses each device of the device
// profile called device that has a current certificate in st other than
// the one its reissue replaces. It reads st with one query per
// idsPerQuery devices, not one per device, and keeps only the refusals.
// A certificate another process records during the batch is not seen
// here; the inventory's constraint refuses it when the batch's journal
// is recorded.
func inventoryCheck(st inventory.Store, device string) func([]batch.Row) (map[int]error, error) {
	return func(rows []batch.Row) (map[int]error, error) {
		refused := map[int]error{}
		at := make(map[string]int, min(len(rows), idsPerQuery)) // id -> index in rows
		ids := make([]string, 0, idsPerQuery)
		for lo := 0; lo < len(rows); lo += idsPerQuery {
			clear(at)
			ids = ids[:0]
			for i, r := range rows[lo:min(lo+idsPerQuery, len(rows))] {
				at[r.ID()] = lo + i
				ids = append(ids, r.ID())
			}
			current, err := st.List(context.Background(), inventory.Filter{Profile: device, Status: inventory.Issued, IDs: ids})
			if err != nil {
				return nil, fmt.Errorf("inventory: %w", err)
			}
			for _, cur := range current {
				i, ok := at[cur.ID]
				if !ok {
					continue
				}
				if err := notFree(cur, rows[i].Replaces()); err != nil {
					refused[i] = err
				}
			}
		}
		return refused, nil
	}
}

// recordEntry records the journal line e in st (nil: no --db).
func recordEntry(st inventory.Store, e store.JournalEntry) error {
	if st == nil {
		return nil
	}
	if _, err := inventory.RecordEntry(context.Background(), st, e); err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	return nil
}

// importBatchJournal records the issued lines of DIR/journal.jsonl in st
// after a batch (lines recorded before are skipped).
func importBatchJournal(st inventory.Store, dir string) (int, error) {
	entries, err := store.ReadJournalIn(dir)
	if err != nil {
		return 0, fmt.Errorf("inventory: %w", err)
	}
	for i := range entries {
		e := &entries[i]
		if e.Status == store.StatusIssued && e.NotAfter.IsZero() {
			// A line of a batch from before batches recorded notAfter:
			// it comes from the published certificate (dirs layout)
			// when it is still the journal's.
			if c, err := store.ReadCertBelow(dir, filepath.Join(store.DevicesDir, e.ID, store.CertFile)); err == nil && strings.EqualFold(c.SerialNumber.Text(16), e.Serial) {
				e.NotAfter = c.NotAfter.UTC()
			}
		}
	}
	n, err := inventory.Import(context.Background(), st, entries)
	if err != nil {
		return n, fmt.Errorf("inventory: %w", err)
	}
	return n, nil
}
