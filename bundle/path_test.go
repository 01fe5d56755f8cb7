package bundle_test

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// unknownCritical is a critical extension no relying party knows.
var unknownCritical = pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 99, 1}, Critical: true, Value: []byte{0x05, 0x00}}

// TestPathVerdict checks the path verdict (RFC 5280 §6.1) on chains built
// with certgen: each case fails without the path verdict.
func TestPathVerdict(t *testing.T) {
	h := newHierarchy(t, "tls13-iot")
	root, sub, ee := cert{"root", h.root.DER()}, cert{"sub", h.sub.DER()}, cert{"ee", h.ee.DER()}
	other := issue(t, certgen.RootTemplate())

	// Two CAs that issue each other, and a device under one of them.
	caA, caB := certgen.SubTemplate(h.root), certgen.SubTemplate(h.root)
	caA.Subject.CommonName, caB.Subject.CommonName = "Loop CA A", "Loop CA B"
	placeholderA := &certgen.Issued{Cert: &x509.Certificate{Subject: caA.Subject, SubjectKeyId: caA.SubjectKeyId, PublicKey: caA.Key.Public()}, Key: caA.Key}
	placeholderB := &certgen.Issued{Cert: &x509.Certificate{Subject: caB.Subject, SubjectKeyId: caB.SubjectKeyId, PublicKey: caB.Key.Public()}, Key: caB.Key}
	caA.Issuer, caB.Issuer = placeholderB, placeholderA
	loopA, loopB := issue(t, caA), issue(t, caB)
	loopEE := issue(t, certgen.EETemplate("tls13-iot", loopA))

	// Not yet valid at now (2026-06-01): a device, and a sub-CA with a device.
	futureEETmpl := certgen.EETemplate("tls13-iot", h.sub)
	futureEETmpl.NotBefore = now.AddDate(0, 1, 0)
	futureEE := issue(t, futureEETmpl)
	futureSubTmpl := certgen.SubTemplate(h.root)
	futureSubTmpl.NotBefore = now.AddDate(0, 1, 0)
	futureSub := issue(t, futureSubTmpl)
	underFuture := issue(t, certgen.EETemplate("tls13-iot", futureSub))

	// An unknown critical extension on a device and on a sub-CA.
	critEETmpl := certgen.EETemplate("tls13-iot", h.sub)
	critEETmpl.ExtraExtensions = append(critEETmpl.ExtraExtensions, unknownCritical)
	critEE := issue(t, critEETmpl)
	critSubTmpl := certgen.SubTemplate(h.root)
	critSubTmpl.ExtraExtensions = []pkix.Extension{unknownCritical}
	critSub := issue(t, critSubTmpl)
	underCrit := issue(t, certgen.EETemplate("tls13-iot", critSub))

	// One CA key certified twice under one name: by a certificate whose
	// name constraints exclude the device, and by one without.
	caTmpl := certgen.SubTemplate(h.root)
	caTmpl.Subject.CommonName = "Twice Certified CA"
	twiceGood := issue(t, caTmpl)
	deadEndTmpl := certgen.SubTemplate(h.root)
	deadEndTmpl.Key, deadEndTmpl.Subject, deadEndTmpl.SubjectKeyId = caTmpl.Key, caTmpl.Subject, caTmpl.SubjectKeyId
	deadEndTmpl.ExcludedDNSDomains = []string{"example.com"}
	twiceNC := issue(t, deadEndTmpl)
	expiredTmpl := certgen.SubTemplate(h.root)
	expiredTmpl.Key, expiredTmpl.Subject, expiredTmpl.SubjectKeyId = caTmpl.Key, caTmpl.Subject, caTmpl.SubjectKeyId
	expiredTmpl.NotAfter = certgen.Epoch.AddDate(1, 0, 0)
	twiceExpired := issue(t, expiredTmpl)
	twiceEE := issue(t, certgen.EETemplate("tls13-iot", twiceGood))

	tests := []struct {
		name         string
		profile      string
		certs, trust []cert
		want         map[string][]string
	}{
		{name: "root is the trust anchor", certs: []cert{root, sub, ee}, trust: []cert{root}},
		{name: "root is not the trust anchor", certs: []cert{root, sub, ee}, trust: []cert{{"other", other.DER()}},
			want: map[string][]string{"root": {"e_chain_no_valid_path"}, "sub": {"e_chain_no_valid_path"}, "ee": {"e_chain_no_valid_path"}}},
		{name: "CAs issuing each other", certs: []cert{{"loop-a", loopA.DER()}, {"loop-b", loopB.DER()}, {"loop-ee", loopEE.DER()}}, trust: []cert{root},
			want: map[string][]string{"loop-a": {"e_chain_no_valid_path"}, "loop-b": {"e_chain_no_valid_path"}, "loop-ee": {"e_chain_no_valid_path"}}},
		{name: "device not yet valid", certs: []cert{root, sub, {"future", futureEE.DER()}},
			want: map[string][]string{"future": {"e_chain_not_yet_valid"}}},
		{name: "sub-CA not yet valid", certs: []cert{root, {"future-sub", futureSub.DER()}, {"device", underFuture.DER()}},
			want: map[string][]string{"future-sub": {"e_chain_not_yet_valid"}, "device": {"e_chain_no_valid_path", "w_chain_validity_outside_issuer"}}},
		{name: "device with an unknown critical extension", certs: []cert{root, sub, {"crit", critEE.DER()}},
			want: map[string][]string{"crit": {"e_chain_unknown_critical_extension"}}},
		{name: "sub-CA with an unknown critical extension", certs: []cert{root, {"crit-sub", critSub.DER()}, {"device", underCrit.DER()}},
			want: map[string][]string{"crit-sub": {"e_chain_unknown_critical_extension"}, "device": {"e_chain_no_valid_path"}}},
		{name: "two issuers share a name, one excludes the device", certs: []cert{root, {"nc", twiceNC.DER()}, {"good", twiceGood.DER()}, {"device", twiceEE.DER()}}},
		{name: "two issuers share a name, one expired", certs: []cert{root, {"expired", twiceExpired.DER()}, {"good", twiceGood.DER()}, {"device", twiceEE.DER()}},
			want: map[string][]string{"expired": {"e_chain_expired"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == "" {
				p = "tls13-iot"
			}
			got := runBundle(t, p, bundle.Options{}, tc.certs, tc.trust)
			assertFindings(t, got.findings, tc.want)
		})
	}
}

// TestTrustAnchorChecks checks what a trust anchor is checked for (RFC
// 5280 §6.1.1, RFC 5937): a path from a broken anchor is not valid, and
// every certificate that needs it says why.
func TestTrustAnchorChecks(t *testing.T) {
	anchor := func(edit func(*certgen.Template), rewrites ...certgen.Rewrite) (*certgen.Issued, []cert) {
		tmpl := certgen.RootTemplate()
		edit(tmpl)
		a := issue(t, tmpl, rewrites...)
		s := issue(t, certgen.SubTemplate(a))
		return a, []cert{{"sub", s.DER()}, {"ee", issue(t, certgen.EETemplate("tls13-iot", s)).DER()}}
	}
	nonCriticalBC := func(tbs *certgen.TBS) { tbs.Extension(asn1.ObjectIdentifier{2, 5, 29, 19}).Critical = false }
	tests := []struct {
		name     string
		edit     func(*certgen.Template)
		rewrites []certgen.Rewrite
		reason   string
	}{
		{"expired", func(t *certgen.Template) { t.NotAfter = certgen.Epoch.AddDate(1, 0, 0) }, nil, "expired on 2026-01-01"},
		{"not yet valid", func(t *certgen.Template) { t.NotBefore = now.AddDate(0, 0, 1) }, nil, "is not valid before 2026-06-02"},
		{"not a CA", func(t *certgen.Template) { t.IsCA = false }, nil, "is not a CA certificate"},
		{"keyUsage without keyCertSign", func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageDigitalSignature }, nil, "has a keyUsage without keyCertSign"},
		{"unknown critical extension", func(t *certgen.Template) { t.ExtraExtensions = []pkix.Extension{unknownCritical} }, nil, "has the unknown critical extension 1.3.6.1.4.1.32473.99.1"},
		{"malformed", func(*certgen.Template) {}, []certgen.Rewrite{nonCriticalBC}, "is malformed: e_basic_constraints_not_critical"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, certs := anchor(tc.edit, tc.rewrites...)
			results := runResults(t, "tls13-iot", certs, []cert{{"anchor", a.DER()}})
			for _, r := range results {
				f := chainFinding(r, bundle.NoValidPath)
				if f == nil || !strings.Contains(f.Details, "the trust anchor") || !strings.Contains(f.Details, tc.reason) {
					t.Errorf("%s: %s finding %+v, want one saying %q", r.Origin.File, bundle.NoValidPath, f, tc.reason)
				}
				if r.Path == nil || r.Path.Valid || !strings.Contains(r.Path.Reason, tc.reason) {
					t.Errorf("%s: path %+v, want invalid because %q", r.Origin.File, r.Path, tc.reason)
				}
			}
		})
	}
}

