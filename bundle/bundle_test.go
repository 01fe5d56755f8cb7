package bundle_test

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"iter"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// now is the time expiry is judged at in these tests.
var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// cert is a named certificate of a test bundle.
type cert struct {
	name string
	der  []byte
}

func issue(t *testing.T, tmpl *certgen.Template, rewrites ...certgen.Rewrite) *certgen.Issued {
	t.Helper()
	c, err := certgen.Issue(tmpl, rewrites...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// items yields the certificates as certio items whose file is their name.
func items(certs []cert) iter.Seq[certio.Item] {
	return func(yield func(certio.Item) bool) {
		for _, c := range certs {
			if !yield(certio.Item{Origin: certio.Origin{File: c.name}, DER: c.der}) {
				return
			}
		}
	}
}

// outcome is what a test asserts: the chain findings ("lint" or
// "lint:level") and the role of each certificate, by name.
type outcome struct {
	findings map[string][]string
	roles    map[string]string
}

func runBundle(t *testing.T, profileName string, opts bundle.Options, certs, trust []cert) outcome {
	t.Helper()
	p, err := profile.Default(profileName)
	if err != nil {
		t.Fatal(err)
	}
	opts.Profiles = append([]string{profileName}, opts.Profiles...)
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return now }
	}
	var trustItems iter.Seq[certio.Item]
	if trust != nil {
		trustItems = items(trust)
	}
	results, g, err := bundle.Run(p, items(certs), trustItems, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(certs) {
		t.Fatalf("%d results for %d certificates", len(results), len(certs))
	}
	out := outcome{findings: map[string][]string{}, roles: map[string]string{}}
	for i, r := range results {
		if r.Origin.File != certs[i].name {
			t.Fatalf("result %d is %s, want %s (input order)", i, r.Origin.File, certs[i].name)
		}
		out.roles[r.Origin.File] = r.Role
		for _, f := range r.Findings {
			if f.Source != "iotcert_chain" {
				continue
			}
			name := f.Lint
			if info := checkLevel(f.Lint); info != f.Level {
				name += ":" + f.Level.String()
			}
			out.findings[r.Origin.File] = append(out.findings[r.Origin.File], name)
			if f.Citation == "" || f.Details == "" {
				t.Errorf("%s: finding %s without citation or details", r.Origin.File, f.Lint)
			}
		}
	}
	for _, n := range g.Nodes {
		if n.Index >= 0 && n.Worst != results[n.Index].Worst() {
			t.Errorf("graph node %s: worst %v, result %v", n.Origin.File, n.Worst, results[n.Index].Worst())
		}
	}
	checkSpool(t, p, opts, certs, trust, results, g)
	return out
}

// checkSpool checks that Spool replays what Run returned: the same
// results in the same order, the same graph, and that Close removes its
// temporary file.
func checkSpool(t *testing.T, p *profile.Profile, opts bundle.Options, certs, trust []cert, results []profile.Result, g *bundle.Graph) {
	t.Helper()
	if opts.Clock == nil {
		// Judge at the instant Run judged at: details may name it.
		at := g.At
		opts.Clock = func() time.Time { return at }
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var trustItems iter.Seq[certio.Item]
	if trust != nil {
		trustItems = items(trust)
	}
	spool, err := bundle.Spool(p, items(certs), trustItems, opts)
	if err != nil {
		t.Fatal(err)
	}
	if spool.Len() != len(results) {
		t.Errorf("spool holds %d results, want %d", spool.Len(), len(results))
	}
	var replayed []profile.Result
	for r, err := range spool.Results() {
		if err != nil {
			t.Fatal(err)
		}
		replayed = append(replayed, r)
	}
	if !reflect.DeepEqual(replayed, results) {
		t.Errorf("spooled results differ from Run's:\n got %+v\nwant %+v", replayed, results)
	}
	if got, want := graphJSON(t, spool.Graph), graphJSON(t, g); got != want {
		t.Errorf("spooled graph differs from Run's:\n got %s\nwant %s", got, want)
	}
	// The temporary files are unlinked as soon as they are made.
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%d files in the temporary directory while spooling, want 0", len(left))
	}
	if err := spool.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("spool file left behind: %v", left)
	}
}

