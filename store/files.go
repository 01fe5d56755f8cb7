package store

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/iotcert/iotcert/internal/pemenc"
	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
)

// File names in an output directory: <out>/<ca>/cert.pem and key.pem (or
// key.ref for a key that is not a file, see package keys),
// <out>/devices/<id>/cert.pem, key.pem and chain.pem.
const (
	CertFile  = "cert.pem"
	ChainFile = "chain.pem"
	// C509File is the natively signed C509 certificate (type 2) of a
	// device whose profile sets "c509: true", beside cert.pem: the CBOR
	// array C509Certificate.
	C509File    = "cert.c509"
	DevicesDir  = "devices"
	privateMode = 0o600
	publicMode  = 0o644
)

// Device is what the output directory keeps of an issued device.
type Device struct {
	// ID is the device id (see CheckID).
	ID string
	// Cert is the device certificate.
	Cert *x509.Certificate
	// Key is the device's key, or nil for a certificate signed from a
	// CSR (the device keeps its key).
	Key *keys.Key
	// Chain is the issuing CA's certificate and those above it, up to
	// and including the root, as PEM: chain.pem holds Cert, then Chain.
	Chain []byte
	// C509 is the natively signed C509 certificate (type 2) written as
	// C509File, or nil for none.
	C509 []byte
	// Serial and SHA256 are CertIdentity(Cert), when the caller has
	// them already; empty, they are computed.
	Serial, SHA256 string
}

// identity returns CertIdentity(dev.Cert), computed unless given.
func (dev Device) identity() (serial, digest string) {
	if dev.SHA256 == "" {
		return CertIdentity(dev.Cert)
	}
	return dev.Serial, dev.SHA256
}

// chainPEM is the content of the device's chain.pem.
func (dev Device) chainPEM() []byte { return append(CertPEM(dev.Cert), dev.Chain...) }

// CertPEM returns c as a PEM CERTIFICATE block.
func CertPEM(c *x509.Certificate) []byte {
	return pemenc.Encode("CERTIFICATE", c.Raw)
}

// CADir is the directory of the CA called name under out.
func CADir(out, name string) string { return filepath.Join(out, name) }

// DeviceDir is the directory of the device id under out.
func DeviceDir(out, id string) string { return filepath.Join(out, DevicesDir, id) }

// WriteCA publishes the CA called name under out: its key in
// <out>/<name>/key.pem (0600, or key.ref for a key that is not a file)
// first, then cert as cert.pem, so that a certificate is never there
// without its key. A nil key writes only the certificate (the key is
// kept elsewhere already). Without force, existing CA material is an
// error wrapping os.ErrExist: a new CA key would orphan every
// certificate the old one signed; with force it is replaced (renamed
// over, never written into).
//
// Nothing is written through a symbolic link: <out>/<name> and the files
// in it must be a directory and regular files owned by the user, not
// links (an error wrapping safefile.ErrUnsafe names the path and says
// what is there); out itself is taken as given.
func WriteCA(out, name string, cert *x509.Certificate, key *keys.Key, force bool) error {
	root, err := safefile.OpenRoot(out, true)
	if err != nil {
		return err
	}
	defer root.Close()
	dir, err := root.OpenDir(name, true)
	if err != nil {
		return fmt.Errorf("CA %q: %w", name, err)
	}
	defer dir.Close()
	files := []string{keys.File, keys.RefFile, CertFile}
	if key == nil {
		files = []string{CertFile} // the key is kept already (ldevid.Hierarchy.CreateCAWithKey)
	}
	for _, f := range files {
		exists, err := dir.Exists(f)
		switch {
		case err != nil:
			return fmt.Errorf("CA %q: %w", name, err)
		case exists && !force:
			return fmt.Errorf("CA %q: %s: %w", name, dir.Join(f), os.ErrExist)
		}
	}
	if key != nil {
		if err := keys.WriteSafe(dir, key, !force); err != nil {
			return fmt.Errorf("CA %q: %w", name, err)
		}
		// A replaced key of the other kind must go: LoadCAs reads key.ref
		// before key.pem.
		stale := keys.RefFile
		if key.PEM == nil {
			stale = keys.File
		}
		if err := dir.Remove(stale); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("CA %q: %w", name, err)
		}
	}
	if err := dir.Write(CertFile, CertPEM(cert), publicMode, !force); err != nil {
		return fmt.Errorf("CA %q: %w", name, err)
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
		for _, base := range []string{keys.File, keys.RefFile, CertFile} {
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

// ReadCertFile reads the one PEM certificate of the file at path, which
// must be a regular file owned by the user, not a symbolic link
// (internal/safefile): a link planted at a CA's cert.pem is refused with
// an error that names it, as writes refuse it.
func ReadCertFile(path string) (*x509.Certificate, error) {
	data, err := safefile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseCertFile(path, data)
}

// ReadCertBelow reads the one PEM certificate of the file rel below the
// output directory out (a CA's "<name>/cert.pem"), as ReadCertFile reads
// it, with every directory from out down opened without following a
// symbolic link (safefile.ReadFileBelow): OUT/<name> planted as a link to
// another directory is refused with an error that names it.
func ReadCertBelow(out, rel string) (*x509.Certificate, error) {
	data, err := safefile.ReadFileBelow(out, rel)
	if err != nil {
		return nil, err
	}
	return parseCertFile(filepath.Join(out, rel), data)
}

// ReadCertIn reads the one PEM certificate of the file name in the
// directory d, opened with internal/safefile: opened relative to d with
// O_NOFOLLOW and read through the descriptor that was checked (a regular
// file owned by the user, with no other hard link), so that a link
// planted there, or swapped in after a check, is refused, not followed.
func ReadCertIn(d *safefile.Dir, name string) (*x509.Certificate, error) {
	data, err := d.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return parseCertFile(d.Join(name), data)
}

// parseCertFile parses data, read from the file at path, as one PEM
// certificate.
func parseCertFile(path string, data []byte) (*x509.Certificate, error) {
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
func stageDeviceSynced(devices *safefile.Dir, dev Device) (string, error) {
	tmp, err := devices.MkdirTemp(stagedPrefix+dev.ID+".tmp", 0o755)
	if err != nil {
		return "", err
	}
	if err := writeDeviceFiles(devices, tmp, dev); err != nil {
		return tmp, fmt.Errorf("device %q: %w", dev.ID, err)
	}
	return tmp, nil
}

// WriteDevice publishes a device under out: <out>/devices/<id>/ with
// key.pem (0600, when the key is a file), cert.pem and chain.pem (the
// device certificate, then the CAs up to the root). The files are made in
// a temporary directory beside it and the directory is renamed into place
// (then the parent is synced), so a device directory is either complete
// or absent. An existing device directory is an error wrapping
// os.ErrExist: a device id is issued once. As in WriteCA, nothing is
// written through a symbolic link.
func WriteDevice(out string, dev Device) error {
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
func writeDeviceFiles(devices *safefile.Dir, tmp string, dev Device) error {
	d, err := devices.OpenDir(tmp, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if dev.Key != nil {
		if err := keys.WriteSafe(d, dev.Key, true); err != nil {
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
	return d.Write(ChainFile, dev.chainPEM(), publicMode, true)
}
