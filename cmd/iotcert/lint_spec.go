package main

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
)

// specProfiles chooses, for "lint --spec", the profile each certificate
// is linted with from a hierarchy spec (see docs/generate.md, "Checking
// the output"):
//
//   - a certificate whose subject is a CA's subject of the spec (the
//     same DER Name "gen hierarchy" writes, compared byte for byte) is
//     that CA's certificate, or a link certificate of its rollover: the
//     CA's profile;
//   - otherwise, a certificate whose issuer is a CA's subject was issued
//     by that CA, and every certificate a CA issues besides its
//     subordinate CAs is a device: the lint profile of that CA's device
//     profile. When the CA has several device profiles with different
//     lint profiles, the one whose subject template has the certificate's
//     attribute types, in order, is chosen; when none or several have, none
//     is;
//   - any other certificate is linted with the spec's default profile.
//
// Matching by name is sound because "gen" and "sign" refuse a device
// subject equal to a CA's subject, and a CA's subject is constant.
type specProfiles struct {
	spec     *ldevid.Spec
	fallback *profile.Profile
	cas      map[string]*profile.Profile // by the CA's DER subject
	devices  map[string][]deviceProfile  // by the issuing CA's DER subject
	used     []*profile.Profile          // every profile chosen, fallback first
	rules    *profile.Rules
}

// loadSpecProfiles reads the hierarchy spec at path and the profiles it
// names, with its rules.
func loadSpecProfiles(path string) (*specProfiles, error) {
	spec, err := ldevid.ReadSpec(path)
	if err != nil {
		return nil, err
	}
	h, err := ldevid.New(spec)
	if err != nil {
		return nil, err
	}
	sp := &specProfiles{spec: spec, cas: map[string]*profile.Profile{}, devices: map[string][]deviceProfile{}, rules: h.Rules()}
	if sp.fallback, err = sp.profile(h, spec.Profile); err != nil {
		return nil, err
	}
	for _, ca := range spec.CAs {
		if !ca.Subject.Constant() {
			continue
		}
		der, err := ca.Subject.Render(nil)
		if err != nil {
			return nil, fmt.Errorf("%s: CA %q: subject: %w", spec.Name, ca.Name, err)
		}
		if sp.cas[string(der)], err = sp.profile(h, ca.Profile); err != nil {
			return nil, err
		}
		for _, d := range spec.Devices {
			if d.CA != ca.Name {
				continue
			}
			p, err := sp.profile(h, d.Profile)
			if err != nil {
				return nil, err
			}
			sp.devices[string(der)] = append(sp.devices[string(der)], deviceProfile{d.Subject.Types(), p})
		}
	}
	return sp, nil
}

// profile returns the profile called name from h, and records it as used.
func (sp *specProfiles) profile(h *ldevid.Hierarchy, name string) (*profile.Profile, error) {
	p, err := h.Profile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sp.spec.Name, err)
	}
	if i := slices.IndexFunc(sp.used, func(q *profile.Profile) bool { return q.Name == name }); i >= 0 {
		return sp.used[i], nil
	}
	sp.used = append(sp.used, p)
	return p, nil
}

// deviceProfile is a device profile of a CA: the attribute types of its
// subject template and its lint profile.
type deviceProfile struct {
	types   []asn1.ObjectIdentifier
	profile *profile.Profile
}

// of returns the profile of c, or nil for the fallback (see specProfiles).
func (sp *specProfiles) of(c *x509.Certificate) *profile.Profile {
	if p, ok := sp.cas[string(c.RawSubject)]; ok {
		return p
	}
	return deviceOf(sp.devices[string(c.RawIssuer)], c.RawSubject)
}

// deviceOf returns the lint profile of the device profiles ds of one CA
// for a certificate with subject rawSubject: the one they all have, or
// that of the only one whose subject has rawSubject's attribute types;
// nil otherwise.
func deviceOf(ds []deviceProfile, rawSubject []byte) *profile.Profile {
	if len(ds) == 0 {
		return nil
	}
	if !slices.ContainsFunc(ds, func(d deviceProfile) bool { return d.profile != ds[0].profile }) {
		return ds[0].profile
	}
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(rawSubject, &rdns); err != nil || len(rest) > 0 {
		return nil
	}
	var types []asn1.ObjectIdentifier
	for _, rdn := range rdns {
		for _, atv := range rdn {
			types = append(types, atv.Type)
		}
	}
	var found *profile.Profile
	for _, d := range ds {
		if slices.EqualFunc(d.types, types, asn1.ObjectIdentifier.Equal) {
			if found != nil && found != d.profile {
				return nil
			}
			found = d.profile
		}
	}
	return found
}

// apply sets opts to lint with the spec's profiles: each certificate with
// its own, the chain checks of every profile used. It returns the profile
// of the certificates the spec does not cover.
func (sp *specProfiles) apply(opts *bundle.Options) *profile.Profile {
	opts.ProfileOf = sp.of
	opts.Profiles = nil
	for _, p := range sp.used {
		for _, name := range lineage.Of(sp.rules, p) {
			if !slices.Contains(opts.Profiles, name) {
				opts.Profiles = append(opts.Profiles, name)
			}
		}
	}
	return sp.fallback
}

// name describes the profiles for the report: "tls13-iot, bacnet-sc
// (from h.yaml)".
func (sp *specProfiles) name() string {
	names := make([]string, len(sp.used))
	for i, p := range sp.used {
		names[i] = p.Name
	}
	return strings.Join(names, ", ") + " (from " + sp.spec.Name + ")"
}

// lintInfos describes the lints of every profile used and the chain
// checks, each once.
func (sp *specProfiles) lintInfos() []profile.LintInfo {
	var out []profile.LintInfo
	seen := map[string]bool{}
	for _, p := range sp.used {
		for _, l := range bundle.LintInfos(p) {
			if !seen[l.Name] {
				seen[l.Name] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// lintSpec loads the spec of "lint --spec" and sets opts to lint with it.
// --profile and --rules, which the spec replaces, are refused with it.
func lintSpec(fs *flag.FlagSet, path string, opts *bundle.Options) (*specProfiles, error) {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "profile" || f.Name == "rules" {
			err = fmt.Errorf("--spec and --%s: give one (the spec names the profiles and rules)", f.Name)
		}
	})
	if err != nil {
		return nil, err
	}
	sp, err := loadSpecProfiles(path)
	if err != nil {
		return nil, fmt.Errorf("--spec: %w", err)
	}
	sp.apply(opts)
	return sp, nil
}
