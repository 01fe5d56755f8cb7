package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.step.sm/crypto/kms/apiv1"
	"go.step.sm/crypto/kms/softkms"
	"go.step.sm/crypto/pemutil"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/pemenc"
)

// Backend creates and opens the private keys of a hierarchy. It is the
// one place keys are handled, so that a hardware backend (PKCS#11, through
// go.step.sm/crypto/kms/pkcs11) replaces files without any change to the
// Hierarchy or the commands.
//
// Generate makes a new key pair and returns it as a Key: its signer, and
// what must be kept to use it again — the PEM of the private key for a
// software backend (the caller publishes it, 0600, atomically: see
// Write), or a reference such as a pkcs11: URI for a backend whose keys
// never leave it. label names the key for backends that store keys under a
// name (the CA name, or "device <id>"). Open returns a signer for a key kept
// as ref: a file path for files, a URI for a token.
//
// Implementations must be safe for concurrent use: batch issuance calls
// Generate from many goroutines.
type Backend interface {
	Generate(label string, curve Curve) (*Key, error)
	Open(ref string) (crypto.Signer, error)
}

// PerCA is a Backend that keeps the key of each CA its own way (for
// example a passphrase per CA): ForCA returns the backend of the CA
// called name. ldevid.Hierarchy.LoadCA opens a CA's key with it.
type PerCA interface {
	Backend
	ForCA(name string) Backend
}

// Key is a key pair made by a Backend.
type Key struct {
	// Signer signs with the private key.
	Signer crypto.Signer
	// PEM is the private key as PEM PKCS#8 (encrypted when the backend has
	// a passphrase), for a backend whose keys are files; nil otherwise.
	// Never log it.
	PEM []byte
	// Ref is how to open the key again when it is not a file (for example
	// a pkcs11: URI); "" for file keys, whose reference is the file's path.
	Ref string
}

// KMS is a Backend over a go.step.sm/crypto/kms key manager. Over
// softkms (NewFileKeys) keys are generated in memory with crypto/rand and
// returned as PEM; over a manager that keeps keys (such as kms/pkcs11) the
// CreateKey response names the key, and that name is the Key's Ref.
type KMS struct {
	km         apiv1.KeyManager
	passphrase []byte
	keyName    func(label string) string
	files      bool // km is softkms: keys made in this process
}

// KMSOption configures a KMS backend.
type KMSOption func(*KMS)

// WithPassphrase encrypts the PEM of generated keys with passphrase
// (PKCS#8 PBES2, AES-256-CBC) and decrypts keys opened from files with it.
func WithPassphrase(passphrase []byte) KMSOption {
	return func(k *KMS) { k.passphrase = passphrase }
}

// WithKeyName sets how a key label becomes the Name of the CreateKeyRequest
// (for a token, e.g. "pkcs11:object=" + label). Unset, the name is empty,
// which is what softkms expects.
func WithKeyName(f func(label string) string) KMSOption {
	return func(k *KMS) { k.keyName = f }
}

// NewKMS returns a Backend over the key manager km.
func NewKMS(km apiv1.KeyManager, opts ...KMSOption) *KMS {
	k := &KMS{km: km}
	for _, o := range opts {
		o(k)
	}
	return k
}

// NewFileKeys returns the Backend for keys in PEM files: softkms, keys
// from crypto/rand, written by the caller as PEM PKCS#8.
func NewFileKeys(opts ...KMSOption) (*KMS, error) {
	km, err := softkms.New(context.Background(), apiv1.Options{Type: apiv1.SoftKMS})
	if err != nil {
		return nil, fmt.Errorf("softkms: %w", err)
	}
	k := NewKMS(km, opts...)
	k.files = true
	return k, nil
}

func signatureAlgorithm(c Curve) (apiv1.SignatureAlgorithm, error) {
	switch c {
	case P256:
		return apiv1.ECDSAWithSHA256, nil
	case P384:
		return apiv1.ECDSAWithSHA384, nil
	case Ed25519:
		return apiv1.PureEd25519, nil
	}
	return 0, fmt.Errorf("unknown curve %q", c)
}

// ecdsaCurve returns the crypto/elliptic curve of c, or nil when c is not
// an ECDSA curve.
func ecdsaCurve(c Curve) elliptic.Curve {
	switch c {
	case P256:
		return elliptic.P256()
	case P384:
		return elliptic.P384()
	}
	return nil
}

