package profile_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

const certsDir = "../testdata/certs"

type manifestEntry struct {
	File    string   `json:"file"`
	Profile string   `json:"profile"`
	Role    string   `json:"role"`
	Breaks  string   `json:"breaks"`
	Want    []string `json:"want"`
}

// TestManifest lints every generated certificate with its profile and
// asserts the exact set of findings listed in testdata/manifest.json:
// conforming chains have none; each case has exactly the ones it breaks.
func TestManifest(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(certsDir, "..", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []manifestEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	rules, err := profile.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 16 {
		t.Fatalf("manifest lists %d files; want at least the 16 of the conforming chains", len(entries))
	}
	for _, e := range entries {
		t.Run(e.File, func(t *testing.T) {
			p, err := rules.Profile(e.Profile)
			if err != nil {
				t.Fatal(err)
			}
			// A fixed time for the clocked lints: no result depends on
			// the calendar (the CLI tests use the same --at).
			p = p.WithClock(func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
			n := 0
			for it := range certio.Read([]string{filepath.Join(certsDir, e.File)}, nil) {
				n++
				res := p.LintItem(it)
				got := []string{}
				for _, f := range res.Findings {
					got = append(got, f.Lint)
					if f.Details == "" {
						t.Errorf("%s: finding %s has no details", it.Origin, f.Lint)
					}
				}
				sort.Strings(got)
				if !slices.Equal(got, e.Want) {
					t.Errorf("%s (%s): findings %v, want %v\n%+v", it.Origin, res.Role, got, e.Want, res.Findings)
				}
			}
			if n == 0 {
				t.Fatal("no certificate read")
			}
		})
	}
}
