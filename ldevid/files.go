package ldevid

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/iotcert/iotcert/internal/safefile"
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

// KeyFileData returns the file that keeps key: key.pem holding its PEM,
// or key.ref holding its reference (a key that is not a file), and the
// file's content. Both are written mode 0600.
func KeyFileData(key *Key) (name string, data []byte, err error) {
	switch {
	case key == nil:
		return "", nil, ErrNoKeyMaterial
	case key.PEM != nil:
		return KeyFile, key.PEM, nil
	case key.Ref != "":
		return KeyRefFile, []byte(key.Ref + "\n"), nil
	}
	return "", nil, ErrNoKeyMaterial
}

// WriteKey publishes key in dir: its PEM as key.pem (mode 0600), or its
// reference as key.ref, each written atomically and never through a
// symbolic link (see WriteCA). With exclusive set an existing file is an
// error wrapping os.ErrExist.
func WriteKey(dir string, key *Key, exclusive bool) error {
	d, err := safefile.OpenRoot(dir, false)
	if err != nil {
		return err
	}
	defer d.Close()
	return writeKey(d, key, exclusive)
}

func writeKey(d *safefile.Dir, key *Key, exclusive bool) error {
	name, data, err := KeyFileData(key)
	if err != nil {
		return err
	}
	return d.Write(name, data, privateMode, exclusive)
}

// CADir is the directory of the CA called name under out.
func CADir(out, name string) string { return filepath.Join(out, name) }

// DeviceDir is the directory of the device id under out.
func DeviceDir(out, id string) string { return filepath.Join(out, DevicesDir, id) }

// WriteCA publishes ca under out: <out>/<name>/key.pem (0600) first, then
// cert.pem, so that a certificate is never there without its key. Without
// force, existing CA material is an error wrapping os.ErrExist: a new CA
// key would orphan every certificate the old one signed; with force it is
// replaced (renamed over, never written into).
//
// Nothing is written through a symbolic link: <out>/<name> and the files
// in it must be a directory and regular files owned by the user, not
// links (an error wrapping safefile.ErrUnsafe names the path and says what
// is there); out itself is taken as given.
func WriteCA(out string, ca *CA, force bool) error {
	root, err := safefile.OpenRoot(out, true)
	if err != nil {
		return err
	}
	defer root.Close()
	dir, err := root.OpenDir(ca.Spec.Name, true)
	if err != nil {
		return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
	}
	defer dir.Close()
	files := []string{KeyFile, KeyRefFile, CertFile}
	if ca.Key == nil {
		files = []string{CertFile} // the key is kept already (CreateCAWithKey)
	}
	for _, f := range files {
		exists, err := dir.Exists(f)
		switch {
		case err != nil:
			return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
		case exists && !force:
			return fmt.Errorf("CA %q: %s: %w", ca.Spec.Name, dir.Join(f), os.ErrExist)
		}
	}
	if ca.Key != nil {
		if err := writeKey(dir, ca.Key, !force); err != nil {
			return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
		}
		// A replaced key of the other kind must go: LoadCAs reads key.ref
		// before key.pem.
		stale := KeyRefFile
		if ca.Key.PEM == nil {
			stale = KeyFile
		}
		if err := dir.Remove(stale); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
		}
	}
	if err := dir.Write(CertFile, CertPEM(ca.Cert), publicMode, !force); err != nil {
		return fmt.Errorf("CA %q: %w", ca.Spec.Name, err)
	}
	return root.Sync()
}

// RemoveStaleCAFiles removes from out/<name>/ the temporary files a
// write that was killed left there (".key.pem.tmp*" may hold a CA key),
// and returns how many. A missing directory has none.
func RemoveStaleCAFiles(out, name string) (int, error) {
	dir, err := safefile.OpenRoot(CADir(out, name), false)
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer dir.Close()
	names, err := dir.Names()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range names {
		for _, base := range []string{KeyFile, KeyRefFile, CertFile} {
			if strings.HasPrefix(f, "."+base+".tmp") {
				if err := dir.Remove(f); err != nil {
					return n, fmt.Errorf("CA %q: removing %s, left by a stopped run: %w", name, dir.Join(f), err)
				}
				n++
			}
		}
	}
	if n > 0 {
		return n, dir.Sync()
	}
	return 0, nil
}

