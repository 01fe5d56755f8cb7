package main

import (
	"crypto"
	"flag"
	"fmt"
	"os"
	"sync"

	"github.com/iotcert/iotcert/ldevid"
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

	token *ldevid.PKCS11 // opened by caKeys, closed by close
	store *caKeyStore
}

func (k *kmsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.uri, "kms", "", "keep CA keys in the PKCS#11 token of `URI` (pkcs11:module-path=...;token=...?pin-source=FILE); device keys stay files")
	fs.StringVar(&k.pinEnv, "kms-pin-env", "", "the token's PIN is in environment variable `NAME` (instead of pin-source in the --kms URI)")
}

// caKeys returns the KeyBackend of CA keys over files: files alone
// without --kms, else the token for new keys and for pkcs11: key.ref
// files, and files for key.pem files.
func (k *kmsFlags) caKeys(files ldevid.KeyBackend) (ldevid.KeyBackend, error) {
	k.store = &caKeyStore{files: files}
	if k.uri == "" {
		if k.pinEnv != "" {
			return nil, fmt.Errorf("--kms-pin-env needs --kms")
		}
		return k.store, nil
	}
	var opts []ldevid.PKCS11Option
	if k.pinEnv != "" {
		pin, ok := os.LookupEnv(k.pinEnv)
		if !ok || pin == "" {
			return nil, fmt.Errorf("--kms-pin-env: environment variable %s is not set", k.pinEnv)
		}
		opts = append(opts, ldevid.WithPIN([]byte(pin)))
	}
	if k.duplicateLabels {
		opts = append(opts, ldevid.WithDuplicateLabels())
	}
	token, err := ldevid.NewPKCS11(k.uri, opts...)
	if err != nil {
		return nil, err
	}
	k.token, k.store.token = token, token
	return k.store, nil
}

// checkLabels refuses, before any key is made, CA names that label keys
// in the token already (unless duplicateLabels).
func (k *kmsFlags) checkLabels(spec *ldevid.Spec) error {
	if k.token == nil || k.duplicateLabels {
		return nil
	}
	for _, c := range spec.CAs {
		if err := k.token.CheckLabel(c.Name); err != nil {
			return fmt.Errorf("CA %q: %w; --force makes a new key beside it", c.Name, err)
		}
	}
	return nil
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

// caKeyStore is the KeyBackend of CA keys: new keys are made in the token
// when there is one (files otherwise); kept keys are opened from the token
// for a pkcs11: reference and from files for a path.
type caKeyStore struct {
	files ldevid.KeyBackend
	token *ldevid.PKCS11

	mu   sync.Mutex
	made []string // refs of the keys Generate made in the token
}

// Generate makes a CA key in the token, or a file key without one.
func (s *caKeyStore) Generate(label string, curve ldevid.Curve) (*ldevid.Key, error) {
	if s.token == nil {
		return s.files.Generate(label, curve)
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

// Open opens a kept CA key.
func (s *caKeyStore) Open(ref string) (crypto.Signer, error) {
	if !ldevid.IsPKCS11URI(ref) {
		return s.files.Open(ref)
	}
	if s.token == nil {
		return nil, fmt.Errorf("key %s is in a PKCS#11 token: give --kms with the token's URI", ldevid.RedactURI(ref))
	}
	return s.token.Open(ref)
}