// Generate makes a new key pair on curve.
func (k *KMS) Generate(label string, curve Curve) (*Key, error) {
	if k.files && k.passphrase == nil {
		if c := ecdsaCurve(curve); c != nil {
			// softkms's CreateKey makes the same key (ecdsa.GenerateKey
			// with crypto/rand), but first parses the empty key name as a
			// URI and builds an error with a stack trace for it: about 5% of
			// a batch device's CPU time in the profile of
			// BenchmarkIssueLDevIDJSONL (batch), so file keys on the curves
			// crypto/ecdsa makes are made here.
			ec, err := ecdsa.GenerateKey(c, rand.Reader)
			if err != nil {
				return nil, fmt.Errorf("creating the %s key of %s: %w", curve, label, err)
			}
			if der, ok := marshalPKCS8EC(ec); ok {
				return &Key{Signer: ec, PEM: pemenc.Encode("PRIVATE KEY", der)}, nil
			}
		}
	}
	alg, err := signatureAlgorithm(curve)
	if err != nil {
		return nil, err
	}
	req := &apiv1.CreateKeyRequest{SignatureAlgorithm: alg}
	if k.keyName != nil {
		req.Name = k.keyName(label)
	}
	resp, err := k.km.CreateKey(req)
	if err != nil {
		return nil, fmt.Errorf("creating the %s key of %s: %w", curve, label, err)
	}
	if resp.PrivateKey != nil {
		signer, ok := resp.PrivateKey.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("creating the key of %s: %T is not a signer", label, resp.PrivateKey)
		}
		if ec, ok := signer.(*ecdsa.PrivateKey); ok && k.passphrase == nil {
			if der, ok := marshalPKCS8EC(ec); ok {
				return &Key{Signer: signer, PEM: pemenc.Encode("PRIVATE KEY", der)}, nil
			}
		}
		opts := []pemutil.Options{pemutil.WithPKCS8(true)}
		if k.passphrase != nil {
			opts = append(opts, pemutil.WithPassword(k.passphrase))
		}
		block, err := pemutil.Serialize(signer, opts...)
		if err != nil {
			return nil, fmt.Errorf("encoding the key of %s: %w", label, err)
		}
		return &Key{Signer: signer, PEM: pem.EncodeToMemory(block)}, nil
	}
	signer, err := k.km.CreateSigner(&resp.CreateSignerRequest)
	if err != nil {
		return nil, fmt.Errorf("opening the new key of %s: %w", label, err)
	}
	return &Key{Signer: signer, Ref: resp.Name}, nil
}

// Open returns a signer for the key kept as ref.
func (k *KMS) Open(ref string) (crypto.Signer, error) {
	s, err := k.km.CreateSigner(&apiv1.CreateSignerRequest{SigningKey: ref, Password: k.passphrase})
	if err != nil {
		// Do not echo the key or the passphrase; the error names the file.
		return nil, fmt.Errorf("opening key %s: %w", ref, err)
	}
	return s, nil
}

// OpenPEM returns a signer for the key whose PEM (as Generate returned
// it) is data: the key of a devices.jsonl record, or a key.pem read by
// OpenIn. Its error does not name the key: the caller does.
func (k *KMS) OpenPEM(data []byte) (crypto.Signer, error) {
	s, err := k.km.CreateSigner(&apiv1.CreateSignerRequest{SigningKeyPEM: data, Password: k.passphrase})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the key manager.
func (k *KMS) Close() error { return k.km.Close() }

// ReadPassphrase reads a passphrase from the file path (the first line,
// without its line ending).
func ReadPassphrase(path string) ([]byte, error) {
	b, err := boundedread.ReadFile(path, boundedread.Secret)
	if err != nil {
		return nil, fmt.Errorf("passphrase file: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return nil, fmt.Errorf("passphrase file %s: empty", path)
	}
	return []byte(line), nil
}

// PassphraseFromEnv returns the passphrase in the environment variable
// name.
func PassphraseFromEnv(name string) ([]byte, error) {
	v, ok := os.LookupEnv(name)
	if !ok {
		return nil, fmt.Errorf("passphrase: environment variable %s is not set", name)
	}
	if v == "" {
		return nil, fmt.Errorf("passphrase: environment variable %s is empty", name)
	}
	return []byte(v), nil
}

// ErrNoKeyMaterial is returned by Write for a Key with neither PEM nor
// Ref.
var ErrNoKeyMaterial = errors.New("key has neither PEM nor a reference")
