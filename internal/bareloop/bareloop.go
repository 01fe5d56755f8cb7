// Package bareloop is the yardstick of the issuance benchmarks
// (bench/issuance.sh, ldevid's BenchmarkBareGoLoop): device issuance with
// nothing but the work every issuer does. For each device it generates a
// P-256 key, makes a certificate with crypto/x509.CreateCertificate under
// a P-256 CA (which signs it and verifies the signature) and encodes the
// certificate and the PKCS#8 key as PEM; it writes nothing and lints
// nothing.
//
// The certificate has the content of the LDevIDs "iotcert gen devices"
// makes from the example spec (iotcert gen example), so that both sign,
// hash and encode the same amount: subject CN, O and serialNumber, a
// bacnet:// URI subjectAltName, keyUsage digitalSignature,
// extendedKeyUsage clientAuth and serverAuth, a 16-octet serial, 365
// days, an authorityKeyIdentifier from the CA's subjectKeyIdentifier.
package bareloop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/url"
	"strconv"
	"time"
)

// An Issuer issues bare device certificates under its own CA. It is safe
// for concurrent use.
type Issuer struct {
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	now   time.Time
}

// New makes a P-256 CA like the example spec's device CA.
func New() (*Issuer, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1),
		Subject:   pkix.Name{CommonName: "Example IoT Device CA", Organization: []string{"Example Devices Ltd"}, Country: []string{"DE"}},
		NotBefore: now, NotAfter: now.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Issuer{ca: ca, caKey: caKey, now: now}, nil
}

// Issue makes device number i: its key, its certificate, both as PEM.
func (is *Issuer) Issue(i int64) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial := make([]byte, 16)
	if _, err := rand.Read(serial); err != nil {
		return nil, nil, err
	}
	serial[0] = serial[0]&0x7f | 0x40
	id := strconv.FormatInt(i, 10)
	tmpl := &x509.Certificate{SerialNumber: new(big.Int).SetBytes(serial),
		Subject:   pkix.Name{CommonName: "BACnet controller " + id, Organization: []string{"Example Devices Ltd"}, SerialNumber: "SN" + id},
		NotBefore: is.now, NotAfter: is.now.AddDate(0, 0, 365), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		URIs:        []*url.URL{{Scheme: "bacnet", Host: id}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, is.ca, key.Public(), is.caKey)
	if err != nil {
		return nil, nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), nil
}
