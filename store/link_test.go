//go:build unix

package store

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iotcert/iotcert/keys"
)

// refuseRead ends the error of a read refused at a link.
const refuseRead = " is a symlink: refusing to read through it (remove it, or choose another directory)"

// publishedTwice publishes the device id in a new output directory and
// another device of the same id (another key, another certificate) in a
// directory outside it, and returns both directories and devices.
func publishedTwice(t *testing.T, id string) (out, outside string, mine, theirs Device) {
	t.Helper()
	out, outside = t.TempDir(), t.TempDir()
	mine, theirs = testDeviceID(t, id), testDeviceID(t, id)
	if err := WriteDevice(out, mine); err != nil {
		t.Fatal(err)
	}
	if err := WriteDevice(outside, theirs); err != nil {
		t.Fatal(err)
	}
	return out, outside, mine, theirs
}

// swapForLink renames path aside and puts a symbolic link to target in
// its place.
func swapForLink(t *testing.T, path, target string) {
	t.Helper()
	if err := os.Rename(path, path+"-aside"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

// TestRecoverDirSwapped: a batch looks at devices/<id> (HasDir), then
// recovers the device from its certificate (RecoverDir) and opens the
// key beside it (OpenDeviceKey). A device directory swapped for a link
// to another device's directory in between is refused with an error
// naming it, not followed; a devices directory swapped for a link after
// the batch opened it changes nothing: what is read is the directory the
// batch opened and checked.
func TestRecoverDirSwapped(t *testing.T) {
	t.Run("device dir", func(t *testing.T) {
		out, outside, mine, _ := publishedTwice(t, "dev-1")
		b, err := OpenBatch(out, LayoutDirs, "sensor")
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		kb, err := keys.NewFileKeys()
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := b.HasDir("dev-1"); !ok || err != nil {
			t.Fatalf("HasDir = %v, %v", ok, err)
		}
		_, digest := CertIdentity(mine.Cert)
		if e, c, err := b.RecoverDir("dev-1"); err != nil || e.SHA256 != digest || !e.Recovered || c == nil || !c.Equal(mine.Cert) {
			t.Fatalf("RecoverDir before the swap = %+v, %v", e, err)
		}
		if s, err := b.OpenDeviceKey("dev-1", kb); err != nil || !keys.SamePublicKey(s.Public(), mine.Cert.PublicKey) {
			t.Fatalf("OpenDeviceKey before the swap: %v", err)
		}

		link := filepath.Join(out, DevicesDir, "dev-1")
		swapForLink(t, link, filepath.Join(outside, DevicesDir, "dev-1"))
		if ok, err := b.HasDir("dev-1"); !ok || err == nil {
			t.Errorf("HasDir after the swap = %v, %v; want a refusal", ok, err)
		}
		want := `device "dev-1": ` + link + refuseRead
		if e, c, err := b.RecoverDir("dev-1"); err == nil || err.Error() != want {
			t.Errorf("RecoverDir after the swap = %+v, %v, %v; want %s", e, c, err, want)
		}
		if s, err := b.OpenDeviceKey("dev-1", kb); err == nil || err.Error() != link+refuseRead {
			t.Errorf("OpenDeviceKey after the swap = %v, %v; want %s", s, err, link+refuseRead)
		}
	})
	t.Run("devices dir", func(t *testing.T) {
		out, outside, mine, _ := publishedTwice(t, "dev-1")
		b, err := OpenBatch(out, LayoutDirs, "sensor")
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		swapForLink(t, filepath.Join(out, DevicesDir), filepath.Join(outside, DevicesDir))
		_, digest := CertIdentity(mine.Cert)
		if e, _, err := b.RecoverDir("dev-1"); err != nil || e.SHA256 != digest {
			t.Errorf("RecoverDir after the swap of devices = %+v, %v; want the opened directory's device (sha256 %s)", e, err, digest)
		}
	})
}

// TestPreviousRefusesLinks: Journal.Previous finds a device published
// without its journal line by its devices/<id>/cert.pem, opened below
// the output directory without following a link: a device directory, or
// the devices directory, planted as a link to another device's is
// refused with an error naming it, not read; a missing directory or
// certificate is a device never issued.
func TestPreviousRefusesLinks(t *testing.T) {
	out, outside, mine, _ := publishedTwice(t, "dev-1")
	if err := os.MkdirAll(filepath.Join(out, DevicesDir, "dev-2"), 0o755); err != nil {
		t.Fatal(err)
	}
	jl, err := OpenJournal(out)
	if err != nil {
		t.Fatal(err)
	}
	defer jl.Close()
	_, digest := CertIdentity(mine.Cert)
	dir := filepath.Join(out, DevicesDir, "dev-1")
	if e, where, ok, err := jl.Previous("sensor", "dev-1"); err != nil || !ok || where != dir || e.SHA256 != digest || !e.Recovered {
		t.Fatalf("Previous = %+v, %q, %v, %v", e, where, ok, err)
	}
	for _, id := range []string{"dev-2", "dev-3", "../dev-1"} {
		if e, where, ok, err := jl.Previous("sensor", id); err != nil || ok || where != "" {
			t.Errorf("Previous(%s) = %+v, %q, %v, %v; want never issued", id, e, where, ok, err)
		}
	}

	swapForLink(t, dir, filepath.Join(outside, DevicesDir, "dev-1"))
	if e, _, ok, err := jl.Previous("sensor", "dev-1"); err == nil || ok || err.Error() != `device "dev-1": `+dir+refuseRead {
		t.Errorf("Previous with devices/dev-1 a link = %+v, %v, %v; want %s", e, ok, err, `device "dev-1": `+dir+refuseRead)
	}
	devices := filepath.Join(out, DevicesDir)
	swapForLink(t, devices, filepath.Join(outside, DevicesDir))
	if e, _, ok, err := jl.Previous("sensor", "dev-1"); err == nil || ok || err.Error() != `device "dev-1": `+devices+refuseRead {
		t.Errorf("Previous with devices a link = %+v, %v, %v; want %s", e, ok, err, `device "dev-1": `+devices+refuseRead)
	}
}

// TestReadJournalInRefusesLink reads a batch's journal back: a journal
// planted as a link to another directory's journal is refused, where
// ReadJournal (a file the user names) follows it.
func TestReadJournalInRefusesLink(t *testing.T) {
	out, outside := t.TempDir(), t.TempDir()
	line := []byte(`{"id":"dev-1","status":"issued","serial":"01"}` + "\n")
	if err := os.WriteFile(filepath.Join(outside, JournalFile), line, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, JournalFile), line, 0o600); err != nil {
		t.Fatal(err)
	}
	if e, err := ReadJournalIn(out); err != nil || len(e) != 1 || e[0].ID != "dev-1" {
		t.Fatalf("ReadJournalIn of a plain journal: %+v, %v", e, err)
	}
	path := filepath.Join(out, JournalFile)
	swapForLink(t, path, filepath.Join(outside, JournalFile))
	_, err := ReadJournalIn(out)
	if err == nil || err.Error() != path+refuseRead {
		t.Errorf("ReadJournalIn through a link: %v, want %q", err, path+refuseRead)
	}
	if e, err := ReadJournal(path); err != nil || len(e) != 1 {
		t.Errorf("ReadJournal of a link the user names: %+v, %v", e, err)
	}
}
