package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/store"
)

// TestIssueReissue reissues a batch in both layouts and sets up the
// states a reissue killed after publishing leaves: a device reissued but
// its journal line lost (recovered as the reissue it is, not issued a
// third time), and in the dirs layout a device whose old directory was
// moved aside and removed before the new one was renamed in (issued
// again, replacing the journal's certificate).
func TestIssueReissue(t *testing.T) {
	for _, layout := range []store.Layout{store.LayoutDirs, store.LayoutJSONL} {
		t.Run(string(layout), func(t *testing.T) {
			h := batchHierarchy(t)
			out := t.TempDir()
			rows := batchRows(4, nil)
			opts := Options{Layout: layout, Workers: 2}
			if _, err := Issue(h, out, "sensor", rows, opts); err != nil {
				t.Fatal(err)
			}
			jpath := filepath.Join(out, store.JournalFile)
			first, err := store.ReadJournal(jpath)
			if err != nil {
				t.Fatal(err)
			}
			serial := map[string]string{}
			for _, e := range first {
				serial[e.ID] = e.Serial
			}
			opts.Reissue = "key compromise"
			sum, err := Issue(h, out, "sensor", rows, opts)
			if err != nil || counts(sum) != (batchCounts{Devices: 4, Issued: 4}) {
				t.Fatalf("reissue: %+v, %v", sum, err)
			}
			// The last reissue line is lost.
			data, _ := os.ReadFile(jpath)
			lines := strings.SplitAfter(string(data), "\n")
			idOf := func(l string) string { return l[strings.Index(l, `"id":"`)+6:][:7] }
			lost, gone := idOf(lines[7]), idOf(lines[4])
			kept := lines[:7]
			if layout == store.LayoutDirs {
				// The device of the first reissue line lost its directory
				// in the middle of its reissue, and its line.
				kept = append(lines[:4:4], lines[5:7]...)
				if err := os.RemoveAll(store.DeviceDir(out, gone)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(jpath, []byte(strings.Join(kept, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			sum, err = Issue(h, out, "sensor", rows, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := batchCounts{Devices: 4, Done: 4, Recovered: 1}
			if layout == store.LayoutDirs {
				want = batchCounts{Devices: 4, Done: 3, Recovered: 1, Issued: 1}
			}
			if counts(sum) != want {
				t.Errorf("run again: summary %+v, want %+v", *sum, want)
			}
			entries, err := store.ReadJournal(jpath)
			if err != nil {
				t.Fatal(err)
			}
			reissued := map[string]int{}
			for _, e := range entries[len(first):] {
				reissued[e.ID]++
				if e.Previous != serial[e.ID] || e.ReissueReason != "key compromise" || e.Serial == serial[e.ID] {
					t.Errorf("reissue line %+v replaces %s", e, serial[e.ID])
				}
				if e.Recovered != (e.ID == lost) {
					t.Errorf("line of %s recovered %v (lost: %s)", e.ID, e.Recovered, lost)
				}
			}
			for _, r := range rows {
				if reissued[r.id] != 1 {
					t.Errorf("%s: %d reissue lines", r.id, reissued[r.id])
				}
			}
		})
	}
}
