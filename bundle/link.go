package bundle

import (
	"bytes"

	"github.com/iotcert/iotcert/profile"
)

// Names of the root key rollover checks (rules catalogue section 8).
const (
	LinkRolesIdentified   = "n_link_roles_identified"
	LinkDNEqual           = "w_link_dn_equal"
	LinkKeyIDPresent      = "w_link_keyid_present"
	LinkNewWithOldKeys    = "e_link_newwithold_keys"
	LinkOldWithNewKeys    = "e_link_oldwithnew_keys"
	LinkNoPathLen         = "e_link_no_pathlen"
	LinkNewWithNewValid   = "e_link_newwithnew_validity"
	LinkNewWithOldValid   = "e_link_newwithold_validity"
	LinkOldWithNewValid   = "e_link_oldwithnew_validity"
	ESTCACertsRolloverSet = "w_est_cacerts_rollover_set"
)

var linkChecks = []CheckInfo{
	{Name: LinkRolesIdentified, Level: profile.Notice, Roles: "link", Optional: true,
		Citation:    "RFC 9810 §4.4, §4.4.1",
		Description: "Names what a link certificate of a root key rollover is: NewWithOld (the newer root's key signed by the older root's key) or OldWithNew (the older root's key signed by the newer one's). Optional: enable with --enable-check."},
	{Name: LinkDNEqual, Level: profile.Warn, Roles: "link",
		Citation:    "RFC 9810 §4.4 (ambiguity A14: a new root with a different name is out of CMP's scope)",
		Description: "The issuer and subject names of a link certificate differ: it is not self-issued, so RFC 5280 counts it in path lengths and name chaining treats it as a cross certificate."},
	{Name: LinkKeyIDPresent, Level: profile.Warn, Roles: "link",
		Citation:    "RFC 9810 §4.4; RFC 5280 §4.2.1.1, §4.2.1.2",
		Description: "A link certificate lacks the subjectKeyIdentifier or the authorityKeyIdentifier that path builders need to tell the old and new root keys apart under one name."},
	{Name: LinkNewWithOldKeys, Level: profile.Error, Roles: "link",
		Citation:    "RFC 9810 §4.4.1; RFC 5280 §4.2.1.1, §4.2.1.2",
		Description: "A NewWithOld certificate's subjectKeyIdentifier is not the new root's, or its authorityKeyIdentifier is not the old root's."},
	{Name: LinkOldWithNewKeys, Level: profile.Error, Roles: "link",
		Citation:    "RFC 9810 §4.4.1; RFC 5280 §4.2.1.1, §4.2.1.2",
		Description: "An OldWithNew certificate's subjectKeyIdentifier is not the old root's, or its authorityKeyIdentifier is not the new root's."},
	{Name: LinkNoPathLen, Level: profile.Error, Roles: "link",
		Citation:    "RFC 5280 §4.2.1.9; FPKI Key Rollover CA profile (pathLenConstraint absent)",
		Description: "A link certificate has a pathLenConstraint: paths of the other hierarchy that pass through it may be cut short."},
	{Name: LinkNewWithNewValid, Level: profile.Error, Roles: "root",
		Citation:    "RFC 9810 §4.4.1",
		Description: "The new root of a rollover (NewWithNew) does not overlap the old root: its notBefore is not before the old root's notAfter, or its notAfter is not after it."},
	{Name: LinkNewWithOldValid, Level: profile.Error, Roles: "link",
		Citation:    "RFC 9810 §4.4.1",
		Description: "A NewWithOld certificate's notBefore is not the new root's notBefore, or its notAfter is after the old root's notAfter."},
	{Name: LinkOldWithNewValid, Level: profile.Error, Roles: "link",
		Citation:    "RFC 9810 §4.4.1",
		Description: "An OldWithNew certificate's validity is not the old root's (notBefore and notAfter identical); an OldWithNew certificate may begin before the new root that signs it, so the validity nesting check is not applied to it."},
	{Name: ESTCACertsRolloverSet, Level: profile.Warn, Roles: "root",
		Citation:    "RFC 7030 §4.1.3",
		Description: "The input holds two roots and a link certificate between them (a rollover in progress) but not both link certificates: an EST /cacerts response should carry OldWithOld, OldWithNew and NewWithOld."},
}

func init() {
	// The rollover checks join the chain checks once, before any Bundle
	// exists; the table is not changed afterwards.
	checks = append(checks, linkChecks...)
}

// rolloverLink is a link certificate between two roots of the input.
type rolloverLink struct {
	oldRoot, newRoot *state
	newWithOld       bool // else OldWithNew
}

// linkBetween finds the self-signed roots of the input whose keys the
// link certificate s certifies (subj) and is signed by (sign).
func (f *finisher) linkBetween(s *state) (subj, sign *state) {
	signer := s.parent()
	if !s.isLink() || signer == nil {
		return nil, nil
	}
	for _, r := range f.all {
		if !r.selfSigned || !r.n.isCA || r.dupOf != nil {
			continue
		}
		if subj == nil && bytes.Equal(r.n.spki, s.n.spki) {
			subj = r
		}
		if sign == nil && bytes.Equal(r.n.spki, signer.n.spki) {
			sign = r
		}
	}
	if subj == nil || sign == nil || subj == sign {
		return nil, nil
	}
	return subj, sign
}

