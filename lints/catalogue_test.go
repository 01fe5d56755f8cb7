package lints

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

// TestCatalogueNamesRegisteredLints checks that every lint the catalogue
// names is registered, that every iotcert lint checks some catalogue row,
// and that a row without a lint says why.
func TestCatalogueNamesRegisteredLints(t *testing.T) {
	reg := lint.GlobalRegistry().CertificateLints()
	named := map[string]bool{}
	seen := map[string]bool{}
	for _, row := range Catalogue() {
		if seen[row.ID] {
			t.Errorf("catalogue row %s listed twice", row.ID)
		}
		seen[row.ID] = true
		if len(row.Lints) == 0 && len(row.Chain) == 0 && row.Note == "" {
			t.Errorf("catalogue row %s has no lint, no chain check and no note saying why", row.ID)
		}
		for _, name := range row.Lints {
			if reg.ByName(name) == nil {
				t.Errorf("catalogue row %s names %s, which is not a registered lint", row.ID, name)
			}
			named[name] = true
		}
	}
	for _, src := range Sources() {
		for _, l := range reg.BySource(src) {
			if !named[l.Name] {
				t.Errorf("lint %s checks no catalogue row: add it to Catalogue()", l.Name)
			}
		}
	}
}

// TestCatalogueCoversSharedCatalogue checks Catalogue() against the
// requirements catalogue the lints were written from, a Markdown file kept
// outside this repository: set IOTCERT_RULES_CATALOGUE to its path to run
// it (CI does).
func TestCatalogueCoversSharedCatalogue(t *testing.T) {
	path := os.Getenv("IOTCERT_RULES_CATALOGUE")
	if path == "" {
		t.Skip("IOTCERT_RULES_CATALOGUE is not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	section := 0
	heading := regexp.MustCompile(`^## (\d+)\. `)
	row := regexp.MustCompile(`^\| ([a-z0-9_]+) \| `)
	for _, line := range regexp.MustCompile("\r?\n").Split(string(data), -1) {
		if m := heading.FindStringSubmatch(line); m != nil {
			section, _ = strconv.Atoi(m[1])
			continue
		}
		if m := row.FindStringSubmatch(line); m != nil && section >= 1 && section <= 9 {
			want = append(want, m[1])
		}
	}
	if len(want) < 90 {
		t.Fatalf("read only %d rows from the catalogue; has its format changed?", len(want))
	}
	var got []string
	for _, r := range Catalogue() {
		if r.Extra {
			if slices.Contains(want, r.ID) {
				t.Errorf("Catalogue() marks %s as extra, but the catalogue has that row", r.ID)
			}
			continue
		}
		got = append(got, r.ID)
	}
	for _, id := range want {
		if !slices.Contains(got, id) {
			t.Errorf("catalogue row %s is missing from Catalogue()", id)
		}
	}
	for _, id := range got {
		if !slices.Contains(want, id) {
			t.Errorf("Catalogue() lists %s, which is not in the catalogue", id)
		}
	}
}
