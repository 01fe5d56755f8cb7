package bundle_test

import (
	"testing"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
)

func TestBACnetDirectIssuer(t *testing.T) {
	h := newHierarchy(t, "bacnet-sc")
	direct := issue(t, certgen.EETemplate("bacnet-sc", h.root))
	enable := bundle.Options{Enable: []string{bundle.BACnetDirectIssuer}}
	for _, tc := range []struct {
		name    string
		profile string
		opts    bundle.Options
		certs   []cert
		want    []string
	}{
		{"under a sub-CA, enabled", "bacnet-sc", enable, []cert{{"root", h.root.DER()}, {"sub", h.sub.DER()}, {"device", h.ee.DER()}}, []string{bundle.BACnetDirectIssuer}},
		{"issued by the anchor, enabled", "bacnet-sc", enable, []cert{{"root", h.root.DER()}, {"device", direct.DER()}}, nil},
		{"under a sub-CA, optional check off", "bacnet-sc", bundle.Options{}, []cert{{"root", h.root.DER()}, {"sub", h.sub.DER()}, {"device", h.ee.DER()}}, nil},
		{"under a sub-CA, trusted sub", "bacnet-sc", enable, []cert{{"device", h.ee.DER()}}, nil},
		{"other profile", "ldevid-8021ar", enable, []cert{{"root", h.root.DER()}, {"sub", h.sub.DER()}, {"device", h.ee.DER()}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var trust []cert
			if tc.name == "under a sub-CA, trusted sub" {
				trust = []cert{{"sub", h.sub.DER()}}
			}
			got := runBundle(t, tc.profile, tc.opts, tc.certs, trust).findings["device"]
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Errorf("device findings %v, want %v", got, tc.want)
			}
		})
	}
}
