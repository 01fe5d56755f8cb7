package roll

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iotcert/iotcert/internal/certsonly"
	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/store"
)

// File names in a rollover directory (Write).
const (
	NewWithNewFile = "newwithnew.pem"
	NewWithOldFile = "newwithold.pem"
	OldWithNewFile = "oldwithnew.pem"
	OldWithOldFile = "oldwithold.pem"
	CACertsDERFile = "cacerts.p7b"
	CACertsB64File = "cacerts.b64"
	CACertsPEMFile = "cacerts.pem"
	MermaidFile    = "rollover.mmd"
	DOTFile        = "rollover.dot"
)

// openCADir opens the directory of a CA that the user names on the
// command line ("roll --old pki/root", "--resign pki/device-ca"): DIR/<ca>
// as "iotcert gen hierarchy" wrote it. It is opened as "iotcert gen
// device --out DIR --ca <ca>" opens it (safefile.OpenBelow): DIR, the
// directory holding it, as named, links in its path followed; <ca> itself
// with O_DIRECTORY|O_NOFOLLOW relative to it, and then checked on its
// descriptor (a directory owned by the user). A CA directory that is a
// symbolic link is refused, whoever made it, because iotcert cannot tell
// a link the user made from one planted in a directory others can write;
// name the directory it points to instead. The caller reads the CA's
// files relative to the directory returned, so that they all come from
// the one directory that was checked. It returns the CA's name too: the
// directory's base name ("." named by its own).
func openCADir(dir string) (*safefile.Dir, string, error) {
	parent, name, err := splitCADir(dir)
	if err != nil {
		return nil, "", err
	}
	d, err := safefile.OpenBelow(parent, name)
	return d, name, err
}

// splitCADir splits the CA directory dir into the directory holding it
// and its name ("." and ".." are made absolute first, so that the name
// is a name).
func splitCADir(dir string) (parent, name string, err error) {
	clean := filepath.Clean(dir)
	if base := filepath.Base(clean); base == "." || base == ".." || base == string(filepath.Separator) {
		if clean, err = filepath.Abs(clean); err != nil {
			return "", "", err
		}
	}
	return filepath.Dir(clean), filepath.Base(clean), nil
}

// CACerts returns the certificates of the EST /cacerts response during
// the rollover: NewWithOld, OldWithNew, NewWithNew and OldWithOld. RFC
// 7030 §4.1.3 asks for the three "Root CA Key Update" certificates
// OldWithOld, OldWithNew and NewWithOld; the new root itself is not in
// that list (ambiguity A13) but it is the current root, the one with the
// latest notAfter that RFC 7030 says to validate the others with, so it
// is sent too. The link certificates come first: OpenSSL takes the first
// untrusted certificate whose name and key identifier match as the issuer
// and does not backtrack, so a self-signed root listed before the link
// certificate of the same name and key would end the path of a device
// that does not trust that root. The re-signed CAs are not in it: devices
// receive them in the chains of the certificates they validate.
func (ro *Rollover) CACerts() []*x509.Certificate {
	return []*x509.Certificate{ro.NewWithOld, ro.OldWithNew, ro.NewWithNew, ro.OldWithOld}
}

// Write publishes ro as the directory out, which must not exist:
//
//	key.pem (0600) or key.ref    the new root's key
//	newwithnew.pem, newwithold.pem, oldwithnew.pem, oldwithold.pem
//	cacerts.p7b, cacerts.b64, cacerts.pem    the /cacerts bundle (CACerts)
//	rollover.mmd, rollover.dot               diagrams of both hierarchies
//	<root>/cert.pem, <root>/key.ref          NewWithNew, and where its key is
//	<ca>/cert.pem, <ca>/key.ref              each re-signed CA, and where its (old) key is
//
// so that out is also a directory "iotcert gen device --out" issues from.
// A key.ref holds a token URI, or the path of a key file relative to the
// directory holding that key.ref (keys.RefPath): "../key.pem" for
// the new root, so that out keeps working when it is moved (and the
// re-signed CAs' keys, when it is moved with the directories holding
// them). The files are written in a temporary directory beside out that
// is renamed into place: out is complete or absent. Nothing outside out
// is touched, and nothing is written through a symbolic link (see
// store.WriteCA).
func Write(out string, ro *Rollover) error {
	out = filepath.Clean(out)
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	parent, err := safefile.OpenRoot(filepath.Dir(abs), true)
	if err != nil {
		return err
	}
	defer parent.Close()
	base := filepath.Base(abs)
	if exists, err := parent.Exists(base); err != nil {
		return err
	} else if exists {
		return fmt.Errorf("%s: %w", out, os.ErrExist)
	}
	if _, err := removeStale(parent, base); err != nil {
		return err
	}
	tmpName, err := parent.MkdirTemp(stalePrefix(base), 0o755)
	if err != nil {
		return err
	}
	defer parent.RemoveAll(tmpName) // gone after the rename; cleans up on error
	tmp, err := parent.OpenDir(tmpName, false)
	if err != nil {
		return err
	}
	defer tmp.Close()
	if err := writeFiles(tmp, abs, ro); err != nil {
		return err
	}
	if err := parent.Rename(tmpName, parent, base); err != nil {
		if exists, _ := parent.Exists(base); exists {
			return fmt.Errorf("%s: %w", out, os.ErrExist)
		}
		return err
	}
	return parent.Sync()
}

