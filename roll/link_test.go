//go:build unix

package roll

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/store"
)

// refuseRead ends the error of a read refused at a link.
const refuseRead = " is a symlink: refusing to read through it (remove it, or choose another directory)"

// TestLoadRefusesLinks: the CA directories a rollover is given (--old,
// --resign) are read as "iotcert gen device" reads a CA's directory below
// --out: the directory holding the CA's is taken as named (a link in its
// path is followed), the CA's own directory must not be a link. Each is
// replaced by a link to the same CA's directory of another hierarchy
// outside, which a read that followed it would accept whole (certificate
// and matching key): LoadOldRoot, LoadCA and LoadSet refuse it with an
// error naming the link. A cert.pem or chain.pem of a device that is a
// link is refused by LoadEndEntities.
func TestLoadRefusesLinks(t *testing.T) {
	kb, err := keys.NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	dir, outside := t.TempDir(), t.TempDir()
	pki := filepath.Join(dir, "pki")
	oldPKI(t, pki, kb)
	oldPKI(t, outside, kb)

	// Links the user made in the path above the CA's directory are
	// followed; "." names the CA's directory too.
	if err := os.Symlink(pki, filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOldRoot(filepath.Join(dir, "alias", "root"), kb); err != nil {
		t.Errorf("LoadOldRoot below a link the user named: %v", err)
	}
	if _, err := LoadSet(filepath.Join(dir, "alias", "root"), filepath.Join(dir, "missing")); err == nil || err.Error() != "open "+filepath.Join(dir, "missing")+": no such file or directory" {
		t.Errorf("LoadSet below a link the user named: %v; want it to get to the missing rollover", err)
	}
	t.Run("dot", func(t *testing.T) {
		t.Chdir(filepath.Join(pki, "device-ca"))
		if ca, err := LoadCA(".", kb); err != nil || ca.Name != "device-ca" {
			t.Errorf("LoadCA(.) = %v, %v", ca, err)
		}
	})

	for _, name := range []string{"root", "device-ca"} {
		link := filepath.Join(pki, name)
		if err := os.Rename(link, link+"-aside"); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, name), link); err != nil {
			t.Fatal(err)
		}
	}
	root, ca := filepath.Join(pki, "root"), filepath.Join(pki, "device-ca")
	if _, err := LoadOldRoot(root, kb); err == nil || err.Error() != root+refuseRead {
		t.Errorf("LoadOldRoot(%s) a link: %v, want %s", root, err, root+refuseRead)
	}
	if _, err := LoadCA(ca, kb); err == nil || err.Error() != ca+refuseRead {
		t.Errorf("LoadCA(%s) a link: %v, want %s", ca, err, ca+refuseRead)
	}
	if _, err := LoadSet(root, filepath.Join(dir, "missing")); err == nil || err.Error() != "old root: "+root+refuseRead {
		t.Errorf("LoadSet with the old root a link: %v, want old root: %s", err, root+refuseRead)
	}

	devices := filepath.Join(pki, store.DevicesDir)
	if ees, err := LoadEndEntities(devices); err != nil || len(ees) != 1 || len(ees[0].Chain) == 0 {
		t.Fatalf("LoadEndEntities = %v, %v", ees, err)
	}
	for _, f := range []string{store.ChainFile, store.CertFile} {
		link := filepath.Join(devices, "old-1", f)
		if err := os.Rename(link, link+"-aside"); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, store.DevicesDir, "old-1", f), link); err != nil {
			t.Fatal(err)
		}
		if ees, err := LoadEndEntities(devices); err == nil || err.Error() != "devices: "+link+refuseRead {
			t.Errorf("LoadEndEntities with %s a link = %v, %v; want devices: %s", f, ees, err, link+refuseRead)
		}
	}
}

// TestDevicesDirs finds the devices directories beside the old root and
// in the new directory, with the old root named as a path and as "." (the
// devices directory is then in its parent, not in it).
func TestDevicesDirs(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"pki/root", "pki/devices", "new/devices"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	got, err := DevicesDirs(filepath.Join(dir, "pki", "root"), filepath.Join(dir, "new"))
	want := []string{filepath.Join(dir, "pki", "devices"), filepath.Join(dir, "new", "devices")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("DevicesDirs = %q, %v; want %q", got, err, want)
	}
	if got, err := DevicesDirs(filepath.Join(dir, "pki", "root"), filepath.Join(dir, "none")); err != nil || !slices.Equal(got, want[:1]) {
		t.Errorf("DevicesDirs without new/devices = %q, %v; want %q", got, err, want[:1])
	}
	t.Chdir(filepath.Join(dir, "pki", "root"))
	if got, err := DevicesDirs(".", filepath.Join(dir, "new")); err != nil || !slices.Equal(got, want) {
		t.Errorf(`DevicesDirs(".") = %q, %v; want %q`, got, err, want)
	}
}
