package profile

import (
	"sort"

	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/lints"
)

// CatalogueEntry describes one of iotcert's own lints and the profiles of
// a Rules that run it.
type CatalogueEntry struct {
	LintInfo
	// Profiles are the names of the profiles that run the lint.
	Profiles []string `json:"profiles"`
}

// Catalogue describes every lint registered under iotcert's own sources
// (lints.Sources), sorted by name, with the profiles of r that run each.
// Level is the level the lint's name declares.
func (r *Rules) Catalogue() []CatalogueEntry {
	var out []CatalogueEntry
	for _, src := range lints.Sources() {
		for _, l := range lint.GlobalRegistry().CertificateLints().BySource(src) {
			e := CatalogueEntry{LintInfo: LintInfo{
				Name:        l.Name,
				Level:       levelFromName(l.Name),
				Roles:       lints.RolesOf(l).String(),
				Source:      string(l.Source),
				Citation:    l.Citation,
				Description: l.Description,
			}, Profiles: []string{}}
			for _, name := range r.order {
				if p, err := r.Profile(name); err == nil && p.Runs(l.Name) {
					e.Profiles = append(e.Profiles, name)
				}
			}
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