// rolloverOf classifies the link certificate s as part of a root key
// rollover: it certifies the key of one self-signed root of the input
// with the key of another, and the two roots have the same name or the
// input also links them the other way (a new name, ambiguity A14; a
// single certificate between differently named roots is a cross
// certificate, not a rollover). The root with the later notBefore (then
// notAfter) is the new one.
func (f *finisher) rolloverOf(s *state) (rolloverLink, bool) {
	subj, sign := f.linkBetween(s)
	if subj == nil {
		return rolloverLink{}, false
	}
	if subj.n.subject != sign.n.subject && !f.linkedBack(subj, sign) {
		return rolloverLink{}, false
	}
	newer := subj.n.notBefore > sign.n.notBefore || (subj.n.notBefore == sign.n.notBefore && subj.n.notAfter > sign.n.notAfter)
	if newer {
		return rolloverLink{oldRoot: sign, newRoot: subj, newWithOld: true}, true
	}
	return rolloverLink{oldRoot: subj, newRoot: sign}, true
}

// linkedBack reports whether a link certificate of the input certifies
// the key of root sign with the key of root subj.
func (f *finisher) linkedBack(subj, sign *state) bool {
	for _, l := range f.all {
		if !l.isLink() || l.dupOf != nil {
			continue
		}
		if a, b := f.linkBetween(l); a == sign && b == subj {
			return true
		}
	}
	return false
}

// checkLinks runs the rollover checks over the link certificates of root
// key rollovers; other link certificates (cross certificates) get the
// validity nesting check.
func (f *finisher) checkLinks(live []*state) {
	type pair struct{ old, new *state }
	kinds := map[pair][2]bool{} // NewWithOld seen, OldWithNew seen
	var pairs []pair
	for _, s := range live {
		if !s.isLink() || s.n.trusted {
			continue
		}
		n := s.n
		rl, ok := f.rolloverOf(s)
		if !ok {
			f.checkLinkNesting(s)
			continue
		}
		if n.subject != n.issuer {
			f.add(s, LinkDNEqual, "issuer %q differs from subject %q: not self-issued", n.issuerName(), n.display)
		}
		if n.maxPathLen >= 0 {
			f.add(s, LinkNoPathLen, "pathLenConstraint %d", n.maxPathLen)
		}
		if len(n.ski) == 0 || len(n.aki) == 0 {
			f.add(s, LinkKeyIDPresent, "subjectKeyIdentifier present: %v, authorityKeyIdentifier present: %v", len(n.ski) > 0, len(n.aki) > 0)
		}
		o, nw := rl.oldRoot.n, rl.newRoot.n
		p := pair{rl.oldRoot, rl.newRoot}
		k, seen := kinds[p]
		if !seen {
			pairs = append(pairs, p)
		}
		if rl.newWithOld {
			k[0] = true
			f.add(s, LinkRolesIdentified, "NewWithOld: the key of the new root %s signed by the key of the old root %s", describe(rl.newRoot), describe(rl.oldRoot))
			if len(n.ski) > 0 && len(n.aki) > 0 && (!bytes.Equal(n.ski, nw.ski) || !bytes.Equal(n.aki, o.ski)) {
				f.add(s, LinkNewWithOldKeys, "subjectKeyIdentifier %X, authorityKeyIdentifier %X; want the new root's %X and the old root's %X", n.ski, n.aki, nw.ski, o.ski)
			}
			if n.notBefore != nw.notBefore || n.notAfter > o.notAfter {
				f.add(s, LinkNewWithOldValid, "validity %s .. %s; want notBefore %s (the new root's) and notAfter no later than %s (the old root's)", day(n.notBefore), day(n.notAfter), day(nw.notBefore), day(o.notAfter))
			}
		} else {
			k[1] = true
			f.add(s, LinkRolesIdentified, "OldWithNew: the key of the old root %s signed by the key of the new root %s", describe(rl.oldRoot), describe(rl.newRoot))
			if len(n.ski) > 0 && len(n.aki) > 0 && (!bytes.Equal(n.ski, o.ski) || !bytes.Equal(n.aki, nw.ski)) {
				f.add(s, LinkOldWithNewKeys, "subjectKeyIdentifier %X, authorityKeyIdentifier %X; want the old root's %X and the new root's %X", n.ski, n.aki, o.ski, nw.ski)
			}
			if n.notBefore != o.notBefore || n.notAfter != o.notAfter {
				f.add(s, LinkOldWithNewValid, "validity %s .. %s; want the old root's %s .. %s", day(n.notBefore), day(n.notAfter), day(o.notBefore), day(o.notAfter))
			}
		}
		kinds[p] = k
	}
	for _, p := range pairs {
		o, nw := p.old.n, p.new.n
		if !(nw.notBefore < o.notAfter) || !(nw.notAfter > o.notAfter) {
			f.add(p.new, LinkNewWithNewValid, "validity %s .. %s does not overlap and outlast the old root's %s .. %s (%s)", day(nw.notBefore), day(nw.notAfter), day(o.notBefore), day(o.notAfter), describe(p.old))
		}
		switch k := kinds[p]; {
		case !k[0]:
			f.add(p.new, ESTCACertsRolloverSet, "the input has OldWithNew but no NewWithOld for the rollover from %s", describe(p.old))
		case !k[1]:
			f.add(p.new, ESTCACertsRolloverSet, "the input has NewWithOld but no OldWithNew for the rollover from %s", describe(p.old))
		}
	}
}

// checkLinkNesting is the validity nesting check of a link certificate
// that is not between two roots of the input (a cross certificate, or a
// link whose roots are not all given).
func (f *finisher) checkLinkNesting(s *state) {
	p := s.parent()
	if p == nil {
		return
	}
	if s.n.notBefore < p.n.notBefore {
		f.add(s, ValidityOutsideIssuer, "notBefore %s is before its issuer's notBefore %s (%s)", day(s.n.notBefore), day(p.n.notBefore), describe(p))
	}
	if !s.n.noExpiry && s.n.notAfter > p.n.notAfter {
		f.add(s, ValidityOutsideIssuer, "notAfter %s is after its issuer's notAfter %s (%s)", day(s.n.notAfter), day(p.n.notAfter), describe(p))
	}
}
