package est

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
)

// idevidCert returns a certificate with subject and, when hwSerial is
// set, a HardwareModuleName subjectAltName.
func idevidCert(t *testing.T, subject pkix.Name, hwSerial ...string) *x509.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: subject, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	var names []idevid.Name
	for _, s := range hwSerial {
		names = append(names, idevid.HardwareModuleName{Type: []int{1, 3, 6, 1, 4, 1, 32473, 1, 1}, SerialNumber: []byte(s)})
	}
	if len(names) > 0 {
		ext, err := idevid.SubjectAltName(false, names...)
		if err != nil {
			t.Fatal(err)
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, ext)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

func TestDeviceID(t *testing.T) {
	full := idevidCert(t, pkix.Name{CommonName: "cn-1", SerialNumber: "SN1"}, "HW1")
	bare := idevidCert(t, pkix.Name{Organization: []string{"x"}})
	two := idevidCert(t, pkix.Name{}, "HW1", "HW2")
	for _, tc := range []struct {
		c          *x509.Certificate
		rule, want string
	}{
		{full, ldevid.IDFromSerialNumber, "SN1"},
		{full, ldevid.IDFromCommonName, "cn-1"},
		{full, ldevid.IDFromHardwareModuleName, "HW1"},
		{bare, ldevid.IDFromSerialNumber, "error: the IDevID has no serialNumber to take the device id from"},
		{bare, ldevid.IDFromHardwareModuleName, "error: the IDevID has no hardwareModuleName to take the device id from"},
		{two, ldevid.IDFromHardwareModuleName, "error: the IDevID has more than one HardwareModuleName"},
		{full, "uuid", `error: unknown id_from rule "uuid"`},
	} {
		got, err := DeviceID(tc.c, tc.rule)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != tc.want {
			t.Errorf("DeviceID(%s, %s) = %q, want %q", tc.c.Subject, tc.rule, got, tc.want)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(2, func() time.Time { return now })
	var got []bool
	for range 3 {
		got = append(got, l.allow("a"))
	}
	got = append(got, l.allow("b")) // another device has its own budget
	now = now.Add(30 * time.Second) // one token back (2 a minute)
	got = append(got, l.allow("a"), l.allow("a"))
	if want := []bool{true, true, false, true, true, false}; !slices.Equal(got, want) {
		t.Fatalf("allow = %v, want %v", got, want)
	}
	off := newLimiter(0, time.Now)
	for i := range 3 {
		if !off.allow("a") {
			t.Fatalf("rate 0 refused enrollment %d", i+1)
		}
	}
}

// TestCSRAttrs checks the DER of each curve against hand-assembled
// encodings (RFC 7030 §4.5.2; OIDs of RFC 5480, RFC 5758 and RFC 8410).
func TestCSRAttrs(t *testing.T) {
	for curve, want := range map[keys.Curve]string{
		// SEQUENCE { SEQUENCE { id-ecPublicKey, SET { secp256r1 } }, ecdsa-with-SHA256 }
		keys.P256: "3021" + "3015" + "06072a8648ce3d0201" + "310a" + "06082a8648ce3d030107" + "06082a8648ce3d040302",
		// SEQUENCE { SEQUENCE { id-ecPublicKey, SET { secp384r1 } }, ecdsa-with-SHA384 }
		keys.P384: "301e" + "3012" + "06072a8648ce3d0201" + "3107" + "06052b81040022" + "06082a8648ce3d040303",
		// SEQUENCE { id-Ed25519 }
		keys.Ed25519: "3005" + "06032b6570",
	} {
		der, err := CSRAttrs(&ldevid.DeviceSpec{Curve: curve})
		if err != nil || hex.EncodeToString(der) != want {
			t.Errorf("CSRAttrs(%s) = %x, %v; want %s", curve, der, err, want)
		}
	}
	if _, err := CSRAttrs(&ldevid.DeviceSpec{Curve: "P-521"}); err == nil {
		t.Error("an unknown curve has CSR attributes")
	}
}
