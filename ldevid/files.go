package ldevid

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iotcert/iotcert/internal/atomicfile"
)

// File names in an output directory: <out>/<ca>/cert.pem and key.pem (or
// key.ref for a key that is not a file), <out>/devices/<id>/cert.pem,
// key.pem and chain.pem.
const (
	CertFile    = "cert.pem"
	KeyFile     = "key.pem"
	KeyRefFile  = "key.ref"
	ChainFile   = "chain.pem"
	DevicesDir  = "devices"
	privateMode = 0o600
	publicMode  = 0o644
)

// CertPEM returns c as a PEM CERTIFICATE block.
func CertPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// WriteKey publishes key in dir: its PEM as key.pem (mode 0600), or its
// reference as key.ref, each written atomically. With exclusive set an
// existing file is an error wrapping os.ErrExist.
func WriteKey(dir string, key *Key, exclusive bool) error {
	switch {
	case key == nil:
		return ErrNoKeyMaterial
	case key.PEM != nil:
		return atomicfile.Write(filepath.Join(dir, KeyFile), key.PEM, privateMode, exclusive)
	case key.Ref != "":
		return atomicfile.Write(filepath.Join(dir, KeyRefFile), []byte(key.Ref+"\n"), privateMode, exclusive)
	}
	return ErrNoKeyMaterial
}

// CADir is the directory of the CA called name under out.
func CADir(out, name string) string { return filepath.Join(out, name) }

// DeviceDir is the directory of the device id under out.
func DeviceDir(out, id string) string { return filepath.Join(out, DevicesDir, id) }

// WriteCA publishes ca under out: <out>/<name>/key.pem (0600) first, then
// cert.pem, so that a certificate is never there without its key. Without
// force, existing CA material is an error wrapping os.ErrExist: a new CA
// key would orphan every certificate the old one signed.
func WriteCA(out string, ca *CA, force bool) error {
	dir := CADir(out, ca.Spec.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if !force {
		for _, f := range []string{KeyFile, KeyRefFile, CertFile} {
			if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
				return fmt.Errorf("CA %q: %s: %w", ca.Spec.Name, filepath.Join(dir, f), os.ErrExist)
			}
		}
	}
	if ca.Key != nil {
		if err := WriteKey(dir, ca.Key, !force); err != nil {
			return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
		}
		// A replaced key of the other kind must go: LoadCAs reads key.ref
		// before key.pem.
		stale := KeyRefFile
		if ca.Key.PEM == nil {
			stale = KeyFile
		}
		if err := os.Remove(filepath.Join(dir, stale)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
		}
	}
	if err := atomicfile.Write(filepath.Join(dir, CertFile), CertPEM(ca.Cert), publicMode, !force); err != nil {
		return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
	}
	return atomicfile.SyncDir(out)
}

// LoadCAs adds every CA of the hierarchy's spec from the files WriteCA
// wrote under out, opening keys with caKeys (nil: the hierarchy's
// KeyBackend; CA keys often have a passphrase that device keys do not).
// Only the CAs on the way from a root to the CA called upTo are loaded
// ("" loads all).
func (h *Hierarchy) LoadCAs(out, upTo string, caKeys KeyBackend) error {
	if caKeys == nil {
		caKeys = h.keys
	}
	want := map[string]bool{}
	for n := upTo; n != ""; {
		c := h.spec.CA(n)
		if c == nil {
			return fmt.Errorf("CA %q is not in the spec", n)
		}
		want[n] = true
		n = c.Parent
	}
	for _, c := range h.spec.CAs {
		if upTo != "" && !want[c.Name] {
			continue
		}
		dir := CADir(out, c.Name)
		data, err := os.ReadFile(filepath.Join(dir, CertFile))
		if err != nil {
			return fmt.Errorf("CA %q: %w (run \"iotcert gen hierarchy\" first)", c.Name, err)
		}
		block, _ := pem.Decode(data)
		if block == nil || block.Type != "CERTIFICATE" {
			return fmt.Errorf("CA %q: %s holds no PEM certificate", c.Name, filepath.Join(dir, CertFile))
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return fmt.Errorf("CA %q: %s: %w", c.Name, filepath.Join(dir, CertFile), err)
		}
		ref := filepath.Join(dir, KeyFile)
		if b, err := os.ReadFile(filepath.Join(dir, KeyRefFile)); err == nil {
			ref = string(trimNewline(b))
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("CA %q: %w", c.Name, err)
		}
		signer, err := caKeys.Open(ref)
		if err != nil {
			return fmt.Errorf("CA %q: %w", c.Name, err)
		}
		if err := h.AddCA(c.Name, cert, signer); err != nil {
			return err
		}
	}
	return nil
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// WriteDevice publishes a device under out: <out>/devices/<id>/ with
// key.pem (0600, when the key is a file), cert.pem and chain.pem (the
// device certificate, then the CAs up to the root). The files are made in
// a temporary directory beside it and the directory is renamed into place
// (then the parent is synced), so a device directory is either complete
// or absent. An existing device directory is an error wrapping
// os.ErrExist: a device id is issued once.
func WriteDevice(out string, dev *Issued) error {
	final := DeviceDir(out, dev.ID)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(final); err == nil {
		return fmt.Errorf("device %q: %s: %w", dev.ID, final, os.ErrExist)
	}
	tmp, err := os.MkdirTemp(parent, stagedPrefix+dev.ID+".tmp*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone after the rename; cleans up on error
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if dev.Key != nil {
		if err := WriteKey(tmp, dev.Key, true); err != nil {
			return fmt.Errorf("device %q: %w", dev.ID, err)
		}
	}
	if err := atomicfile.Write(filepath.Join(tmp, CertFile), CertPEM(dev.Cert), publicMode, true); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(tmp, ChainFile), dev.ChainPEM(), publicMode, true); err != nil {
		return err
	}
	// rename(2) onto an existing non-empty directory fails, so a device
	// published meanwhile is not replaced.
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Lstat(final); statErr == nil {
			return fmt.Errorf("device %q: %s: %w", dev.ID, final, os.ErrExist)
		}
		return err
	}
	return atomicfile.SyncDir(parent)
}
