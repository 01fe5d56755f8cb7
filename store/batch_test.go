package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stageAll stages devs in b.
func stageAll(t *testing.T, b *Batch, devs ...Device) []Staged {
	t.Helper()
	var staged []Staged
	for _, d := range devs {
		s, err := b.Stage(d)
		if err != nil {
			t.Fatal(err)
		}
		staged = append(staged, s)
	}
	return staged
}

// TestBatchDirsPublishStops publishes three staged devices in the dirs
// layout when the second one's directory appeared meanwhile: the first
// is published, the publication stops at the second with an error naming
// it, and nothing staged is left behind.
func TestBatchDirsPublishStops(t *testing.T) {
	out := t.TempDir()
	b, err := OpenBatch(out, LayoutDirs, "sensor")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Stagers(2) != 2*stagersPerWorker || b.GroupWait() != 0 {
		t.Errorf("dirs: %d stagers, group wait %v", b.Stagers(2), b.GroupWait())
	}
	devs := []Device{testDeviceID(t, "dev-1"), testDeviceID(t, "dev-2"), testDeviceID(t, "dev-3")}
	staged := stageAll(t, b, devs...)
	if err := os.MkdirAll(filepath.Join(out, DevicesDir, "dev-2", "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	n, stopped, err := b.Publish(staged)
	if err != nil || n != 1 || stopped == nil || !strings.HasPrefix(stopped.Error(), `device "dev-2": publishing: `) {
		t.Fatalf("Publish: %d, %v, %v; want 1 and a stop at dev-2", n, stopped, err)
	}
	st, err := os.Stat(filepath.Join(out, DevicesDir, "dev-1", "key.pem"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("dev-1/key.pem: %v, %v; want mode 0600", st, err)
	}
	chain, err := os.ReadFile(filepath.Join(out, DevicesDir, "dev-1", ChainFile))
	if err != nil || string(chain) != string(CertPEM(devs[0].Cert))+string(devs[0].Chain) {
		t.Errorf("dev-1/chain.pem: %v; want the certificate, then Chain", err)
	}
	names, err := os.ReadDir(filepath.Join(out, DevicesDir))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range names {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != "dev-1 dev-2" {
		t.Errorf("devices: %v, want dev-1 dev-2 (dev-3 discarded, nothing staged left)", got)
	}
}

// TestBatchJSONL publishes two devices in the jsonl layout, then opens
// the directory again: both records are there, unjournaled, and recover
// to journal lines; a third OpenBatch while one is open is ErrLocked.
func TestBatchJSONL(t *testing.T) {
	out := t.TempDir()
	b, err := OpenBatch(out, LayoutJSONL, "sensor")
	if err != nil {
		t.Fatal(err)
	}
	if b.Stagers(2) != 0 || b.GroupWait() <= 0 {
		t.Errorf("jsonl: %d stagers, group wait %v", b.Stagers(2), b.GroupWait())
	}
	devs := []Device{testDeviceID(t, "dev-1"), testDeviceID(t, "dev-2")}
	n, stopped, err := b.Publish(stageAll(t, b, devs...))
	if err != nil || stopped != nil || n != 2 {
		t.Fatalf("Publish: %d, %v, %v", n, stopped, err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(out, DevicesFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, %v; want mode 0600", DevicesFile, st, err)
	}

	b, err = OpenBatch(out, LayoutDirs, "sensor")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := OpenBatch(out, LayoutDirs, "sensor"); !errors.Is(err, ErrLocked) {
		t.Errorf("second OpenBatch: %v, want ErrLocked", err)
	}
	if !b.HasRecord("dev-1") || !b.HasRecord("dev-2") || b.HasRecord("dev-3") {
		t.Errorf("HasRecord: dev-1 %v, dev-2 %v, dev-3 %v", b.HasRecord("dev-1"), b.HasRecord("dev-2"), b.HasRecord("dev-3"))
	}
	u := b.Unjournaled()
	if len(u) != 2 {
		t.Fatalf("%d unjournaled records, want 2", len(u))
	}
	for i, r := range u {
		serial, digest := CertIdentity(devs[i].Cert)
		if r.Err != nil || r.Entry.ID != devs[i].ID || r.Entry.Serial != serial || r.Entry.SHA256 != digest || !r.Entry.Recovered || r.Where != filepath.Join(out, DevicesFile)+": line "+string(rune('1'+i)) {
			t.Errorf("record %d: %+v", i, r)
		}
	}
}
