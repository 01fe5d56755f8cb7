package bundle

import (
	"fmt"
	"time"

	"github.com/iotcert/iotcert/profile"
)

// RunsUnder reports whether the check runs for a profile whose lineage
// (the profile's name and those of the profiles it extends, as in
// Options.Profiles) is given: checks limited to some profiles run when one of
// them is in the lineage, the others always.
func (c CheckInfo) RunsUnder(lineage []string) bool {
	return appliesToProfiles(c.Profiles, lineage)
}

// LintInfos describes every finding a run with p can report: the
// profile's lints followed by the chain checks, as report.Options.Rules
// wants them.
func LintInfos(p *profile.Profile) []profile.LintInfo {
	infos := p.Lints()
	for _, c := range Checks() {
		infos = append(infos, c.LintInfo())
	}
	return infos
}

// LintInfo describes the check as a lint.
func (c CheckInfo) LintInfo() profile.LintInfo {
	return profile.LintInfo{Name: c.Name, Level: c.Level, Roles: c.Roles, Source: Source, Citation: c.Citation, Description: c.Description}
}

// ParseTime parses the time of the check (Options.Clock) as "iotcert lint --at" takes
// it: an RFC 3339 time (2027-01-31T00:00:00Z) or a date (2027-01-31,
// midnight UTC).
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time (2027-01-31T00:00:00Z) nor a date (2027-01-31)", s)
	}
	return t, nil
}
