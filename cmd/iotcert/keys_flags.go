package main

import (
	"crypto"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"

	"github.com/iotcert/iotcert/keys"
)

// kmsFlags put CA keys in a PKCS#11 token: --kms URI and --kms-pin-env
// NAME. Every command that makes or uses CA keys registers them through
// keyFlags; device keys stay files (a device's key must reach the device,
// and a token key never leaves the token).
type kmsFlags struct {
	uri    string
	pinEnv string
	// duplicateLabels lets "gen hierarchy --force" make CA keys under
	// labels that keys in the token have already.
	duplicateLabels bool

	token *keys.PKCS11 // opened by caKeys, closed by close
	store *caKeyStore
}

func (k *kmsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.uri, "kms", "", "keep CA keys in the PKCS#11 token of `URI` (pkcs11:module-path=...;token=...?pin-source=FILE); device keys stay files")
	fs.StringVar(&k.pinEnv, "kms-pin-env", "", "the token's PIN is in environment variable `NAME` (instead of pin-source in the --kms URI)")
}

// caKeys returns the keys.Backend of CA keys over files (perCA: the files
// of the CAs that have their own passphrase): files alone without --kms,
// else the token for new keys and for pkcs11: key.ref files, and files
// for key.pem files.
func (k *kmsFlags) caKeys(files keys.Backend, perCA map[string]keys.Backend) (keys.Backend, error) {
	k.store = &caKeyStore{files: files, perCA: perCA}
	if k.uri == "" {
		if k.pinEnv != "" {
			return nil, fmt.Errorf("--kms-pin-env needs --kms")
		}
		return k.store, nil
	}
	if keys.HasPINValue(k.uri) {
		// A command line is visible to every user of the machine (ps,
		// /proc/PID/cmdline, shell history).
		return nil, fmt.Errorf("--kms %s: a PIN on the command line (pin-value) is visible to every user of the machine: give it with pin-source=FILE in the URI or --kms-pin-env NAME", keys.RedactURI(k.uri))
	}
	var opts []keys.PKCS11Option
	if k.pinEnv != "" {
		pin, ok := os.LookupEnv(k.pinEnv)
		if !ok {
			return nil, fmt.Errorf("--kms-pin-env: environment variable %s is not set", k.pinEnv)
		}
		if pin == "" {
			return nil, fmt.Errorf("--kms-pin-env: environment variable %s is empty", k.pinEnv)
		}
		opts = append(opts, keys.WithPIN([]byte(pin)))
	}
	if k.duplicateLabels {
		opts = append(opts, keys.WithDuplicateLabels())
	}
	token, err := keys.NewPKCS11(k.uri, opts...)
	if err != nil {
		return nil, err
	}
	k.token, k.store.token = token, token
	return k.store, nil
}

// checkLabels refuses, before any key is made, CA names that label keys
// in the token already (unless duplicateLabels): names are the CAs whose
// key this command makes.
func (k *kmsFlags) checkLabels(names []string) error {
	if k.token == nil || k.duplicateLabels {
		return nil
	}
	for _, n := range names {
		if err := k.token.CheckLabel(n); err != nil {
			return fmt.Errorf("CA %q: %w; --force makes a new key beside it", n, err)
		}
	}
	return nil
}

// published forgets the keys made so far: a key.ref names them, and
// discard must not delete them.
func (k *kmsFlags) published() {
	if k.store == nil {
		return
	}
	k.store.mu.Lock()
	k.store.made = nil
	k.store.mu.Unlock()
}

// discard deletes the keys made in the token by this command: for a
// command that fails before it publishes their key.ref files.
func (k *kmsFlags) discard() error {
	if k.token == nil || k.store == nil {
		return nil
	}
	k.store.mu.Lock()
	defer k.store.mu.Unlock()
	for _, ref := range k.store.made {
		if err := k.token.Delete(ref); err != nil {
			return err
		}
	}
	k.store.made = nil
	return nil
}

// close ends the session with the token, if one was opened.
func (k *kmsFlags) close() {
	if k.token != nil {
		k.token.Close()
		k.token = nil
	}
}

// caKeyStore is the keys.Backend of CA keys: new keys are made in the token
// when there is one (files otherwise); kept keys are opened from the token
// for a pkcs11: reference and from files for a path.
type caKeyStore struct {
	files keys.Backend
	perCA map[string]keys.Backend // key files of the CAs with their own passphrase
	token *keys.PKCS11

	parent *caKeyStore // of a store ForCA made: the one that records the keys made

	mu   sync.Mutex
	made []string // refs of the keys Generate made in the token
}

// ForCA returns the backend of the key of the CA called name: the same
// store, with name's own passphrase for key files when it has one.
func (s *caKeyStore) ForCA(name string) keys.Backend {
	files, ok := s.perCA[name]
	if !ok {
		return s
	}
	return &caKeyStore{files: files, token: s.token, parent: s}
}

// Generate makes a CA key in the token, or a file key without one (label
// is the CA's name: a CA with its own passphrase has its key encrypted
// with it).
func (s *caKeyStore) Generate(label string, curve keys.Curve) (*keys.Key, error) {
	if s.token == nil {
		if files, ok := s.perCA[label]; ok {
			return files.Generate(label, curve)
		}
		return s.files.Generate(label, curve)
	}
	if s.parent != nil {
		return s.parent.Generate(label, curve)
	}
	key, err := s.token.Generate(label, curve)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.made = append(s.made, key.Ref)
	s.mu.Unlock()
	return key, nil
}

// OpenPEM opens a CA key file's content (keys.PEMOpener: keys.OpenIn
// reads key.pem itself, link-safe, and hands over what it read).
func (s *caKeyStore) OpenPEM(data []byte) (crypto.Signer, error) {
	return openPEM(s.files, data)
}

// openPEM opens the key whose PEM is data with kb, a keys.PEMOpener.
func openPEM(kb keys.Backend, data []byte) (crypto.Signer, error) {
	po, ok := kb.(keys.PEMOpener)
	if !ok {
		return nil, errors.New("this key backend opens no key file content")
	}
	return po.OpenPEM(data)
}

// Open opens a kept CA key.
func (s *caKeyStore) Open(ref string) (crypto.Signer, error) {
	if !keys.IsPKCS11URI(ref) {
		return s.files.Open(ref)
	}
	if s.token == nil {
		return nil, fmt.Errorf("key %s is in a PKCS#11 token: give --kms with the token's URI", keys.RedactURI(ref))
	}
	return s.token.Open(ref)
}