// graphJSON is what a graph shows its users: its nodes and their paths,
// what its anchors are and when they were judged (a spooled graph keeps
// the findings of the certificates it holds in memory alone).
func graphJSON(t *testing.T, g *bundle.Graph) string {
	t.Helper()
	paths := make([]*profile.Path, len(g.Nodes))
	for i := range g.Nodes {
		paths[i] = g.Path(i)
	}
	b, err := json.Marshal(struct {
		Nodes       []bundle.GraphNode
		Paths       []*profile.Path
		Anchors     string
		At          time.Time
		HiddenLoose bundle.LeafCounts
	}{g.Nodes, paths, g.Anchors, g.At, g.HiddenLoose})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func checkLevel(name string) profile.Level {
	for _, c := range bundle.Checks() {
		if c.Name == name {
			return c.Level
		}
	}
	return 0
}

// hierarchy is a conforming root → sub → end entity set for profile.
type hierarchy struct {
	root, sub, ee *certgen.Issued
}

func newHierarchy(t *testing.T, profileName string) hierarchy {
	root := issue(t, certgen.RootTemplate())
	sub := issue(t, certgen.SubTemplate(root))
	ee := issue(t, certgen.EETemplate(profileName, sub))
	return hierarchy{root, sub, ee}
}

// authorityKeyID returns a rewrite that sets the AKI keyIdentifier.
func authorityKeyID(id []byte) certgen.Rewrite {
	return func(tbs *certgen.TBS) {
		v, err := asn1.Marshal(struct {
			ID []byte `asn1:"optional,tag:0"`
		}{id})
		if err != nil {
			panic(err)
		}
		tbs.SetExtension(pkix.Extension{Id: certgen.OIDExtAuthorityKeyID, Value: v})
	}
}

func flipLastByte(der []byte) []byte {
	out := slices.Clone(der)
	out[len(out)-1] ^= 0x01
	return out
}

func TestChains(t *testing.T) {
	h := newHierarchy(t, "tls13-iot")

	// Two levels: a device directly under the root.
	ee2 := issue(t, certgen.EETemplate("tls13-iot", h.root))

	// An expired sub-CA (notAfter 2026-01-01) with a device that outlives it.
	expiredTmpl := certgen.SubTemplate(h.root)
	expiredTmpl.NotAfter = certgen.Epoch.AddDate(1, 0, 0)
	expired := issue(t, expiredTmpl)
	underExpired := issue(t, certgen.EETemplate("tls13-iot", expired))

	// Duplicate serial under the sub: same issuer and serial, other content.
	sameSerialTmpl := certgen.EETemplate("tls13-iot", h.sub)
	sameSerialTmpl.SerialNumber = h.ee.Cert.SerialNumber
	sameSerial := issue(t, sameSerialTmpl)

	// Key reuse: a second device certificate, of another subject, with the
	// first one's key.
	reuseTmpl := certgen.EETemplate("tls13-iot", h.sub)
	reuseTmpl.Key = h.ee.Key
	reuseTmpl.Subject.CommonName = "Another sensor"
	reuse := issue(t, reuseTmpl)

	// AKI that does not match the issuer's SKI.
	badAKIEE := issue(t, certgen.EETemplate("tls13-iot", h.sub), authorityKeyID([]byte{1, 2, 3, 4}))
	badAKISub := issue(t, certgen.SubTemplate(h.root), authorityKeyID([]byte{5, 6, 7, 8}))

	// pathLenConstraint 0 on a sub-CA that issues another sub-CA.
	pl0Tmpl := certgen.SubTemplate(h.root)
	pl0Tmpl.Subject.CommonName = "PathLen0 CA"
	pl0Tmpl.MaxPathLen, pl0Tmpl.MaxPathLenZero = 0, true
	pl0 := issue(t, pl0Tmpl)
	belowTmpl := certgen.SubTemplate(pl0)
	belowTmpl.Subject.CommonName = "Below PathLen0 CA"
	below := issue(t, belowTmpl)
	belowEE := issue(t, certgen.EETemplate("tls13-iot", below))

	// Name constraints: the CA permits devices.example.com only.
	ncTmpl := certgen.SubTemplate(h.root)
	ncTmpl.Subject.CommonName = "Constrained CA"
	ncTmpl.PermittedDNSDomains = []string{"devices.example.com"}
	nc := issue(t, ncTmpl)
	inside := issue(t, certgen.EETemplate("tls13-iot", nc))
	outsideTmpl := certgen.EETemplate("tls13-iot", nc)
	outsideTmpl.SetSAN(false, certgen.DNSName("sensor.other.example"))
	outside := issue(t, outsideTmpl)

	// A root with the same name as the real one but another key: a
	// sub-CA it issued names the real root as issuer, whose key does not
	// verify it.
	impostor := issue(t, certgen.RootTemplate())

	root, sub, ee := cert{"root", h.root.DER()}, cert{"sub", h.sub.DER()}, cert{"ee", h.ee.DER()}
	tests := []struct {
		name         string
		profile      string
		opts         bundle.Options
		certs, trust []cert
		want         map[string][]string
		roles        map[string]string
	}{
		{name: "3-level hierarchy", certs: []cert{ee, sub, root},
			roles: map[string]string{"root": "root", "sub": "subordinate", "ee": "end-entity"}},
		{name: "2-level hierarchy", certs: []cert{root, {"ee2", ee2.DER()}}},
		{name: "lone end entity", certs: []cert{ee},
			want: map[string][]string{"ee": {"n_chain_orphan"}}},
		{name: "rootless set", certs: []cert{ee, sub},
			want: map[string][]string{"sub": {"n_chain_orphan"}}},
		{name: "missing intermediate", certs: []cert{root, ee},
			want: map[string][]string{"ee": {"e_chain_orphan"}}},
		{name: "missing intermediate, trust store", certs: []cert{ee}, trust: []cert{root},
			want: map[string][]string{"ee": {"e_chain_orphan"}}},
		{name: "chain to a trust store", certs: []cert{ee, sub}, trust: []cert{root}},
		{name: "expired sub-CA", opts: bundle.Options{CheckExpiry: true}, certs: []cert{root, {"expired", expired.DER()}, {"device", underExpired.DER()}},
			want: map[string][]string{"expired": {"e_chain_expired"}, "device": {"e_chain_no_valid_path", "w_chain_validity_outside_issuer"}}},
		{name: "expired sub-CA, validity nesting error", opts: bundle.Options{ValidityNesting: profile.Error}, certs: []cert{root, {"expired", expired.DER()}, {"device", underExpired.DER()}},
			want: map[string][]string{"expired": {"e_chain_expired"}, "device": {"e_chain_no_valid_path", "w_chain_validity_outside_issuer:error"}}},
		{name: "broken signature", certs: []cert{root, sub, {"broken", flipLastByte(h.ee.DER())}},
			want: map[string][]string{"broken": {"e_chain_signature_invalid"}}},
		{name: "issuer name without its key", certs: []cert{root, {"impostor-sub", issue(t, certgen.SubTemplate(impostor)).DER()}},
			want: map[string][]string{"impostor-sub": {"e_chain_signature_invalid"}}},
		{name: "duplicate", certs: []cert{root, sub, ee, {"ee-again", h.ee.DER()}},
			want: map[string][]string{"ee": {"n_chain_duplicate"}}},
		{name: "serial reused", certs: []cert{root, sub, ee, {"same-serial", sameSerial.DER()}},
			want: map[string][]string{"same-serial": {"e_iot_all_serial_unique"}}},
		{name: "key reuse", certs: []cert{root, sub, ee, {"reuse", reuse.DER()}},
			want: map[string][]string{"reuse": {"w_chain_key_reuse"}}},
		{name: "AKI mismatch", certs: []cert{root, sub, {"bad-aki-ee", badAKIEE.DER()}, {"bad-aki-sub", badAKISub.DER()}},
			want: map[string][]string{"bad-aki-ee": {"e_iot_ee_aki_matches_issuer"}, "bad-aki-sub": {"e_iot_sub_aki_matches_issuer"}}},
		// RFC 5280 §6.1.4 (l): the CA below pl0 has a valid path (a
		// pathLenConstraint never limits the last certificate of a path);
		// what it issues has none.
		{name: "pathLen 0 violated", certs: []cert{root, {"pl0", pl0.DER()}, {"below", below.DER()}, {"below-ee", belowEE.DER()}},
			want: map[string][]string{"below-ee": {"e_chain_pathlen_exceeded"}}},
		{name: "name constraints", certs: []cert{root, {"nc", nc.DER()}, {"inside", inside.DER()}, {"outside", outside.DER()}},
			want: map[string][]string{"outside": {"e_chain_name_constraints"}}},
		// The device expires on 2035-01-01, 214 days after 2034-06-01.
		{name: "expiry horizon", opts: bundle.Options{Clock: func() time.Time { return time.Date(2034, 6, 1, 0, 0, 0, 0, time.UTC) }, CheckExpiry: true, ExpiryHorizon: 240 * 24 * time.Hour}, certs: []cert{ee, sub, root},
			want: map[string][]string{"ee": {"e_chain_expiring"}}},
		{name: "expiry horizon short", opts: bundle.Options{Clock: func() time.Time { return time.Date(2034, 6, 1, 0, 0, 0, 0, time.UTC) }, CheckExpiry: true, ExpiryHorizon: 90 * 24 * time.Hour}, certs: []cert{ee, sub, root}},
		{name: "disabled check", opts: bundle.Options{Disable: []string{"n_chain_orphan"}}, certs: []cert{ee}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.profile
			if p == "" {
				p = "tls13-iot"
			}
			got := runBundle(t, p, tc.opts, tc.certs, tc.trust)
			assertFindings(t, got.findings, tc.want)
			for name, r := range tc.roles {
				if got.roles[name] != r {
					t.Errorf("%s: role %q, want %q", name, got.roles[name], r)
				}
			}
		})
	}
}

