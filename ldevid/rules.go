package ldevid

import "github.com/iotcert/iotcert/profile"

// Rules returns the rules the hierarchy's profiles come from: the
// embedded rules.yaml with the spec's rules file and inline rules loaded
// over it (or those given WithRules).
func (h *Hierarchy) Rules() *profile.Rules { return h.rules }
