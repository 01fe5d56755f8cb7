//go:build unix

package batch

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/iotcert/iotcert/store"
)

// corruptSigner passes the first n signatures of its Signer through and
// returns every later one with its last byte changed: a well-formed
// signature that does not verify, as a faulty token would return.
type corruptSigner struct {
	crypto.Signer
	n     int64
	count atomic.Int64
}

func (s *corruptSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := s.Signer.Sign(r, digest, opts)
	if err == nil && s.count.Add(1) > s.n {
		sig[len(sig)-1] ^= 0x01
	}
	return sig, err
}

// TestPKCS11BatchBadSignature: a token that starts returning signatures
// that do not verify with the issuing CA's key stops the batch with an
// error naming a device; no certificate with a bad signature is published
// (every published one verifies under the CA certificate and is
// journaled), and the same batch run again with a sound token issues the
// rest, one certificate per device. It is what the check of every token
// signature (signTBS) is for; without it the batch publishes the bad
// certificates.
func TestPKCS11BatchBadSignature(t *testing.T) {
	const n, after = 120, 30
	for _, layout := range []store.Layout{store.LayoutDirs, store.LayoutJSONL} {
		t.Run(string(layout), func(t *testing.T) {
			h, _, _ := tokenHierarchy(t, "iotcert-badsig", []byte(pkcs11Spec))
			ca := h.CA("sub")
			signer := ca.Signer
			ca.Signer = &corruptSigner{Signer: signer, n: after}
			rows := batchRows(n, nil)
			out := t.TempDir()
			sum, err := Issue(h, out, "sensor", rows, Options{Layout: layout, Workers: 4})
			want := regexp.MustCompile(`^device "dev-\d{3}": .*the signer's signature does not verify with the issuer's key$`)
			if err == nil || !want.MatchString(err.Error()) {
				t.Fatalf("bad signatures after %d: error %v, want one matching %s", after, err, want)
			}
			if sum.Issued > after {
				t.Errorf("%d devices issued with %d good signatures", sum.Issued, after)
			}
			checkJournaled(t, out, layout, sum.Issued)
			checkSignedBy(t, out, layout, ca.Cert)

			ca.Signer = signer
			issued := sum.Issued
			sum, err = Issue(h, out, "sensor", rows, Options{Layout: layout, Workers: 4})
			if err != nil || sum.Done != issued || sum.Issued != n-issued {
				t.Fatalf("run again with a sound token: %+v, %v", sum, err)
			}
			checkJournaled(t, out, layout, n)
			checkSignedBy(t, out, layout, ca.Cert)
		})
	}
}

// checkSignedBy checks that every certificate published in out verifies
// under ca.
func checkSignedBy(t *testing.T, out string, layout store.Layout, ca *x509.Certificate) {
	t.Helper()
	var certs []*x509.Certificate
	if layout == store.LayoutJSONL {
		if _, err := os.Stat(filepath.Join(out, store.DevicesFile)); err == nil {
			for _, l := range jsonlLines(t, out) {
				var rec store.DeviceRecord
				if err := json.Unmarshal([]byte(l), &rec); err != nil {
					t.Fatal(err)
				}
				block, _ := pem.Decode([]byte(rec.Cert))
				if block == nil {
					t.Fatalf("record %s: no PEM certificate", rec.ID)
				}
				c, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					t.Fatal(err)
				}
				certs = append(certs, c)
			}
		}
	} else {
		matches, err := filepath.Glob(filepath.Join(out, store.DevicesDir, "*", store.CertFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			certs = append(certs, readCert(t, m))
		}
	}
	for _, c := range certs {
		if err := c.CheckSignatureFrom(ca); err != nil {
			t.Errorf("published certificate %s: %v", c.Subject, err)
		}
	}
}