func assertFindings(t *testing.T, got, want map[string][]string) {
	t.Helper()
	if want == nil {
		want = map[string][]string{}
	}
	for _, m := range []map[string][]string{got, want} {
		for _, v := range m {
			sort.Strings(v)
		}
	}
	names := map[string]bool{}
	for k := range got {
		names[k] = true
	}
	for k := range want {
		names[k] = true
	}
	for k := range names {
		if strings.Join(got[k], ",") != strings.Join(want[k], ",") {
			t.Errorf("%s: chain findings %v, want %v", k, got[k], want[k])
		}
	}
}

// TestRollover builds a root key rollover (RFC 9810 §4.4): OldWithOld and
// NewWithNew roots, the NewWithOld and OldWithNew link certificates, and a
// sub-CA under the old key. Nothing is wrong with it.
func TestRollover(t *testing.T) {
	oldTmpl := certgen.RootTemplate()
	old := issue(t, oldTmpl)
	newTmpl := certgen.RootTemplate()
	newTmpl.NotBefore = certgen.Epoch.AddDate(1, 0, 0)
	newTmpl.NotAfter = oldTmpl.NotAfter.AddDate(10, 0, 0) // RFC 9810 §4.4.1: the new root outlasts the old
	nw := issue(t, newTmpl)

	// NewWithOld: the new key, signed by the old one.
	nwoTmpl := certgen.RootTemplate()
	nwoTmpl.Key = nw.Key
	nwoTmpl.SubjectKeyId = nw.Cert.SubjectKeyId
	nwoTmpl.AuthorityKeyId = old.Cert.SubjectKeyId
	nwoTmpl.NotBefore = newTmpl.NotBefore
	nwoTmpl.NotAfter = oldTmpl.NotAfter
	nwoTmpl.Issuer = old
	nwo := issue(t, nwoTmpl)

	// OldWithNew: the old key, signed by the new one.
	ownTmpl := certgen.RootTemplate()
	ownTmpl.Key = old.Key
	ownTmpl.SubjectKeyId = old.Cert.SubjectKeyId
	ownTmpl.AuthorityKeyId = nw.Cert.SubjectKeyId
	ownTmpl.NotBefore = oldTmpl.NotBefore // RFC 9810 §4.4.1: the validity of OldWithOld
	ownTmpl.NotAfter = oldTmpl.NotAfter
	ownTmpl.Issuer = nw
	own := issue(t, ownTmpl)

	sub := issue(t, certgen.SubTemplate(old))
	ee := issue(t, certgen.EETemplate("tls13-iot", sub))

	got := runBundle(t, "tls13-iot", bundle.Options{}, []cert{
		{"old", old.DER()}, {"new", nw.DER()}, {"new-with-old", nwo.DER()}, {"old-with-new", own.DER()},
		{"sub", sub.DER()}, {"ee", ee.DER()},
	}, nil)
	assertFindings(t, got.findings, nil)
	want := map[string]string{"old": "root", "new": "root", "new-with-old": "link", "old-with-new": "link", "sub": "subordinate", "ee": "end-entity"}
	for k, v := range want {
		if got.roles[k] != v {
			t.Errorf("%s: role %q, want %q", k, got.roles[k], v)
		}
	}
}

