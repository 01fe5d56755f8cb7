package roll

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/store"
)

// TestLoadEndEntitiesGoesOn: a device whose cert.pem cannot be read is
// reported with its path, and the other devices are still returned; a
// directory without devices is an error.
func TestLoadEndEntitiesGoesOn(t *testing.T) {
	kb, err := keys.NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	pki := filepath.Join(t.TempDir(), "pki")
	oldPKI(t, pki, kb)
	devices := filepath.Join(pki, store.DevicesDir)
	junk := filepath.Join(devices, "junk", store.CertFile)
	if err := os.MkdirAll(filepath.Dir(junk), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(junk, []byte("junk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ees, err := LoadEndEntities(devices)
	if want := "devices: " + junk + " holds no PEM certificate"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if len(ees) != 1 || ees[0].Name != filepath.Join(devices, "old-1", store.CertFile) {
		t.Errorf("end entities %v, want old-1 alone", ees)
	}
	empty := t.TempDir()
	if ees, err := LoadEndEntities(empty); err == nil || err.Error() != "devices: no end-entity cert.pem under "+empty || ees != nil {
		t.Errorf("empty directory: %v, %v", ees, err)
	}
}
