package bundle_test

import (
	"testing"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
)

// rolloverSet is a root key rollover made with certgen, each piece open
// to change before it is issued.
type rolloverSet struct {
	oldTmpl, newTmpl, nwoTmpl, ownTmpl *certgen.Template
}

// newRolloverSet returns the templates of a conforming rollover: the new
// root a year after the old one and outlasting it, NewWithOld and
// OldWithNew as RFC 9810 §4.4.1 describes them.
func newRolloverSet(t *testing.T) *rolloverSet {
	r := &rolloverSet{oldTmpl: certgen.RootTemplate(), newTmpl: certgen.RootTemplate()}
	r.newTmpl.NotBefore = certgen.Epoch.AddDate(1, 0, 0)
	r.newTmpl.NotAfter = r.oldTmpl.NotAfter.AddDate(10, 0, 0)
	r.nwoTmpl = certgen.RootTemplate()
	r.nwoTmpl.Key = r.newTmpl.Key
	r.nwoTmpl.SubjectKeyId = r.newTmpl.SubjectKeyId
	r.nwoTmpl.AuthorityKeyId = r.oldTmpl.SubjectKeyId
	r.nwoTmpl.NotBefore = r.newTmpl.NotBefore
	r.nwoTmpl.NotAfter = r.oldTmpl.NotAfter
	r.ownTmpl = certgen.RootTemplate()
	r.ownTmpl.Key = r.oldTmpl.Key
	r.ownTmpl.SubjectKeyId = r.oldTmpl.SubjectKeyId
	r.ownTmpl.AuthorityKeyId = r.newTmpl.SubjectKeyId
	r.ownTmpl.NotBefore = r.oldTmpl.NotBefore
	r.ownTmpl.NotAfter = r.oldTmpl.NotAfter
	return r
}

// certs issues the set (without the pieces named in leave out).
func (r *rolloverSet) certs(t *testing.T, leaveOut ...string) []cert {
	old := issue(t, r.oldTmpl)
	nw := issue(t, r.newTmpl)
	r.nwoTmpl.Issuer, r.ownTmpl.Issuer = old, nw
	all := []cert{{"old", old.DER()}, {"new", nw.DER()}, {"new-with-old", issue(t, r.nwoTmpl).DER()}, {"old-with-new", issue(t, r.ownTmpl).DER()}}
	var out []cert
	for _, c := range all {
		skip := false
		for _, l := range leaveOut {
			skip = skip || l == c.name
		}
		if !skip {
			out = append(out, c)
		}
	}
	return out
}

func TestLinkChecks(t *testing.T) {
	tests := []struct {
		name     string
		change   func(r *rolloverSet)
		leaveOut []string
		opts     bundle.Options
		want     map[string][]string
	}{
		{name: "conforming", want: nil},
		{name: "roles identified (optional)", opts: bundle.Options{Enable: []string{bundle.LinkRolesIdentified}},
			want: map[string][]string{"new-with-old": {"n_link_roles_identified"}, "old-with-new": {"n_link_roles_identified"}}},
		{name: "NewWithOld outlives the old root", change: func(r *rolloverSet) { r.nwoTmpl.NotAfter = r.newTmpl.NotAfter },
			want: map[string][]string{"new-with-old": {"e_link_newwithold_validity"}}},
		{name: "NewWithOld starts before the new root", change: func(r *rolloverSet) { r.nwoTmpl.NotBefore = r.oldTmpl.NotBefore },
			want: map[string][]string{"new-with-old": {"e_link_newwithold_validity"}}},
		{name: "OldWithNew starts with the new root", change: func(r *rolloverSet) { r.ownTmpl.NotBefore = r.newTmpl.NotBefore },
			want: map[string][]string{"old-with-new": {"e_link_oldwithnew_validity"}}},
		{name: "new root does not outlast the old", change: func(r *rolloverSet) { r.newTmpl.NotAfter = r.oldTmpl.NotAfter },
			want: map[string][]string{"new": {"e_link_newwithnew_validity"}}},
		{name: "NewWithOld with a pathLenConstraint", change: func(r *rolloverSet) { r.nwoTmpl.MaxPathLen, r.nwoTmpl.MaxPathLenZero = 0, true },
			want: map[string][]string{"new-with-old": {"e_link_no_pathlen"}}},
		{name: "NewWithOld with another SKI", change: func(r *rolloverSet) { r.nwoTmpl.SubjectKeyId = []byte{1, 2, 3, 4} },
			want: map[string][]string{"new-with-old": {"e_link_newwithold_keys"}}},
		{name: "OldWithNew with another SKI", change: func(r *rolloverSet) { r.ownTmpl.SubjectKeyId = []byte{1, 2, 3, 4} },
			want: map[string][]string{"old-with-new": {"e_link_oldwithnew_keys"}}},
		{name: "no OldWithNew", leaveOut: []string{"old-with-new"},
			want: map[string][]string{"new": {"w_est_cacerts_rollover_set"}}},
		{name: "no NewWithOld", leaveOut: []string{"new-with-old"},
			want: map[string][]string{"new": {"w_est_cacerts_rollover_set"}}},
		{name: "new name (A14)", change: func(r *rolloverSet) {
			r.newTmpl.Subject.CommonName = "Example IoT Root CA G2"
			r.nwoTmpl.Subject.CommonName = "Example IoT Root CA G2"
		}, want: map[string][]string{"new-with-old": {"w_link_dn_equal"}, "old-with-new": {"w_link_dn_equal"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRolloverSet(t)
			if tc.change != nil {
				tc.change(r)
			}
			got := runBundle(t, "tls13-iot", tc.opts, r.certs(t, tc.leaveOut...), nil)
			assertFindings(t, got.findings, tc.want)
			for _, name := range []string{"new-with-old", "old-with-new"} {
				if role, ok := got.roles[name]; ok && role != "link" {
					t.Errorf("%s: role %q, want link", name, role)
				}
			}
		})
	}
}
