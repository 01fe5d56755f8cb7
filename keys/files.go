package keys

import (
	"crypto"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iotcert/iotcert/internal/safefile"
)

// The files that keep a key in a directory: key.pem holds a key's PEM,
// key.ref the reference of a key that is not a file (a pkcs11: URI, or
// the path of a key file elsewhere).
const (
	File    = "key.pem"
	RefFile = "key.ref"
)

// privateMode is the mode of every file holding a key or a reference.
const privateMode = 0o600

// FileData returns the file that keeps key: key.pem holding its PEM,
// or key.ref holding its reference (a key that is not a file), and the
// file's content. Both are written mode 0600.
func FileData(key *Key) (name string, data []byte, err error) {
	switch {
	case key == nil:
		return "", nil, ErrNoKeyMaterial
	case key.PEM != nil:
		return File, key.PEM, nil
	case key.Ref != "":
		return RefFile, []byte(key.Ref + "\n"), nil
	}
	return "", nil, ErrNoKeyMaterial
}

// Write publishes key in dir: its PEM as key.pem (mode 0600), or its
// reference as key.ref, each written atomically and never through a
// symbolic link (internal/safefile). With exclusive set an existing file is an
// error wrapping os.ErrExist.
func Write(dir string, key *Key, exclusive bool) error {
	d, err := safefile.OpenRoot(dir, false)
	if err != nil {
		return err
	}
	defer d.Close()
	return WriteSafe(d, key, exclusive)
}

// WriteSafe is Write into d, a directory opened with internal/safefile
// (for a caller that writes more files there, such as a CA or device
// directory).
func WriteSafe(d *safefile.Dir, key *Key, exclusive bool) error {
	name, data, err := FileData(key)
	if err != nil {
		return err
	}
	return d.Write(name, data, privateMode, exclusive)
}

// ReadRef returns the reference of the key kept for the CA in dir:
// what dir/key.ref holds, or the path of dir/key.pem when there is no
// key.ref. A key.ref holds a URI (a pkcs11: URI of a key in a token) or
// the path of a key file; a relative path is relative to dir, the
// directory holding key.ref, so that directories moved together keep
// working. Errors name key.ref. Neither key.ref nor key.pem may be a
// symbolic link (internal/safefile): a link planted there is refused with
// an error that names it, as writes refuse it. (A key.ref may name a key
// file anywhere: that is its purpose.)
func ReadRef(dir string) (string, error) {
	d, err := safefile.OpenRoot(dir, false)
	if err != nil {
		return "", err
	}
	defer d.Close()
	ref, _, err := readRefDir(d)
	return ref, err
}

// readRefDir is ReadRef in the open directory d; for a key.pem it also
// returns the file's content, read through the descriptor that was
// checked (one open: nothing can swap the file in between).
func readRefDir(d *safefile.Dir) (ref string, pemData []byte, err error) {
	path := d.Join(RefFile)
	b, err := d.ReadFile(RefFile)
	switch {
	case errors.Is(err, os.ErrNotExist):
		key := d.Join(File)
		data, err := d.ReadFile(File)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", nil, err
		}
		return key, data, nil
	case err != nil:
		return "", nil, err
	}
	ref = string(trimNewline(b))
	switch {
	case ref == "":
		return "", nil, fmt.Errorf("%s: empty (want a pkcs11: URI or the path of a key file)", path)
	case strings.ContainsAny(ref, "\r\n"):
		return "", nil, fmt.Errorf("%s: more than one line (want a pkcs11: URI or the path of a key file)", path)
	case isURI(ref) || filepath.IsAbs(ref):
		return ref, nil, nil
	}
	return filepath.Join(d.Path(), ref), nil, nil
}

// PEMOpener is a Backend that opens a key from the PEM its caller read
// (KMS over key files). OpenIn and OpenBelow give it the content of a
// key.pem they read themselves, link-safe, rather than its path.
type PEMOpener interface {
	OpenPEM(data []byte) (crypto.Signer, error)
}

// OpenIn opens the key of the CA in dir (ReadRef) with kb and
// returns its signer and reference. An error opening a key that key.ref
// names names key.ref. A key.pem is read once, never through a link
// (internal/safefile), and handed to kb as PEM when kb is a PEMOpener.
func OpenIn(dir string, kb Backend) (crypto.Signer, string, error) {
	d, err := safefile.OpenRoot(dir, false)
	if err != nil {
		return nil, "", err
	}
	defer d.Close()
	return OpenInDir(d, kb)
}

// OpenBelow is OpenIn for the CA directory rel below the output
// directory out: every directory from out down is opened without
// following a symbolic link (safefile.OpenBelow), so that OUT/<ca> made a
// link to another directory is refused, not read.
func OpenBelow(out, rel string, kb Backend) (crypto.Signer, string, error) {
	d, err := safefile.OpenBelow(out, rel)
	if err != nil {
		return nil, "", err
	}
	defer d.Close()
	return OpenInDir(d, kb)
}

// OpenInDir is OpenIn in the directory d, opened with internal/safefile
// (for a caller that reads more files there, such as a CA's cert.pem, so
// that the certificate and the key come from the one directory it opened
// and checked): key.ref and key.pem are opened relative to d, never
// through a link.
func OpenInDir(d *safefile.Dir, kb Backend) (crypto.Signer, string, error) {
	ref, data, err := readRefDir(d)
	if err != nil {
		return nil, "", err
	}
	if data != nil {
		if po, ok := kb.(PEMOpener); ok {
			signer, err := po.OpenPEM(data)
			clear(data)
			if err != nil {
				return nil, "", fmt.Errorf("opening key %s: %w", ref, err)
			}
			return signer, ref, nil
		}
		clear(data)
	}
	signer, err := kb.Open(ref)
	if err != nil {
		if data == nil && ref != d.Join(File) {
			return nil, "", fmt.Errorf("%s: %w", d.Join(RefFile), err)
		}
		return nil, "", err
	}
	return signer, ref, nil
}

// RefPath is what a key.ref in the directory dir holds for the key
// file at keyPath: its path relative to dir (ReadRef resolves it
// against dir), or keyPath made absolute when no relative path leads
// there.
func RefPath(dir, keyPath string) (string, error) {
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

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
