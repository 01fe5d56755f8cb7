package certgen

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"time"
)

// BACnetDeviceInstance is the device instance of the conforming BACnet/SC
// device certificate.
const BACnetDeviceInstance = "1234"

// BACnetSCTemplate is a conforming BACnet/SC operational certificate under
// sub: an LDevID-style device certificate with subject CN, O and
// serialNumber, one bacnet://<device-instance> URI in the SAN, EKU
// clientAuth and serverAuth (a node is a TLS client to its hub and a TLS
// server for direct connections), 2 years.
func BACnetSCTemplate(sub *Issued) *Template {
	t := &Template{Key: NewKey("P-256"), Issuer: sub, Certificate: &x509.Certificate{
		SerialNumber: RandomSerial(),
		Subject: pkix.Name{
			CommonName:   "BACnet device " + BACnetDeviceInstance,
			Organization: []string{"Example Devices Ltd"},
			SerialNumber: "SN0001",
		},
		NotBefore:   Epoch.Add(24 * time.Hour),
		NotAfter:    Epoch.AddDate(2, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
	}}
	t.SetSAN(false, URI("bacnet://"+BACnetDeviceInstance))
	return t
}
