package bundle_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// noKeyIDs removes the subject and authority key identifiers.
func noKeyIDs(tbs *certgen.TBS) {
	tbs.RemoveExtension(certgen.OIDExtSubjectKeyID)
	tbs.RemoveExtension(certgen.OIDExtAuthorityKeyID)
}

// sameNameRoots makes n roots that share one name and carry no key
// identifiers, and one end entity under each (without an
// authorityKeyIdentifier): chain building can tell a leaf's root only by
// its signature.
func sameNameRoots(tb testing.TB, n int) (roots, leaves []cert) {
	tb.Helper()
	for i := range n {
		root, err := certgen.Issue(certgen.RootTemplate(), noKeyIDs)
		if err != nil {
			tb.Fatal(err)
		}
		tmpl := certgen.EETemplate("tls13-iot", root)
		tmpl.AuthorityKeyId = nil
		leaf, err := certgen.Issue(tmpl, noKeyIDs)
		if err != nil {
			tb.Fatal(err)
		}
		roots = append(roots, cert{fmt.Sprintf("root%d", i), root.DER()})
		leaves = append(leaves, cert{fmt.Sprintf("leaf%d", i), leaf.DER()})
	}
	return roots, leaves
}

// TestManyRootsSharingName checks that the issuer of each leaf is found
// among 1,000 roots of one name without key identifiers, and that each
// leaf's path ends at its own root. Chain building narrows the candidates
// by ECDSA public key recovery instead of a signature check per candidate
// (1,000,000 checks, about a minute of CPU, before); the time is measured
// by BenchmarkManyRootsSharingName.
func TestManyRootsSharingName(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 certificates")
	}
	roots, leaves := sameNameRoots(t, 1000)
	results := runResults(t, "tls13-iot", append(roots, leaves...), nil)
	for i, r := range results[len(roots):] {
		if r.Path == nil || !r.Path.Valid || len(r.Path.Chain) != 1 || r.Path.Chain[0].Origin.File != roots[i].name {
			t.Fatalf("%s: path %+v, want valid through %s", r.Origin.File, r.Path, roots[i].name)
		}
		if f := chainFinding(r, bundle.SignatureInvalid); f != nil {
			t.Errorf("%s: %+v", r.Origin.File, f)
		}
	}
}

// BenchmarkManyRootsSharingName lints 1,000 roots sharing one name without
// key identifiers and 1,000 leaves, one under each.
func BenchmarkManyRootsSharingName(b *testing.B) {
	roots, leaves := sameNameRoots(b, 1000)
	certs := append(roots, leaves...)
	p, err := profile.Default("tls13-iot")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := bundle.Run(p, items(certs), nil, bundle.Options{Profiles: []string{"tls13-iot"}, Clock: func() time.Time { return now }}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "certs/s")
}
