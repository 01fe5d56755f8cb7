package store

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/iotcert/iotcert/keys"
)

// testDevice returns a device with a self-signed certificate and a new
// P-256 file key.
func testDevice(t *testing.T) Device { return testDeviceID(t, "dev-1") }

// testDeviceID is testDevice with the id id.
func testDeviceID(t *testing.T, id string) Device {
	t.Helper()
	kb, err := keys.NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	key, err := kb.Generate("device "+id, keys.P256)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(0x1234), Subject: pkix.Name{CommonName: id}, NotBefore: time.Unix(1700000000, 0), NotAfter: time.Unix(1800000000, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Signer.Public(), key.Signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Device{ID: id, Cert: cert, Key: key, Chain: CertPEM(cert)}
}

// TestAppendRecord checks the encoding of records against encoding/json:
// PEM, a key reference with characters JSON escapes, non-ASCII.
func TestAppendRecord(t *testing.T) {
	dev := testDevice(t)
	for _, key := range []*keys.Key{
		dev.Key,
		{Ref: "pkcs11:token=a\"b\\c;id=%01\x01\t?pin-source=/x<y>&z"},
		{Ref: "pkcs11:token=Schlüssel"},
	} {
		dev.Key = key
		b, serial, digest, err := appendRecord(nil, dev)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Count(b, []byte("\n")) != 1 || b[len(b)-1] != '\n' {
			t.Errorf("not one line: %q", b)
		}
		var rec DeviceRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatalf("%v: %q", err, b)
		}
		want := DeviceRecord{ID: dev.ID, Serial: serial, SHA256: digest, Cert: string(CertPEM(dev.Cert)), Key: string(key.PEM), KeyRef: key.Ref}
		if rec != want {
			t.Errorf("decoded %+v\nwant %+v", rec, want)
		}
		if _, reason := parseRecord(b); reason != "" {
			t.Errorf("parseRecord: %s", reason)
		}
	}
	dev.Key = nil
	if _, _, _, err := appendRecord(nil, dev); !errors.Is(err, keys.ErrNoKeyMaterial) {
		t.Errorf("no key: %v", err)
	}
}