// TestPathReport checks the path verdict in the results: the chosen path
// from the issuer up to the anchor, what the anchors are, and the reason
// when no path validates.
func TestPathReport(t *testing.T) {
	h := newHierarchy(t, "tls13-iot")
	root, sub, ee := cert{"root", h.root.DER()}, cert{"sub", h.sub.DER()}, cert{"ee", h.ee.DER()}
	at := now.UTC().Format(time.RFC3339)
	pc := func(c *certgen.Issued, file string, anchor bool) profile.PathCert {
		sum := sha256hex(c.DER())
		return profile.PathCert{Subject: subjectOf(t, c), Origin: originOf(file), SHA256: sum, Anchor: anchor}
	}

	results := runResults(t, "tls13-iot", []cert{ee, sub}, []cert{root})
	want := &profile.Path{Valid: true, Anchors: "trust", At: at, Chain: []profile.PathCert{pc(h.sub, "sub", false), pc(h.root, "root", true)}}
	assertPath(t, results[0].Path, want)

	results = runResults(t, "tls13-iot", []cert{root, sub, ee}, nil)
	assertPath(t, results[0].Path, &profile.Path{Valid: true, Anchors: "input-roots", At: at, Chain: []profile.PathCert{}})
	assertPath(t, results[2].Path, &profile.Path{Valid: true, Anchors: "input-roots", At: at, Chain: []profile.PathCert{pc(h.sub, "sub", false), pc(h.root, "root", true)}})

	other := issue(t, certgen.RootTemplate())
	results = runResults(t, "tls13-iot", []cert{root, sub, ee}, []cert{{"other", other.DER()}})
	assertPath(t, results[2].Path, &profile.Path{Anchors: "trust", At: at, Chain: []profile.PathCert{},
		Reason: fmt.Sprintf("%q (root[0]@0) is a self-signed root that is not a trust anchor", subjectOf(t, h.root))})

	// Without a root or --trust there is no path verdict.
	results = runResults(t, "tls13-iot", []cert{sub, ee}, nil)
	if results[1].Path != nil {
		t.Errorf("rootless set: path %+v, want none", results[1].Path)
	}
}