// stalePrefix starts the name of the temporary directory Write makes
// beside out, whose base name is base.
func stalePrefix(base string) string { return "." + base + ".tmp" }

// RemoveStale removes the temporary directories a stopped Write of the
// directory out left beside it (".<out>.tmp*", which hold a new root's
// key.pem and a link certificate its old root signed), and returns how
// many. Write calls it before it writes; a command calls it first, so
// that a run that stops before its Write still cleans up after an
// earlier one.
func RemoveStale(out string) (int, error) {
	abs, err := filepath.Abs(filepath.Clean(out))
	if err != nil {
		return 0, err
	}
	parent, err := safefile.OpenRoot(filepath.Dir(abs), false)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer parent.Close()
	return removeStale(parent, filepath.Base(abs))
}

func removeStale(parent *safefile.Dir, base string) (int, error) {
	names, err := parent.Names()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		if !strings.HasPrefix(name, stalePrefix(base)) {
			continue
		}
		if err := parent.RemoveAll(name); err != nil {
			return n, fmt.Errorf("removing %s, left by a stopped run: %w", parent.Join(name), err)
		}
		n++
	}
	if n > 0 {
		return n, parent.Sync()
	}
	return 0, nil
}

// writeFiles writes the files of ro in tmp, which becomes the directory
// abs.
func writeFiles(tmp *safefile.Dir, abs string, ro *Rollover) error {
	name, data, err := keys.FileData(ro.Key)
	if err != nil {
		return fmt.Errorf("new root key: %w", err)
	}
	if err := tmp.Write(name, data, 0o600, true); err != nil {
		return fmt.Errorf("new root key: %w", err)
	}
	keyRef := ro.Key.Ref
	if keyRef == "" {
		keyRef = filepath.Join("..", keys.File) // from <root>/ to the new key
	}
	der, err := certsonly.Marshal(ro.CACerts())
	if err != nil {
		return err
	}
	var bundlePEM bytes.Buffer
	for _, c := range ro.CACerts() {
		bundlePEM.Write(store.CertPEM(c))
	}
	files := []struct {
		name string
		data []byte
	}{
		{NewWithNewFile, store.CertPEM(ro.NewWithNew)},
		{NewWithOldFile, store.CertPEM(ro.NewWithOld)},
		{OldWithNewFile, store.CertPEM(ro.OldWithNew)},
		{OldWithOldFile, store.CertPEM(ro.OldWithOld)},
		{CACertsDERFile, der},
		{CACertsB64File, certsonly.Base64(der)},
		{CACertsPEMFile, bundlePEM.Bytes()},
		{MermaidFile, mermaid(ro)},
		{DOTFile, dot(ro)},
	}
	for _, f := range files {
		if err := tmp.Write(f.name, f.data, 0o644, true); err != nil {
			return err
		}
	}
	if err := writeCADir(tmp, ro.Plan.Old.Name, ro.NewWithNew, keyRef); err != nil {
		return err
	}
	for _, r := range ro.Resigned {
		ref := r.CA.KeyRef
		if !keys.IsPKCS11URI(ref) {
			// The key file of the re-signed CA, from its directory in abs.
			if ref, err = keys.RefPath(filepath.Join(abs, r.CA.Name), ref); err != nil {
				return err
			}
		}
		if err := writeCADir(tmp, r.CA.Name, r.Cert, ref); err != nil {
			return err
		}
	}
	return nil
}

// writeCADir writes <dir>/<name>/cert.pem and key.ref (0600: it names a
// key).
func writeCADir(dir *safefile.Dir, name string, cert *x509.Certificate, keyRef string) error {
	if err := store.CheckID(name); err != nil || name == store.DevicesDir {
		return fmt.Errorf("CA directory name %q cannot be used in the rollover directory", name)
	}
	if err := dir.Mkdir(name, 0o755); err != nil {
		return err
	}
	d, err := dir.OpenDir(name, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Write(keys.RefFile, []byte(keyRef+"\n"), 0o600, true); err != nil {
		return err
	}
	if err := d.Write(store.CertFile, store.CertPEM(cert), 0o644, true); err != nil {
		return err
	}
	return d.Sync()
}
