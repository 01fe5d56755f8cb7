package ldevid

import (
	"fmt"

	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/store"
)

// signC509 adds to dev, when its device profile d asks for one, the
// natively signed C509 certificate with the content of dev.Cert, signed by
// the issuing CA ca over the CBOR TBSCertificate (c509.SignNative).
func signC509(d *DeviceSpec, ca *CA, dev *Issued) error {
	if !d.c509 {
		return nil
	}
	c, err := c509.SignNative(dev.Cert.Raw, ca.Signer)
	if err != nil {
		return fmt.Errorf("device %q (%s): natively signed C509: %w", dev.ID, d.Name, err)
	}
	dev.c509 = c
	return nil
}

// checkC509Layout refuses the jsonl layout for a device profile that
// asks for C509 certificates: devices.jsonl has no place for them.
func checkC509Layout(d *DeviceSpec, layout store.Layout) error {
	if d.c509 && layout == store.LayoutJSONL {
		return fmt.Errorf("device profile %q sets c509: true, which the jsonl layout cannot hold (it has no place for a cert.c509): use the dirs layout", d.Name)
	}
	return nil
}