// TestCrossCertificationAndTwoRoots: a sub-CA certified by two roots puts
// its devices under both; a root key certified by another root is a link.
func TestCrossCertificationAndTwoRoots(t *testing.T) {
	rootA := issue(t, certgen.RootTemplate())
	bTmpl := certgen.RootTemplate()
	bTmpl.Subject.CommonName = "Second Root CA"
	rootB := issue(t, bTmpl)

	subA := issue(t, certgen.SubTemplate(rootA))
	subBTmpl := certgen.SubTemplate(rootB)
	subBTmpl.Key = subA.Key
	subBTmpl.SubjectKeyId = subA.Cert.SubjectKeyId
	subB := issue(t, subBTmpl)
	ee := issue(t, certgen.EETemplate("tls13-iot", subA))

	// Root B's key certified by root A.
	crossTmpl := certgen.SubTemplate(rootA)
	crossTmpl.Subject = bTmpl.Subject
	crossTmpl.Key = rootB.Key
	crossTmpl.SubjectKeyId = rootB.Cert.SubjectKeyId
	cross := issue(t, crossTmpl)

	got := runBundle(t, "tls13-iot", bundle.Options{}, []cert{
		{"root-a", rootA.DER()}, {"root-b", rootB.DER()}, {"sub-a", subA.DER()}, {"sub-b", subB.DER()},
		{"ee", ee.DER()}, {"cross", cross.DER()},
	}, nil)
	assertFindings(t, got.findings, map[string][]string{"ee": {"w_chain_multiple_roots"}})
	if got.roles["cross"] != "link" || got.roles["sub-b"] != "subordinate" {
		t.Errorf("roles %v", got.roles)
	}
}

