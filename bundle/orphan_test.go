package bundle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/profile"
)

// TestOrphansSharingAKI checks that many orphans naming one missing
// issuer by its key identifier cost chain building one pass over the
// bundle, not one each: the hint of e_chain_orphan (a certificate with
// the subjectKeyIdentifier of the orphan's authorityKeyIdentifier) used to
// be found by a scan of every certificate per orphan, n² comparisons.
func TestOrphansSharingAKI(t *testing.T) {
	const n = 5000
	aki := []byte{1, 2, 3, 4}
	b, err := New(Options{Profiles: []string{"tls13-iot"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		b.Add(&profile.Result{Subject: fmt.Sprintf("CN=device %d", i)}, &Node{
			subject: fmt.Sprintf("device %d", i), issuer: "missing CA", aki: aki,
			ski: []byte{byte(i), byte(i >> 8), 9}, display: fmt.Sprintf("CN=device %d", i), maxPathLen: -1,
		})
	}
	// The certificate the hint names: the missing issuer's key, another
	// subject.
	b.Add(&profile.Result{Subject: "CN=renamed CA"}, &Node{
		subject: "renamed CA", issuer: "renamed CA", ski: aki, display: "CN=renamed CA", maxPathLen: -1, isCA: true, cA: true,
	})
	f, _ := b.finish()
	hinted := 0
	for _, cf := range f.findings {
		if cf.Finding.Lint == OrphanNotice || cf.Finding.Lint == OrphanError {
			if !strings.Contains(cf.Finding.Details, `"CN=renamed CA" ([0]@0) has the subjectKeyIdentifier of its authorityKeyIdentifier but another subject`) {
				t.Fatalf("certificate %d: %q, want the hint naming CN=renamed CA", cf.Index, cf.Finding.Details)
			}
			hinted++
		}
	}
	if hinted != n {
		t.Errorf("%d orphans hinted, want %d", hinted, n)
	}
	// One pass to index the certificates, and at most two entries
	// looked at per orphan.
	if limit := (n + 1) + 2*n; f.skiScans > limit {
		t.Errorf("%d certificates looked at for the hints, want at most %d", f.skiScans, limit)
	}
}
