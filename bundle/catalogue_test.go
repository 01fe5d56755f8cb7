package bundle

import (
	"slices"
	"testing"

	"github.com/iotcert/iotcert/lints"
)

// TestCatalogueChainChecks checks that every chain check the catalogue map
// names exists, and that every chain check named after a catalogue
// requirement is in the map.
func TestCatalogueChainChecks(t *testing.T) {
	var names []string
	for _, c := range Checks() {
		names = append(names, c.Name)
	}
	mapped := map[string]bool{}
	for _, row := range lints.Catalogue() {
		for _, n := range row.Chain {
			if !slices.Contains(names, n) {
				t.Errorf("catalogue row %s names chain check %s, which does not exist", row.ID, n)
			}
			mapped[n] = true
		}
	}
	for _, n := range names {
		for _, row := range lints.Catalogue() {
			if len(n) > 2 && n[2:] == row.ID && !mapped[n] {
				t.Errorf("chain check %s is not in the catalogue row %s", n, row.ID)
			}
		}
	}
}