// LoadCAs adds the CAs of the hierarchy's spec from the files WriteCA
// wrote under out: the CAs on the way from a root to the CA called upTo
// ("" loads all). Only upTo's key is opened, with caKeys (nil: the
// hierarchy's KeyBackend; CA keys often have a passphrase that device
// keys do not); the CAs above it need only their certificates, so that a
// root key kept offline is never asked for when a device is issued. With
// upTo "" every CA's key is opened. A caKeys that is a CAKeyBackend opens
// each CA's key with the backend ForCA gives for its name.
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
		withKey := upTo == "" || c.Name == upTo
		if err := h.LoadCA(out, c.Name, withKey, caKeys); err != nil {
			return err
		}
	}
	return nil
}

// CAKeyBackend is a KeyBackend that keeps the key of each CA its own way
// (for example a passphrase per CA): ForCA returns the backend of the CA
// called name. LoadCA opens a CA's key with it.
type CAKeyBackend interface {
	KeyBackend
	ForCA(name string) KeyBackend
}

// LoadCA adds the CA called name from out/<name>/cert.pem; with withKey,
// also its key (key.ref or key.pem), opened with caKeys (nil: the
// hierarchy's KeyBackend). A CA added without its key signs nothing: it
// stands in chains and verifies what it issued. Its parent must be added
// first.
func (h *Hierarchy) LoadCA(out, name string, withKey bool, caKeys KeyBackend) error {
	if caKeys == nil {
		caKeys = h.keys
	}
	if h.spec.CA(name) == nil {
		return fmt.Errorf("CA %q is not in the spec", name)
	}
	dir := CADir(out, name)
	cert, err := ReadCertFile(filepath.Join(dir, CertFile))
	if err != nil {
		return fmt.Errorf("CA %q: %w (run \"iotcert gen hierarchy\" first)", name, err)
	}
	if !withKey {
		return h.AddCA(name, cert, nil)
	}
	if ck, ok := caKeys.(CAKeyBackend); ok {
		caKeys = ck.ForCA(name)
	}
	signer, _, err := OpenKey(dir, caKeys)
	if err != nil {
		return fmt.Errorf("CA %q: %w", name, err)
	}
	return h.AddCA(name, cert, signer)
}

// ReadCertFile reads the one PEM certificate of the file at path.
func ReadCertFile(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cert, nil
}

// ReadKeyRef returns the reference of the key kept for the CA in dir:
// what dir/key.ref holds, or the path of dir/key.pem when there is no
// key.ref. A key.ref holds a URI (a pkcs11: URI of a key in a token) or
// the path of a key file; a relative path is relative to dir, the
// directory holding key.ref, so that directories moved together keep
// working. Errors name key.ref.
func ReadKeyRef(dir string) (string, error) {
	path := filepath.Join(dir, KeyRefFile)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return filepath.Join(dir, KeyFile), nil
	case err != nil:
		return "", err
	}
	ref := string(trimNewline(b))
	switch {
	case ref == "":
		return "", fmt.Errorf("%s: empty (want a pkcs11: URI or the path of a key file)", path)
	case strings.ContainsAny(ref, "\r\n"):
		return "", fmt.Errorf("%s: more than one line (want a pkcs11: URI or the path of a key file)", path)
	case isURI(ref) || filepath.IsAbs(ref):
		return ref, nil
	}
	return filepath.Join(dir, ref), nil
}

