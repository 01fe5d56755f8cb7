package ldevid

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/keys"
)

func newKey(t testing.TB, c keys.Curve) crypto.Signer {
	t.Helper()
	var k crypto.Signer
	var err error
	switch c {
	case keys.P256:
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case keys.P384:
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case keys.Ed25519:
		_, k, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testIssuer is a CA certificate made by crypto/x509 for key.
func testIssuer(t testing.TB, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(7),
		Subject:               pkix.Name{CommonName: "Issuer", Organization: []string{"Example"}, Country: []string{"DE"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDeviceTBSMatchesCryptoX509 checks that the device hot path encodes
// the TBSCertificate crypto/x509.CreateCertificate makes, byte for byte,
// for every issuer and subject key type and the template shapes device
// profiles and CSRs give.
func TestDeviceTBSMatchesCryptoX509(t *testing.T) {
	nb := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	san := func(critical bool, names ...idevid.Name) pkix.Extension {
		ext, err := idevid.SubjectAltName(critical, names...)
		if err != nil {
			t.Fatal(err)
		}
		return ext
	}
	subject, err := mustSubject("CN=sensor 1, O=Example, serialNumber=SN1")
	if err != nil {
		t.Fatal(err)
	}
	templates := map[string]*x509.Certificate{
		"ldevid": {
			SerialNumber: new(big.Int).Lsh(big.NewInt(1), 126), RawSubject: subject,
			NotBefore: nb, NotAfter: nb.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
			UnknownExtKeyUsage: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 2}},
			ExtraExtensions:    []pkix.Extension{san(false, idevid.URI("bacnet://1"), idevid.DNSName("d1.example.com"))},
		},
		"idevid forever, empty subject": {
			SerialNumber: big.NewInt(1), NotBefore: nb, NotAfter: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
			KeyUsage:        x509.KeyUsageDigitalSignature,
			ExtraExtensions: []pkix.Extension{san(true, idevid.HardwareModuleName{Type: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1}, SerialNumber: []byte("SN1")}, idevid.IPAddress(net.ParseIP("192.0.2.1")))},
		},
		"known EKUs and two key usage octets": {
			SerialNumber: big.NewInt(0x7fffffff), RawSubject: subject, NotBefore: nb, NotAfter: nb.AddDate(30, 0, 0),
			KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageDecipherOnly,
			ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageOCSPSigning},
			UnknownExtKeyUsage: []asn1.ObjectIdentifier{{2, 23, 133, 11, 1, 2}},
		},
		"no extensions but AKI": {
			SerialNumber: big.NewInt(300), RawSubject: subject, NotBefore: nb, NotAfter: nb.Add(time.Hour),
		},
		"matter DAC: basicConstraints and SKID": {
			SerialNumber: big.NewInt(302), RawSubject: subject, NotBefore: nb, NotAfter: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
			KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true,
			SubjectKeyId: bytes.Repeat([]byte{0xab}, 20),
		},
		"serial with its top bit set, notBefore before 1950": {
			SerialNumber: new(big.Int).Lsh(big.NewInt(0xff), 120), RawSubject: subject,
			NotBefore: time.Date(1949, 12, 31, 23, 59, 59, 0, time.UTC), NotAfter: nb,
			KeyUsage: x509.KeyUsageDigitalSignature,
		},
		"extra keyUsage replaces the template's": {
			SerialNumber: big.NewInt(301), RawSubject: subject, NotBefore: nb, NotAfter: nb.Add(time.Hour),
			KeyUsage:        x509.KeyUsageDigitalSignature,
			ExtraExtensions: []pkix.Extension{{Id: oidExtKeyUsage, Critical: true, Value: []byte{3, 2, 7, 0x80}}},
		},
	}
	for _, ic := range []keys.Curve{keys.P256, keys.P384, keys.Ed25519} {
		issuerKey := newKey(t, ic)
		issuer := testIssuer(t, issuerKey)
		alg, ok := signingAlgorithmFor(issuer.PublicKey)
		if !ok {
			t.Fatalf("no signing algorithm for %s", ic)
		}
		for _, sc := range []keys.Curve{keys.P256, keys.P384, keys.Ed25519} {
			pub := newKey(t, sc).Public()
			for name, tmpl := range templates {
				if !fastPathTemplate(tmpl) {
					t.Fatalf("%s: not a fast-path template", name)
				}
				want, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, pub, issuerKey)
				if err != nil {
					t.Fatal(err)
				}
				wc, err := x509.ParseCertificate(want)
				if err != nil {
					t.Fatal(err)
				}
				got, err := deviceTBS(tmpl, issuer, pub, alg)
				if err != nil {
					t.Fatalf("%s/%s %s: %v", ic, sc, name, err)
				}
				if !bytes.Equal(got, wc.RawTBSCertificate) {
					t.Errorf("%s issuer, %s subject, %s:\n got %x\nwant %x", ic, sc, name, got, wc.RawTBSCertificate)
					continue
				}
				check, err := newSignatureCheck(issuer.PublicKey, issuerKey)
				if err != nil {
					t.Fatal(err)
				}
				der, err := signTBS(got, alg, check, issuerKey)
				if err != nil {
					t.Fatal(err)
				}
				c, err := x509.ParseCertificate(der)
				if err != nil {
					t.Fatal(err)
				}
				if err := c.CheckSignatureFrom(issuer); err != nil {
					t.Errorf("%s/%s %s: %v", ic, sc, name, err)
				}
			}
		}
	}
}

