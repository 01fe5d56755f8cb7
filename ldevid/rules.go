package ldevid

import (
	"encoding/asn1"

	"github.com/iotcert/iotcert/profile"
)

// Rules returns the rules the hierarchy's profiles come from: the
// embedded rules.yaml with the spec's rules file and inline rules loaded
// over it.
func (h *Hierarchy) Rules() *profile.Rules { return h.rules }

// Types returns the attribute types of the subject in the order the
// certificate holds them (the reverse of the template's RFC 4514 order),
// one attribute per RDN: what every subject rendered from s has, whatever
// the values.
func (s *Subject) Types() []asn1.ObjectIdentifier {
	out := make([]asn1.ObjectIdentifier, len(s.attrs))
	for i, a := range s.attrs {
		out[len(s.attrs)-1-i] = a.oid
	}
	return out
}