// OpenKey opens the key of the CA in dir (ReadKeyRef) with keys and
// returns its signer and reference. An error opening a key that key.ref
// names names key.ref.
func OpenKey(dir string, keys KeyBackend) (crypto.Signer, string, error) {
	ref, err := ReadKeyRef(dir)
	if err != nil {
		return nil, "", err
	}
	signer, err := keys.Open(ref)
	if err != nil {
		if _, serr := os.Lstat(filepath.Join(dir, KeyRefFile)); serr == nil {
			return nil, "", fmt.Errorf("%s: %w", filepath.Join(dir, KeyRefFile), err)
		}
		return nil, "", err
	}
	return signer, ref, nil
}

// KeyRefPath is what a key.ref in the directory dir holds for the key
// file at keyPath: its path relative to dir (ReadKeyRef resolves it
// against dir), or keyPath made absolute when no relative path leads
// there.
func KeyRefPath(dir, keyPath string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absKey, err := filepath.Abs(keyPath)
	if err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(absDir, absKey); err == nil {
		return rel, nil
	}
	return absKey, nil
}

// isURI reports whether ref starts with a URI scheme of two characters
// or more (one is a Windows drive letter).
func isURI(ref string) bool {
	scheme, _, ok := strings.Cut(ref, ":")
	if !ok || len(scheme) < 2 {
		return false
	}
	for i, c := range scheme {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// openDevicesDir opens <out>/devices, making out and it when missing,
// without following a symbolic link (internal/safefile).
func openDevicesDir(out string) (*safefile.Dir, error) {
	root, err := safefile.OpenRoot(out, true)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.OpenDir(DevicesDir, true)
}

// stageDeviceSynced writes the files of dev, each synced, into a new
// temporary directory of devices and returns its name, to be renamed into
// place (stageDevice is the batch's, which leaves syncing to its group
// commit). The name is returned with an error too (empty when none was
// made), so that the caller removes what was written.
func stageDeviceSynced(devices *safefile.Dir, dev *Issued) (string, error) {
	tmp, err := devices.MkdirTemp(stagedPrefix+dev.ID+".tmp", 0o755)
	if err != nil {
		return "", err
	}
	if err := writeDeviceFiles(devices, tmp, dev); err != nil {
		return tmp, fmt.Errorf("device %q: %w", dev.ID, err)
	}
	return tmp, nil
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
// os.ErrExist: a device id is issued once. As in WriteCA, nothing is
// written through a symbolic link.
func WriteDevice(out string, dev *Issued) error {
	devices, err := openDevicesDir(out)
	if err != nil {
		return err
	}
	defer devices.Close()
	if exists, err := devices.Exists(dev.ID); err != nil {
		return fmt.Errorf("device %q: %w", dev.ID, err)
	} else if exists {
		return fmt.Errorf("device %q: %s: %w", dev.ID, devices.Join(dev.ID), os.ErrExist)
	}
	tmp, err := stageDeviceSynced(devices, dev)
	if tmp != "" {
		defer devices.RemoveAll(tmp) // gone after the rename; cleans up on error
	}
	if err != nil {
		return err
	}
	// rename(2) onto an existing non-empty directory fails, so a device
	// published meanwhile is not replaced.
	if err := devices.Rename(tmp, devices, dev.ID); err != nil {
		if exists, _ := devices.Exists(dev.ID); exists {
			return fmt.Errorf("device %q: %s: %w", dev.ID, devices.Join(dev.ID), os.ErrExist)
		}
		return err
	}
	return devices.Sync()
}

// writeDeviceFiles writes the files of dev in the new directory tmp of
// devices, and makes them durable.
func writeDeviceFiles(devices *safefile.Dir, tmp string, dev *Issued) error {
	d, err := devices.OpenDir(tmp, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if dev.Key != nil {
		if err := writeKey(d, dev.Key, true); err != nil {
			return err
		}
	}
	if err := d.Write(CertFile, CertPEM(dev.Cert), publicMode, true); err != nil {
		return err
	}
	if dev.C509 != nil {
		if err := d.Write(C509File, dev.C509, publicMode, true); err != nil {
			return err
		}
	}
	return d.Write(ChainFile, dev.ChainPEM(), publicMode, true)
}