func mustSubject(s string) ([]byte, error) {
	st, err := ParseSubject(s)
	if err != nil {
		return nil, err
	}
	return st.Render(nil)
}

// TestFastPathTemplate checks that a template with any field the fast
// path does not encode goes the crypto/x509 way.
func TestFastPathTemplate(t *testing.T) {
	base := func() *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	}
	for _, tc := range []struct {
		name string
		edit func(*x509.Certificate)
		want bool
	}{
		{"device template", func(*x509.Certificate) {}, true},
		{"CA", func(c *x509.Certificate) { c.IsCA, c.BasicConstraintsValid = true, true }, false},
		{"DNS names", func(c *x509.Certificate) { c.DNSNames = []string{"a.example"} }, false},
		{"subject key id", func(c *x509.Certificate) { c.SubjectKeyId = []byte{1} }, true},
		{"end-entity basic constraints", func(c *x509.Certificate) { c.BasicConstraintsValid = true }, true},
		{"path length on an end entity", func(c *x509.Certificate) { c.BasicConstraintsValid, c.MaxPathLen = true, 2 }, false},
		{"CA without basic constraints", func(c *x509.Certificate) { c.IsCA = true }, false},
		{"pkix subject", func(c *x509.Certificate) { c.Subject.CommonName = "x" }, false},
		{"no serial", func(c *x509.Certificate) { c.SerialNumber = nil }, false},
		{"negative serial", func(c *x509.Certificate) { c.SerialNumber = big.NewInt(-1) }, false},
		{"explicit signature algorithm", func(c *x509.Certificate) { c.SignatureAlgorithm = x509.ECDSAWithSHA512 }, false},
	} {
		c := base()
		tc.edit(c)
		if got := fastPathTemplate(c); got != tc.want {
			t.Errorf("%s: fastPathTemplate = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSignTBSVerifies checks that a signature that does not verify with
// the issuer's key is caught before a certificate comes out, whichever
// check the issuer's key gets.
func TestSignTBSVerifies(t *testing.T) {
	issuerKey := newKey(t, keys.P256)
	issuer := testIssuer(t, issuerKey)
	alg, _ := signingAlgorithmFor(issuer.PublicKey)
	other := newKey(t, keys.P256)
	const want = "the signer's signature does not verify with the issuer's key"

	// The key check: a file key, and a signer that signs with another key.
	keyCheck, err := newSignatureCheck(issuer.PublicKey, issuerKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signTBS([]byte{0x30, 0}, alg, keyCheck, other); err == nil || err.Error() != want {
		t.Errorf("key check, foreign signer: %v", err)
	}
	// A verification: a signer that is not an in-process key (a token)
	// and signs with another key.
	token := opaqueSigner{other}
	verify, err := newSignatureCheck(issuer.PublicKey, opaqueSigner{issuerKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signTBS([]byte{0x30, 0}, alg, verify, token); err == nil || err.Error() != want {
		t.Errorf("verification, foreign signer: %v", err)
	}
	// The key check refuses to be made for a key that is not the issuer's.
	if _, err := newSignatureCheck(issuer.PublicKey, other); err == nil {
		t.Error("newSignatureCheck with a foreign key: no error")
	}
}

// opaqueSigner hides the type of its signer, as a PKCS#11 key does.
type opaqueSigner struct{ crypto.Signer }

// TestMarshalSPKIMatchesCryptoX509 checks marshalSPKI against
// x509.MarshalPKIXPublicKey on every curve a key can have.
func TestMarshalSPKIMatchesCryptoX509(t *testing.T) {
	var pubs []crypto.PublicKey
	for _, c := range []keys.Curve{keys.P256, keys.P384, keys.Ed25519} {
		pubs = append(pubs, newKey(t, c).Public())
	}
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, pub := range append(pubs, p521.Public()) {
		want, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := marshalSPKI(pub); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%T: got %x (%v), want %x", pub, got, err, want)
		}
	}
}
