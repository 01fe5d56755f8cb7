package keys

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"go.step.sm/crypto/kms/apiv1"
	"go.step.sm/crypto/kms/pkcs11"

	"github.com/iotcert/iotcert/internal/boundedread"
)

// PKCS11Scheme is the scheme of PKCS#11 URIs (RFC 7512).
const PKCS11Scheme = "pkcs11"

// PKCS11 is a Backend whose keys are generated in a PKCS#11 token and
// never leave it, through go.step.sm/crypto/kms/pkcs11 (which needs cgo).
//
// A key is a key pair whose CKA_LABEL is the label given to Generate (the
// CA name) and whose CKA_ID is 8 random octets; its Ref is a pkcs11: URI
// naming the module, the token, the id and the label, and the token's
// pin-source when the backend's URI has one, but never a PIN:
//
//	pkcs11:id=5f0c4e0d9a7b1c22;module-path=/usr/lib/softhsm/libsofthsm2.so;object=root;token=iotcert?pin-source=/etc/iotcert/pin
//
// Write publishes it as key.ref and LoadCAs passes it back to Open.
// Keys are P-256 or P-384: go.step.sm/crypto/kms/pkcs11 (crypto11) does
// not make or use Ed25519 keys, even in tokens that have
// CKM_EC_EDWARDS_KEY_PAIR_GEN (SoftHSM2 2.6 does), so Generate refuses
// Ed25519.
//
// A PKCS11 is safe for concurrent use: the module's sessions are pooled,
// and signatures are made concurrently. Generate makes one key at a time:
// SoftHSM2 fails key pairs created at the same time in one token
// (CKR_GENERAL_ERROR, TestPKCS11GenerateConcurrently), and one at a time
// the label check and the creation cannot interleave.
type PKCS11 struct {
	gen       sync.Mutex // held by Generate
	km        *pkcs11.PKCS11
	token     url.Values // module-path and token, serial or slot-id
	pinSource string
	redacted  string
	duplicate bool
}

// PKCS11Option configures a PKCS11 backend.
type PKCS11Option func(*pkcs11Config)

type pkcs11Config struct {
	pin       []byte
	duplicate bool
}

// WithPIN logs in to the token with pin (for example read from an
// environment variable), for a URI with neither pin-source nor pin-value.
func WithPIN(pin []byte) PKCS11Option {
	return func(c *pkcs11Config) { c.pin = pin }
}

// WithDuplicateLabels lets Generate make a key under a label that a key
// pair in the token has already. Without it, Generate refuses such a
// label: a CA key is made once, and two keys under one name are a trap
// for whoever reads the token later. Keys stay apart all the same, as each
// has its own CKA_ID and every Ref names both.
func WithDuplicateLabels() PKCS11Option {
	return func(c *pkcs11Config) { c.duplicate = true }
}

// pkcs11TokenAttrs are the URI attributes that choose the module and the
// token; pkcs11PinAttrs those that give the PIN.
var (
	pkcs11TokenAttrs = []string{"module-path", "token", "serial", "slot-id"}
	pkcs11Attrs      = map[string]bool{"module-path": true, "token": true, "serial": true, "slot-id": true, "max-sessions": true, "pin-source": true, "pin-value": true}
)

var pinValueRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(pin-value=)[^;?&#]*`) })

// RedactURI returns s with the value of every pin-value attribute
// replaced by "***", for messages. It works on strings that do not parse.
func RedactURI(s string) string {
	return pinValueRE().ReplaceAllString(s, "${1}***")
}

// HasPINValue reports whether the URI s carries a PIN itself (a
// pin-value attribute), which a command must not take from its command
// line: every user of the machine can read it there.
func HasPINValue(s string) bool {
	return pinValueRE().MatchString(s)
}

// IsPKCS11URI reports whether s is a pkcs11: URI (a key reference of a
// PKCS11 backend rather than a file name).
func IsPKCS11URI(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	return ok && strings.EqualFold(scheme, PKCS11Scheme)
}

// parsePKCS11URI parses a pkcs11: URI into its attributes (path and query
// together) without ever quoting s in an error: s may hold a PIN.
func parsePKCS11URI(s string) (url.Values, error) {
	if !IsPKCS11URI(s) {
		return nil, errors.New(`not a pkcs11: URI (want pkcs11:module-path=...;token=...)`)
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("malformed URI: %v", err)
	}
	if u.Opaque == "" {
		return nil, errors.New(`malformed URI: want pkcs11:attribute=value;... with no "//"`)
	}
	v := url.Values{}
	for _, part := range []struct{ what, s, sep string }{{"path", u.Opaque, ";"}, {"query", u.RawQuery, "&"}} {
		if part.s == "" {
			continue
		}
		for _, attr := range strings.Split(part.s, part.sep) {
			if attr == "" {
				continue
			}
			k, val, ok := strings.Cut(attr, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("malformed URI: %s attribute %q is not name=value", part.what, RedactURI(attr))
			}
			val, err := url.PathUnescape(val)
			if err != nil {
				return nil, fmt.Errorf("malformed URI: attribute %s: bad %%-escape", k)
			}
			if v.Has(k) {
				return nil, fmt.Errorf("attribute %s given twice", k)
			}
			v.Set(k, val)
		}
	}
	return v, nil
}

// NewPKCS11 opens the token named by rawURI, a PKCS#11 URI (RFC 7512) in
// the form go.step.sm/crypto/kms/pkcs11 reads:
//
//	pkcs11:module-path=/usr/lib/softhsm/libsofthsm2.so;token=iotcert?pin-source=/etc/iotcert/pin
//
// module-path is the PKCS#11 module (default: p11-kit-proxy.so); token
// (the label), serial or slot-id chooses the token; max-sessions bounds
// the session pool. The PIN comes from pin-source (a file: its first
// line), pin-value (tests only: a command line is visible to every user
// of the machine), or WithPIN; with none of them the token is used
// without logging in. Other attributes are errors, as are id and object:
// the backend names its keys itself. Errors quote the URI with pin-value
// redacted.
func NewPKCS11(rawURI string, opts ...PKCS11Option) (*PKCS11, error) {
	var cfg pkcs11Config
	for _, o := range opts {
		o(&cfg)
	}
	redacted := RedactURI(rawURI)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("PKCS#11 %s: %w", redacted, fmt.Errorf(format, args...))
	}
	v, err := parsePKCS11URI(rawURI)
	if err != nil {
		return nil, fail("%w", err)
	}
	var unknown []string
	for k := range v {
		if !pkcs11Attrs[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fail("unknown attribute %s (want module-path, token, serial or slot-id, max-sessions, pin-source; keys are named by iotcert)", strings.Join(unknown, ", "))
	}
	n := 0
	for _, k := range []string{"token", "serial", "slot-id"} {
		if v.Get(k) != "" {
			n++
		}
	}
	if n != 1 {
		return nil, fail("give exactly one of token, serial and slot-id")
	}
	pins := 0
	for _, given := range []bool{v.Has("pin-value"), v.Has("pin-source"), cfg.pin != nil} {
		if given {
			pins++
		}
	}
	if pins > 1 {
		return nil, fail("give the PIN once: pin-source, pin-value or an environment variable")
	}
	pin := string(cfg.pin)
	switch {
	case v.Has("pin-value"):
		pin = v.Get("pin-value")
	case v.Has("pin-source"):
		if pin, err = readPIN(v.Get("pin-source")); err != nil {
			return nil, fail("%w", err)
		}
	}
	token := url.Values{}
	for _, k := range pkcs11TokenAttrs {
		if v.Has(k) {
			token.Set(k, v.Get(k))
		}
	}
	// The module sees no PIN in the URI: it comes through Options, and a
	// pin-source file has been read above, with a clear error if it
	// cannot be.
	module := pkcs11String(token, nil)
	if v.Has("max-sessions") {
		module += ";max-sessions=" + escapePKCS11(v.Get("max-sessions"))
	}
	km, err := pkcs11.New(context.Background(), apiv1.Options{Type: apiv1.PKCS11, URI: module, Pin: pin})
	if err != nil {
		return nil, fail("%s", pkcs11Hint(err, pin != ""))
	}
	return &PKCS11{km: km, token: token, pinSource: v.Get("pin-source"), redacted: redacted, duplicate: cfg.duplicate}, nil
}

// readPIN reads a PIN from the first line of the file path.
func readPIN(path string) (string, error) {
	if strings.HasPrefix(path, "file:") {
		path = strings.TrimPrefix(strings.TrimPrefix(path, "file:"), "//")
	}
	b, err := boundedread.ReadFile(path, boundedread.Secret)
	if err != nil {
		return "", fmt.Errorf("pin-source: %w", err)
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	line = bytes.TrimRightFunc(line, unicode.IsSpace)
	if len(line) == 0 {
		return "", fmt.Errorf("pin-source %s: empty", path)
	}
	return string(line), nil
}

// pkcs11Hint turns the errors of opening a module and logging in into
// messages a user can act on. None of them holds the PIN.
func pkcs11Hint(err error, havePIN bool) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "CKR_PIN_INCORRECT"):
		return "wrong PIN (" + msg + ")"
	case strings.Contains(msg, "CKR_PIN_LOCKED"):
		return "the PIN is locked (" + msg + ")"
	case strings.Contains(msg, "could not find PKCS#11 token"):
		return "no such token in the module (" + msg + ")"
	case strings.Contains(msg, "failed to open module"):
		return "cannot load the module (" + msg + ")"
	case strings.Contains(msg, "CKR_USER_NOT_LOGGED_IN") && !havePIN:
		return msg + " (no PIN given: pin-source=FILE in the URI, or an environment variable)"
	}
	return msg
}

