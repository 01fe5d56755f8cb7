package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadJournalTail reads the entries of a journal, gives the size of a
// last line without its line end (not returned), and stops at a line that
// is not an entry or that goes on past maxJournalLine, with its number.
func TestReadJournalTail(t *testing.T) {
	const line = `{"id":"1","status":"issued","serial":"01"}`
	dir := t.TempDir()
	for _, tc := range []struct {
		name, data string
		entries    int
		tail       int
		err        string
	}{
		{"complete", line + "\n\n" + line + "\n", 2, 0, ""},
		{"torn last line", line + "\n" + line, 1, len(line), ""},
		{"empty", "", 0, 0, ""},
		{"not an entry", line + "\n{}\n" + line + "\n", 0, 0, "line 2: not a journal entry (want an id and status issued or refused)"},
		{"a line past the limit", line + "\n" + strings.Repeat(" ", maxJournalLine+1), 0, 0, "line 2: longer than 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".jsonl")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			entries, tail, err := ReadJournalTail(path)
			if tc.err != "" {
				if err == nil || err.Error() != path+": "+tc.err {
					t.Fatalf("error %v, want %s: %s", err, path, tc.err)
				}
				return
			}
			if err != nil || len(entries) != tc.entries || tail != tc.tail {
				t.Errorf("%d entries, tail %d, %v; want %d, %d", len(entries), tail, err, tc.entries, tc.tail)
			}
		})
	}
}
