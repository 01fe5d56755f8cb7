package ldevid

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/store"
)

// LoadCAs adds the CAs of the hierarchy's spec from the files store.WriteCA
// wrote under out: the CAs on the way from a root to the CA called upTo
// ("" loads all). Only upTo's key is opened, with caKeys (nil: the
// hierarchy's keys.Backend; CA keys often have a passphrase that device
// keys do not); the CAs above it need only their certificates, so that a
// root key kept offline is never asked for when a device is issued. With
// upTo "" every CA's key is opened. A caKeys that is a keys.PerCA opens
// each CA's key with the backend ForCA gives for its name.
func (h *Hierarchy) LoadCAs(out, upTo string, caKeys keys.Backend) error {
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

// LoadCA adds the CA called name from out/<name>/cert.pem; with withKey,
// also its key (key.ref or key.pem), opened with caKeys (nil: the
// hierarchy's keys.Backend). A CA added without its key signs nothing: it
// stands in chains and verifies what it issued. Its parent must be added
// first.
func (h *Hierarchy) LoadCA(out, name string, withKey bool, caKeys keys.Backend) error {
	if caKeys == nil {
		caKeys = h.keys
	}
	if h.spec.CA(name) == nil {
		return fmt.Errorf("CA %q is not in the spec", name)
	}
	cert, err := store.ReadCertBelow(out, filepath.Join(name, store.CertFile))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("CA %q: %w (run \"iotcert gen hierarchy\" first)", name, err)
	}
	if err != nil {
		// There is something there, but not what gen hierarchy writes (a
		// link, not a regular file): making the hierarchy again is not
		// the remedy.
		return fmt.Errorf("CA %q: %w", name, err)
	}
	if !withKey {
		return h.addCA(name, cert, nil)
	}
	if ck, ok := caKeys.(keys.PerCA); ok {
		caKeys = ck.ForCA(name)
	}
	signer, _, err := keys.OpenBelow(out, name, caKeys)
	if err != nil {
		return fmt.Errorf("CA %q: %w", name, err)
	}
	return h.addCA(name, cert, signer)
}