// escapePKCS11 percent-encodes s for a pkcs11: URI attribute value,
// keeping letters, digits, "-._~" and "/:@" as they are.
func escapePKCS11(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// pkcs11String writes path attributes, sorted, and query attributes as a
// pkcs11: URI.
func pkcs11String(path, query url.Values) string {
	enc := func(v url.Values, sep string) string {
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + escapePKCS11(v.Get(k))
		}
		return strings.Join(parts, sep)
	}
	s := PKCS11Scheme + ":" + enc(path, ";")
	if len(query) > 0 {
		s += "?" + enc(query, "&")
	}
	return s
}

// String returns the backend's URI with pin-value redacted.
func (p *PKCS11) String() string { return p.redacted }

// Generate makes a key pair labelled label in the token, on curve P-256
// or P-384.
func (p *PKCS11) Generate(label string, curve Curve) (*Key, error) {
	if curve == Ed25519 {
		return nil, fmt.Errorf("PKCS#11 %s: the key of %s: Ed25519 keys in a token are not supported (go.step.sm/crypto/kms/pkcs11 makes P-256 and P-384 keys); choose curve P-256 or P-384", p.redacted, label)
	}
	alg, err := signatureAlgorithm(curve)
	if err != nil {
		return nil, err
	}
	if label == "" {
		return nil, fmt.Errorf("PKCS#11 %s: empty key label", p.redacted)
	}
	p.gen.Lock()
	defer p.gen.Unlock()
	if !p.duplicate {
		if err := p.CheckLabel(label); err != nil {
			return nil, err
		}
	}
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("PKCS#11 key id: %w", err)
	}
	path := url.Values{}
	for k, v := range p.token {
		path[k] = v
	}
	path.Set("id", hex.EncodeToString(id))
	path.Set("object", label)
	name := pkcs11String(path, nil)
	resp, err := p.km.CreateKey(&apiv1.CreateKeyRequest{Name: name, SignatureAlgorithm: alg})
	if err != nil {
		return nil, fmt.Errorf("PKCS#11 %s: creating the %s key of %s: %w", p.redacted, curve, label, err)
	}
	signer, err := p.km.CreateSigner(&resp.CreateSignerRequest)
	if err != nil {
		return nil, fmt.Errorf("PKCS#11 %s: opening the new key %s: %w", p.redacted, name, err)
	}
	var query url.Values
	if p.pinSource != "" {
		query = url.Values{"pin-source": {p.pinSource}}
	}
	return &Key{Signer: p.tokenSigner(signer, label), Ref: pkcs11String(path, query)}, nil
}

// CheckLabel returns an error wrapping os.ErrExist if the token holds a
// key pair labelled label, so that a command can refuse before it makes
// any key.
func (p *PKCS11) CheckLabel(label string) error {
	byLabel := pkcs11String(url.Values{"object": {label}}, nil)
	_, err := p.km.GetPublicKey(&apiv1.GetPublicKeyRequest{Name: byLabel})
	switch {
	case err == nil:
		return fmt.Errorf("PKCS#11 %s: the token holds a key labelled %q already (a CA key is made once: delete it from the token, or use another token): %w", p.redacted, label, os.ErrExist)
	case !errors.Is(err, apiv1.NotFoundError{}):
		return fmt.Errorf("PKCS#11 %s: looking for a key labelled %q: %w", p.redacted, label, err)
	}
	return nil
}

