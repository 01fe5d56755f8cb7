package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// TestIssueCheck runs Options.Check in both layouts: it sees only the
// devices to issue, in row order, with the serial a reissue replaces; a
// device it refuses is reported and counted, neither signed nor
// journaled, and the others are issued; a run again checks only the
// devices not issued; an error of Check stops the batch before anything
// is signed.
func TestIssueCheck(t *testing.T) {
	for _, layout := range []store.Layout{store.LayoutDirs, store.LayoutJSONL} {
		t.Run(string(layout), func(t *testing.T) {
			h := batchHierarchy(t)
			out := t.TempDir()
			rows := batchRows(6, nil)
			taken := map[string]bool{"dev-001": true, "dev-004": true}
			var checked, refused []string
			opts := Options{Source: "devices.csv", Workers: 2, Layout: layout,
				Refused: func(r Row, err *ldevid.RefusedError) {
					refused = append(refused, fmt.Sprintf("line %d: %v", r.Line, err))
				},
				Check: func(rows []Row) (map[int]error, error) {
					checked = nil
					no := map[int]error{}
					for i, r := range rows {
						checked = append(checked, r.ID()+"<"+r.Replaces())
						if taken[r.ID()] {
							no[i] = fmt.Errorf("%s is taken", r.ID())
						}
					}
					return no, nil
				},
			}
			sum, err := Issue(h, out, "sensor", rows, opts)
			if err != nil {
				t.Fatal(err)
			}
			if counts(sum) != (batchCounts{Devices: 6, Issued: 4, Refused: 2}) {
				t.Errorf("summary %+v", *sum)
			}
			if want := []string{"dev-000<", "dev-001<", "dev-002<", "dev-003<", "dev-004<", "dev-005<"}; !slices.Equal(checked, want) {
				t.Errorf("checked %q, want %q", checked, want)
			}
			want := []string{
				"line 3: refused to sign device \"dev-001\" (profile tls13-iot):\n  dev-001 is taken",
				"line 6: refused to sign device \"dev-004\" (profile tls13-iot):\n  dev-004 is taken",
			}
			if !slices.Equal(refused, want) {
				t.Errorf("refused %q, want %q", refused, want)
			}
			jpath := filepath.Join(out, store.JournalFile)
			entries, err := store.ReadJournal(jpath)
			if err != nil {
				t.Fatal(err)
			}
			if layout == store.LayoutJSONL {
				checkJSONL(t, h, out, rows, taken)
			} else {
				checkBatch(t, h, out, rows, entries, taken)
			}
			for _, e := range entries {
				if taken[e.ID] {
					t.Errorf("journal line of a device Check refused: %+v", e)
				}
			}

			// Run again: Check is given the two devices not issued, and
			// refuses one.
			delete(taken, "dev-001")
			refused = nil
			sum, err = Issue(h, out, "sensor", rows, opts)
			if err != nil || counts(sum) != (batchCounts{Devices: 6, Done: 4, Issued: 1, Refused: 1}) {
				t.Fatalf("run again: %+v, %v", sum, err)
			}
			if want := []string{"dev-001<", "dev-004<"}; !slices.Equal(checked, want) || len(refused) != 1 {
				t.Errorf("run again: checked %q, refused %q", checked, refused)
			}

			// A reissue is checked with the serial it replaces.
			entries, _ = store.ReadJournal(jpath)
			serial := map[string]string{}
			for _, e := range entries {
				serial[e.ID] = e.Serial
			}
			opts.Reissue = "key lost"
			taken = nil
			sum, err = Issue(h, out, "sensor", rows[:3], opts)
			if err != nil || counts(sum) != (batchCounts{Devices: 3, Issued: 3}) {
				t.Fatalf("reissue: %+v, %v", sum, err)
			}
			if want := []string{"dev-000<" + serial["dev-000"], "dev-001<" + serial["dev-001"], "dev-002<" + serial["dev-002"]}; !slices.Equal(checked, want) || serial["dev-000"] == "" {
				t.Errorf("reissue: checked %q, want %q", checked, want)
			}

			// An error of Check stops the batch before anything is signed.
			before, _ := os.ReadFile(jpath)
			opts.Reissue = ""
			opts.Check = func([]Row) (map[int]error, error) { return nil, errors.New("inventory down") }
			sum, err = Issue(h, out, "sensor", rows, opts)
			if err == nil || err.Error() != "inventory down" || sum != nil {
				t.Errorf("Check failing: %+v, %v", sum, err)
			}
			if after, _ := os.ReadFile(jpath); string(after) != string(before) || strings.Count(string(after), "\n") != 8 {
				t.Errorf("journal changed after Check failed:\n%s", after)
			}
		})
	}
}