func TestProfileSpecificChecks(t *testing.T) {
	// RFC 7925: four certificates below the trust anchor.
	root := issue(t, certgen.RootTemplate())
	s1 := issue(t, certgen.SubTemplate(root))
	s2Tmpl := certgen.SubTemplate(s1)
	s2Tmpl.Subject.CommonName = "Second-level CA"
	s2 := issue(t, s2Tmpl)
	s3Tmpl := certgen.SubTemplate(s2)
	s3Tmpl.Subject.CommonName = "Third-level CA"
	s3 := issue(t, s3Tmpl)
	deep := issue(t, certgen.EETemplate("rfc7925", s3))
	deepSet := []cert{{"root", root.DER()}, {"s1", s1.DER()}, {"s2", s2.DER()}, {"s3", s3.DER()}, {"deep", deep.DER()}}

	// A P-384 root over P-256 CAs and devices, signing with SHA-384.
	p384Tmpl := certgen.RootTemplate()
	p384Tmpl.Key = certgen.NewKey("P-384")
	p384Tmpl.SubjectKeyId = certgen.KeyID(p384Tmpl.Key.Public())
	p384Tmpl.AuthorityKeyId = p384Tmpl.SubjectKeyId
	p384 := issue(t, p384Tmpl)
	sub384 := issue(t, certgen.SubTemplate(p384))
	idevid := issue(t, certgen.EETemplate("idevid-8021ar", sub384))
	p384Set := []cert{{"root", p384.DER()}, {"sub", sub384.DER()}, {"idevid", idevid.DER()}}

	// An RSA root.
	rsaTmpl := certgen.RootTemplate()
	rsaTmpl.Key = certgen.NewKey("RSA-2048")
	rsaTmpl.SubjectKeyId = certgen.KeyID(rsaTmpl.Key.Public())
	rsaTmpl.AuthorityKeyId = rsaTmpl.SubjectKeyId
	rsaRoot := issue(t, rsaTmpl)
	rsaSub := issue(t, certgen.SubTemplate(rsaRoot))

	// An IDevID and an LDevID of device SN0001 with different subjects.
	h := newHierarchy(t, "idevid-8021ar")
	ldevTmpl := certgen.EETemplate("ldevid-8021ar", h.sub)
	ldevTmpl.Subject.CommonName = "sensor (operational)"
	ldev := issue(t, ldevTmpl)
	sameTmpl := certgen.EETemplate("ldevid-8021ar", h.sub)
	same := issue(t, sameTmpl)

	tests := []struct {
		name, profile string
		opts          bundle.Options
		certs         []cert
		want          map[string][]string
	}{
		{"rfc7925 depth", "rfc7925", bundle.Options{}, deepSet, map[string][]string{"deep": {"w_r7925_chain_depth"}}},
		{"depth ignored by tls13-iot", "tls13-iot", bundle.Options{}, deepSet, nil},
		{"P-384 root over P-256 is fine", "tls13-iot", bundle.Options{}, p384Set, nil},
		{"P-384 root under rfc7925", "rfc7925", bundle.Options{}, p384Set[:2], map[string][]string{"sub": {"e_chain_algorithm_inconsistent"}}},
		{"802.1AR: one signature algorithm", "idevid-8021ar", bundle.Options{}, p384Set, map[string][]string{"idevid": {"n_devid_same_sig_alg_chain"}}},
		{"802.1AR: no-expiry IDevID, enabled", "idevid-8021ar", bundle.Options{Enable: []string{"n_iot_idevid_noexpiry_chain"}}, p384Set,
			map[string][]string{"idevid": {"n_devid_same_sig_alg_chain", "n_iot_idevid_noexpiry_chain"}}},
		{"RSA root", "tls13-iot", bundle.Options{}, []cert{{"root", rsaRoot.DER()}, {"sub", rsaSub.DER()}}, map[string][]string{"sub": {"e_chain_algorithm_inconsistent"}}},
		{"IDevID and LDevID subjects differ", "tls13-iot", bundle.Options{}, []cert{{"root", h.root.DER()}, {"sub", h.sub.DER()}, {"idevid", h.ee.DER()}, {"ldevid", ldev.DER()}},
			map[string][]string{"ldevid": {"n_devid_ldevid_subject_match"}}},
		{"IDevID and LDevID subjects match", "tls13-iot", bundle.Options{}, []cert{{"root", h.root.DER()}, {"sub", h.sub.DER()}, {"idevid", h.ee.DER()}, {"ldevid", same.DER()}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runBundle(t, tc.profile, tc.opts, tc.certs, nil)
			assertFindings(t, got.findings, tc.want)
		})
	}
}

