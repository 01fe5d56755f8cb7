package serve

import (
	"bytes"
	stdx509 "crypto/x509"
	"encoding/pem"
	"path/filepath"
	"testing"
)

// TestThrowawayPair checks with crypto/x509 that the throwaway-signed
// certificate carries exactly the TBSCertificate given and verifies under
// the issuer's copy, and that the copy keeps the issuer's names, key
// identifier, validity and constraints, with another key.
func TestThrowawayPair(t *testing.T) {
	for _, dir := range []string{"tls13-iot", "matter", "idevid-8021ar"} {
		issuerPEM, _ := pem.Decode(readFile(t, filepath.Join(certs, dir, "sub.pem")))
		if issuerPEM == nil {
			continue
		}
		tbs := tbsOfFile(t, filepath.Join(dir, "ee.pem"))
		child, issuer, err := throwawayPair(tbs, issuerPEM.Bytes)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		c, err := stdx509.ParseCertificate(child)
		if err != nil {
			t.Fatalf("%s: child: %v", dir, err)
		}
		fake, err := stdx509.ParseCertificate(issuer)
		if err != nil {
			t.Fatalf("%s: issuer: %v", dir, err)
		}
		real, _ := stdx509.ParseCertificate(issuerPEM.Bytes)
		if !bytes.Equal(c.RawTBSCertificate, tbs) {
			t.Errorf("%s: the signed certificate has another TBSCertificate", dir)
		}
		if err := c.CheckSignatureFrom(fake); err != nil {
			t.Errorf("%s: does not verify under the issuer's copy: %v", dir, err)
		}
		if c.CheckSignatureFrom(real) == nil {
			t.Errorf("%s: verifies under the real issuer: the throwaway key is the real one?", dir)
		}
		if !bytes.Equal(fake.RawSubject, real.RawSubject) || !bytes.Equal(fake.SubjectKeyId, real.SubjectKeyId) ||
			!fake.NotBefore.Equal(real.NotBefore) || !fake.NotAfter.Equal(real.NotAfter) ||
			fake.MaxPathLen != real.MaxPathLen || fake.IsCA != real.IsCA || fake.PublicKeyAlgorithm != real.PublicKeyAlgorithm ||
			bytes.Equal(fake.RawSubjectPublicKeyInfo, real.RawSubjectPublicKeyInfo) {
			t.Errorf("%s: the issuer's copy differs from the issuer beyond its key", dir)
		}
	}
}