// TestIoTChainRulesByProfile checks that the chain rules of the IoT
// profiles do not run under pkix (RFC 5280 alone).
func TestIoTChainRulesByProfile(t *testing.T) {
	root := issue(t, certgen.RootTemplate())
	subTmpl := certgen.SubTemplate(root)
	subTmpl.Key = certgen.NewKey("RSA-2048")
	subTmpl.SubjectKeyId = certgen.KeyID(subTmpl.Key.Public())
	sub := issue(t, subTmpl)
	ee := issue(t, certgen.EETemplate("tls13-iot", sub))
	certs := []cert{{"root", root.DER()}, {"sub", sub.DER()}, {"ee", ee.DER()}}
	got := runBundle(t, "tls13-iot", bundle.Options{}, certs, nil)
	assertFindings(t, got.findings, map[string][]string{"ee": {"e_chain_algorithm_inconsistent"}})
	got = runBundle(t, "pkix", bundle.Options{}, certs, nil)
	assertFindings(t, got.findings, nil)
}

// runResults runs the bundle over certs with the trust anchors and
// returns the results, in input order.
func runResults(t *testing.T, profileName string, certs, trust []cert) []profile.Result {
	t.Helper()
	p, err := profile.Default(profileName)
	if err != nil {
		t.Fatal(err)
	}
	var trustItems iter.Seq[certio.Item]
	if trust != nil {
		trustItems = items(trust)
	}
	results, _, err := bundle.Run(p, items(certs), trustItems, bundle.Options{Profiles: []string{profileName}, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return results
}

// chainFinding returns r's chain finding of the named check, or nil.
func chainFinding(r profile.Result, name string) *profile.Finding {
	for i, f := range r.Findings {
		if f.Lint == name {
			return &r.Findings[i]
		}
	}
	return nil
}

func assertPath(t *testing.T, got, want *profile.Path) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("path\n got %+v\nwant %+v", got, want)
	}
}

func sha256hex(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// subjectOf returns the subject of c as reports show it.
func subjectOf(t *testing.T, c *certgen.Issued) string {
	t.Helper()
	zc, err := certio.Parse(c.DER())
	if err != nil {
		t.Fatal(err)
	}
	return zc.Subject.String()
}

// originOf is the origin items gives the certificate named file.
func originOf(file string) certio.Origin { return certio.Origin{File: file} }