func TestOptions(t *testing.T) {
	for _, opts := range []bundle.Options{{Enable: []string{"n_chain_nope"}}, {Disable: []string{bundle.SignatureInvalid, "n_chain_nope"}}} {
		_, err := bundle.New(opts)
		var unknown *bundle.UnknownCheckError
		if !errors.As(err, &unknown) || unknown.Name != "n_chain_nope" || err.Error() != `unknown chain check "n_chain_nope"` {
			t.Errorf("unknown check (%+v): %v", opts, err)
		}
	}
	if _, err := bundle.New(bundle.Options{ValidityNesting: profile.Notice}); err == nil {
		t.Error("validity nesting notice accepted")
	}
}

func TestChecksMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range bundle.Checks() {
		if seen[c.Name] {
			t.Errorf("%s listed twice", c.Name)
		}
		seen[c.Name] = true
		if c.Citation == "" || c.Description == "" || c.Roles == "" || c.Level == 0 {
			t.Errorf("%s: incomplete metadata %+v", c.Name, c)
		}
		prefix := map[profile.Level]string{profile.Error: "e_", profile.Warn: "w_", profile.Notice: "n_"}[c.Level]
		if !strings.HasPrefix(c.Name, prefix) {
			t.Errorf("%s: level %s does not match its prefix", c.Name, c.Level)
		}
	}
	for _, id := range []string{"iot_all_serial_unique", "iot_sub_aki_matches_issuer", "iot_ee_aki_matches_issuer", "iot_idevid_noexpiry_chain", "r7925_chain_depth", "devid_ldevid_subject_match", "devid_same_sig_alg_chain"} {
		found := false
		for name := range seen {
			if name[2:] == id {
				found = true
			}
		}
		if !found {
			t.Errorf("catalogue row %s has no chain check", id)
		}
	}
}

// TestDocsChecksTable keeps the chain checks table of docs/bundle.md in
// step with Checks.
func TestDocsChecksTable(t *testing.T) {
	doc, err := os.ReadFile("../docs/bundle.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range bundle.Checks() {
		row := "| `" + c.Name + "` | " + c.Level.String() + " | " + c.Roles + " | " + c.Citation + " | " + c.Description
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/bundle.md has no up-to-date row for %s; want a line starting %q", c.Name, row)
		}
	}
}
