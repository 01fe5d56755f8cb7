package ldevid

import (
	"fmt"

	"github.com/iotcert/iotcert/c509"
)

// signC509 adds to dev, when its device profile d asks for one, the
// natively signed C509 certificate with the content of dev.Cert, signed by
// the issuing CA ca over the CBOR TBSCertificate (c509.SignNative).
func signC509(d *DeviceSpec, ca *CA, dev *Issued) error {
	if !d.C509 {
		return nil
	}
	c, err := c509.SignNative(dev.Cert.Raw, ca.Signer)
	if err != nil {
		return fmt.Errorf("device %q (%s): natively signed C509: %w", dev.ID, d.Name, err)
	}
	dev.c509 = c
	return nil
}
