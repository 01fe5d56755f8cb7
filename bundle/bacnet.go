package bundle

import "github.com/iotcert/iotcert/profile"

// BACnetDirectIssuer is the name of the BACnet/SC chain check (rules
// catalogue section 9, bsc_direct_issuer).
const BACnetDirectIssuer = "n_bsc_direct_issuer"

var bacnetProfiles = []string{"bacnet-sc"}

var bacnetChecks = []CheckInfo{
	{Name: BACnetDirectIssuer, Level: profile.Notice, Roles: "end-entity", Profiles: bacnetProfiles, Optional: true,
		Citation: "ASHRAE 135 Annex AB (BACnet/SC), as vendors configure it (JCI Metasys BACnet/SC technical bulletin)",
		Description: "A BACnet/SC operational certificate is issued by a CA that is not a trust anchor: nodes are commonly configured with " +
			"the CA that signs the operational certificates themselves (a path of one certificate), so one issued by an intermediate CA " +
			"may not validate on them. Optional (ambiguity A22: Annex AB is not public): enable with --enable-check."},
}

func init() {
	// The BACnet/SC check joins the chain checks once, before any Bundle
	// exists; the table is not changed afterwards.
	checks = append(checks, bacnetChecks...)
}

// checkBACnet reports BACnet/SC operational certificates whose issuer is
// not a trust anchor.
func (f *finisher) checkBACnet(live []*state) {
	if !appliesToProfiles(bacnetProfiles, f.b.opts.Profiles) {
		return
	}
	for _, s := range live {
		f.checkBACnetOne(s)
	}
}

// checkBACnetOne is checkBACnet on one certificate (the profile applies).
func (f *finisher) checkBACnetOne(s *state) {
	if s.n.trusted || s.n.isCA || s.isLink() {
		return
	}
	if p := s.parent(); p != nil && !p.isAnchor() {
		f.add(s, BACnetDirectIssuer, "issued by %s, which is not a trust anchor: a BACnet/SC node configured with its issuing CA only as the anchor would need it", describe(p))
	}
}