// Delete deletes the key pair named by ref, a Ref that Generate returned:
// for a command that made keys and then failed before publishing their
// references, so that no unreachable key is left in the token.
func (p *PKCS11) Delete(ref string) error {
	v, err := parsePKCS11URI(ref)
	if err != nil || v.Get("id") == "" || v.Get("object") == "" {
		return fmt.Errorf("key %s: delete: want a reference with id and object", RedactURI(ref))
	}
	if err := deleteKey(p.km, pkcs11String(url.Values{"id": {v.Get("id")}, "object": {v.Get("object")}}, nil)); err != nil {
		return fmt.Errorf("key %s: %w", RedactURI(ref), err)
	}
	return nil
}

// Open returns a signer for the key pair named by ref, a pkcs11: URI with
// an id or an object (label) or both, as Generate makes them. The module
// and token that ref names, if any, must be this backend's.
func (p *PKCS11) Open(ref string) (crypto.Signer, error) {
	redacted := RedactURI(ref)
	v, err := parsePKCS11URI(ref)
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", redacted, err)
	}
	for _, k := range pkcs11TokenAttrs {
		if got, want := v.Get(k), p.token.Get(k); got != "" && got != want {
			if want == "" {
				want = "(none)"
			}
			return nil, fmt.Errorf("key %s: it is in %s %s, but the backend %s opens %s %s", redacted, k, got, p.redacted, k, want)
		}
	}
	if v.Get("id") == "" && v.Get("object") == "" {
		return nil, fmt.Errorf("key %s: names no key (want id=... or object=...)", redacted)
	}
	key := url.Values{}
	for _, k := range []string{"id", "object"} {
		if v.Has(k) {
			key.Set(k, v.Get(k))
		}
	}
	s, err := p.km.CreateSigner(&apiv1.CreateSignerRequest{SigningKey: pkcs11String(key, nil)})
	if err != nil {
		if errors.Is(err, apiv1.NotFoundError{}) {
			return nil, fmt.Errorf("key %s: no such key pair in the token of %s", redacted, p.redacted)
		}
		return nil, fmt.Errorf("key %s: %w", redacted, err)
	}
	name := v.Get("object")
	if name == "" {
		name = "id " + v.Get("id")
	}
	return p.tokenSigner(s, name), nil
}

// tokenSigner wraps s, the signer of the key called name in p's token,
// so that its errors say which token and key failed and what a token
// that fails in the middle of a batch usually means.
func (p *PKCS11) tokenSigner(s crypto.Signer, name string) crypto.Signer {
	return &pkcs11Signer{Signer: s, what: fmt.Sprintf("PKCS#11 %s: key %s", p.redacted, name)}
}

// A pkcs11Signer is a signer of a key in a token whose errors name the
// token and the key. Signatures run concurrently: each takes a session
// of the module's pool (crypto11's, of max-sessions sessions).
type pkcs11Signer struct {
	crypto.Signer
	what string
}

// pkcs11Lost are the PKCS#11 return values of a token that was removed,
// logged out, or whose sessions were closed, as the name of each appears
// in the module's errors, and crypto11's error for a closed backend.
var pkcs11Lost = []string{"CKR_DEVICE_REMOVED", "CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_ERROR", "CKR_SESSION_HANDLE_INVALID", "CKR_SESSION_CLOSED", "CKR_USER_NOT_LOGGED_IN", "CKR_OBJECT_HANDLE_INVALID", "CKR_KEY_HANDLE_INVALID", "context is closed"}

// Sign signs digest with the key in the token.
func (s *pkcs11Signer) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := s.Signer.Sign(r, digest, opts)
	if err == nil {
		return sig, nil
	}
	for _, code := range pkcs11Lost {
		if strings.Contains(err.Error(), code) {
			return nil, fmt.Errorf("%s: signing: %w (the token was removed, logged out or its sessions closed)", s.what, err)
		}
	}
	return nil, fmt.Errorf("%s: signing: %w", s.what, err)
}

// Close closes the session with the token and unloads the module.
func (p *PKCS11) Close() error { return p.km.Close() }
