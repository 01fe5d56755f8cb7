package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/bundle"
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
//     profile (when the CA has several device profiles with different
//     lint profiles, none is chosen);
//   - any other certificate is linted with the spec's default profile.
//
// Matching by name is sound because "gen" and "sign" refuse a device
// subject equal to a CA's subject, and a CA's subject is constant.
type specProfiles struct {
	spec     *ldevid.Spec
	fallback *profile.Profile
	cas      map[string]*profile.Profile // by the CA's DER subject
	devices  map[string]*profile.Profile // by the issuing CA's DER subject
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
	sp := &specProfiles{spec: spec, cas: map[string]*profile.Profile{}, devices: map[string]*profile.Profile{}, rules: h.Rules()}
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
		var device *profile.Profile
		for _, d := range spec.Devices {
			if d.CA != ca.Name {
				continue
			}
			p, err := sp.profile(h, d.Profile)
			if err != nil {
				return nil, err
			}
			if device != nil && device.Name != p.Name {
				device = nil // several device profiles: not chosen
				break
			}
			device = p
		}
		if device != nil {
			sp.devices[string(der)] = device
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

// of returns the profile of c, or nil for the fallback (see specProfiles).
func (sp *specProfiles) of(c *x509.Certificate) *profile.Profile {
	if p, ok := sp.cas[string(c.RawSubject)]; ok {
		return p
	}
	if p, ok := sp.devices[string(c.RawIssuer)]; ok {
		return p
	}
	return nil
}

// apply sets opts to lint with the spec's profiles: each certificate with
// its own, the chain checks of every profile used. It returns the profile
// of the certificates the spec does not cover.
func (sp *specProfiles) apply(opts *bundle.Options) *profile.Profile {
	opts.ProfileOf = sp.of
	opts.Profiles = nil
	for _, p := range sp.used {
		for _, name := range bundle.Lineage(sp.rules, p) {
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
