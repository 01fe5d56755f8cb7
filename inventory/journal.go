package inventory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iotcert/iotcert/store"
)

// FromJournal returns the record of the issued journal line e. Its Auth
// is e's, or for a line written by the command line "cli:" and the
// command ("cli:sign", "cli:gen device").
func FromJournal(e store.JournalEntry) (Record, error) {
	if e.Status != store.StatusIssued {
		return Record{}, fmt.Errorf("device %q: journal line of status %s is no issued certificate", e.ID, e.Status)
	}
	r := Record{Profile: e.Profile, ID: e.ID, Issuer: e.CA, Serial: strings.ToLower(e.Serial), SHA256: strings.ToLower(e.SHA256),
		NotAfter: e.NotAfter, Status: Issued, Auth: e.Auth, Time: e.Time, Previous: strings.ToLower(e.Previous)}
	if e.Revoked {
		r.Status = Revoked
	}
	if r.Auth == "" {
		r.Auth = authOfCommand(e.Command)
	}
	if r.Profile == "" || r.Issuer == "" {
		return Record{}, fmt.Errorf("device %q: the journal line names no device profile or CA (written by an older iotcert)", e.ID)
	}
	return r, r.check()
}

// authOfCommand is the Auth of a journal line written by cmd:
// "iotcert gen devices ..." gives "cli:gen devices".
func authOfCommand(cmd string) string {
	f := strings.Fields(cmd)
	switch {
	case len(f) >= 3 && f[0] == "iotcert" && f[1] == "gen":
		return "cli:gen " + f[2]
	case len(f) >= 2 && f[0] == "iotcert":
		return "cli:" + f[1]
	}
	return "journal"
}

// ToJournal returns the journal line of r: an issued line carrying the
// serial it replaced, its notAfter, its Auth, and revoked for a revoked
// record (a superseded record is superseded by the line that names it
// as previous).
func ToJournal(r Record) store.JournalEntry {
	return store.JournalEntry{Time: r.Time.UTC(), ID: r.ID, Status: store.StatusIssued, Serial: r.Serial, SHA256: r.SHA256,
		CA: r.Issuer, Profile: r.Profile, Previous: r.Previous, NotAfter: r.NotAfter.UTC(), Auth: r.Auth, Revoked: r.Status == Revoked}
}

// RecordEntry records the journal line e in st: a line naming a previous
// serial supersedes that certificate when it is the device's current one.
// A line whose certificate is recorded already, with the same SHA-256, is
// skipped (added is false), so that recording a journal twice changes
// nothing.
func RecordEntry(ctx context.Context, st Store, e store.JournalEntry) (added bool, err error) {
	r, err := FromJournal(e)
	if err != nil {
		return false, err
	}
	if have, err := st.Get(ctx, r.Key()); err == nil {
		if have.SHA256 != r.SHA256 {
			return false, fmt.Errorf("device %q: certificate %s of %s is recorded with SHA-256 %s, the journal says %s", r.ID, r.Serial, r.Issuer, have.SHA256, r.SHA256)
		}
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	if r.Previous != "" && r.Status == Issued {
		err := st.Supersede(ctx, Key{Issuer: r.Issuer, Serial: r.Previous}, r)
		if !errors.Is(err, ErrNotCurrent) {
			return err == nil, err
		}
	}
	if err := st.Insert(ctx, r); err != nil {
		return false, err
	}
	return true, nil
}

// Import records the issued lines of a journal in order (RecordEntry);
// refused lines are skipped. It returns the number of records added; an
// error names the entry (counting from 1 over entries, which is the line
// of a journal without blank lines).
func Import(ctx context.Context, st Store, entries []store.JournalEntry) (int, error) {
	n := 0
	for i, e := range entries {
		if e.Status != store.StatusIssued {
			continue
		}
		added, err := RecordEntry(ctx, st, e)
		if err != nil {
			return n, fmt.Errorf("journal entry %d: %w", i+1, err)
		}
		if added {
			n++
		}
	}
	return n, nil
}
