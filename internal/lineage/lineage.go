// Package lineage gives the chain of profiles a profile extends, as
// bundle.Options.Profiles and bundle.CheckInfo.RunsUnder want it.
package lineage

import "github.com/iotcert/iotcert/profile"

// Of returns the name of profile p followed by the names of the profiles
// it extends, nearest first, as rules defines them. A loop or an unknown
// name ends the list.
func Of(rules *profile.Rules, p *profile.Profile) []string {
	out := []string{p.Name}
	seen := map[string]bool{p.Name: true}
	for next := p.Extends; next != "" && !seen[next]; {
		seen[next] = true
		out = append(out, next)
		q, err := rules.Profile(next)
		if err != nil {
			break
		}
		next = q.Extends
	}
	return out
}
