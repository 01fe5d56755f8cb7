package bareloop

import (
	"crypto/x509"
	"encoding/pem"
	"testing"
)

// TestIssue checks that the yardstick makes what it says: a certificate
// of the example LDevID's shape that verifies under its CA.
func TestIssue(t *testing.T) {
	is, err := New()
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := is.Issue(4194302)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil {
		t.Fatal("no certificate PEM")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSignatureFrom(is.ca); err != nil {
		t.Error(err)
	}
	if got := c.Subject.String(); got != "SERIALNUMBER=SN4194302,CN=BACnet controller 4194302,O=Example Devices Ltd" {
		t.Errorf("subject %q", got)
	}
	if len(c.URIs) != 1 || c.URIs[0].String() != "bacnet://4194302" || len(c.ExtKeyUsage) != 2 || c.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("URIs %v, EKU %v, KU %v", c.URIs, c.ExtKeyUsage, c.KeyUsage)
	}
	if len(c.SerialNumber.Bytes()) != 16 || len(c.AuthorityKeyId) == 0 {
		t.Errorf("serial %x, AKI %x", c.SerialNumber, c.AuthorityKeyId)
	}
	if k, _ := pem.Decode(keyPEM); k == nil || k.Type != "PRIVATE KEY" {
		t.Error("no PKCS#8 key PEM")
	}
}
