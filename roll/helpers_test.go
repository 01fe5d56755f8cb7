package roll

import (
	"testing"
	"time"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// testSpec is a three-level hierarchy: a root, a device CA under it and
// LDevIDs under that, with short lifetimes so that tests can move the
// clock past the old root's expiry.
const testSpec = `
profile: tls13-iot
cas:
  root:
    subject: "CN=Test IoT Root CA, O=Example Devices Ltd, C=DE"
    validity: 3y
  device-ca:
    parent: root
    subject: "CN=Test IoT Device CA, O=Example Devices Ltd, C=DE"
    validity: 3y
devices:
  sensor:
    kind: ldevid
    ca: device-ca
    profile: ldevid-8021ar
    validity: 730d
    subject: "CN=sensor {{.id}}, O=Example Devices Ltd, serialNumber={{.serial}}"
    san:
      - dns: "s{{.id}}.devices.example.com"
    eku: [clientAuth]
`

// The timeline of the tests: the old hierarchy is made at t0 (the old
// root and device CA expire on 2029-01-01, the old device on 2028-01-01),
// the rollover is at t1 and the new device is issued at t2 (it expires on
// 2029-01-31, after the old root).
var (
	t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 = time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
)

// rollSpec is the new root's spec of the tests.
const rollSpec = "curve: P-256\nvalidity: 10y\nsubject: same\nresign_validity: 5y\n"

// oldPKI makes the old hierarchy under dir (dir/root, dir/device-ca,
// dir/devices/old-1) at t0, with the CA keys made by caKeys (nil: files)
// and the device key a file.
func oldPKI(t *testing.T, dir string, caKeys keys.Backend) {
	t.Helper()
	spec, err := ldevid.LoadSpec("test.yaml", []byte(testSpec))
	if err != nil {
		t.Fatal(err)
	}
	clock := ldevid.WithClock(func() time.Time { return t0 })
	opts := []ldevid.Option{clock}
	if caKeys != nil {
		opts = append(opts, ldevid.WithKeys(caKeys))
	}
	h, err := ldevid.New(spec, opts...)
	if err != nil {
		t.Fatal(err)
	}
	cas, err := h.CreateCAs()
	if err != nil {
		t.Fatal(err)
	}
	for _, ca := range cas {
		if err := store.WriteCA(dir, ca.Spec.Name, ca.Cert, ca.Key, false); err != nil {
			t.Fatal(err)
		}
	}
	issueDevice(t, dir, "old-1", t0, caKeys)
}

// issueDevice issues device id (a file key) from the CA directories under
// dir, opening CA keys with caKeys (nil: files), at time at: from the
// old hierarchy, or from a rollover directory (the new root and the
// re-signed device CA, keys through key.ref).
func issueDevice(t *testing.T, dir, id string, at time.Time, caKeys keys.Backend) {
	t.Helper()
	spec, err := ldevid.LoadSpec("test.yaml", []byte(testSpec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := ldevid.New(spec, ldevid.WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.LoadCAs(dir, "device-ca", caKeys); err != nil {
		t.Fatal(err)
	}
	dev, err := h.IssueDevice(ldevid.Request{Device: "sensor", ID: id})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.WriteDevice(dir, dev.Stored()); err != nil {
		t.Fatal(err)
	}
}
