// Package roll plans, makes and proves a root CA key rollover (RFC 4210
// §4.4, RFC 9810 §4.4 and §4.4.1): from the old root (OldWithOld) and its
// key it makes a new self-signed root (NewWithNew) and the two link
// certificates that let devices trusting either root validate certificates
// of the other hierarchy:
//
//   - NewWithOld: the new public key, signed by the old key (issuer = old
//     name, AKI = old SKI, SKI = new SKI, notBefore = NewWithNew's,
//     notAfter at most OldWithOld's). A device that trusts only the old
//     root validates the new hierarchy through it.
//   - OldWithNew: the old public key, signed by the new key (issuer = new
//     name, AKI = new SKI, SKI = old SKI, the validity of OldWithOld). A
//     device that trusts only the new root validates the old hierarchy
//     through it.
//
// It also re-issues subordinate CAs of the old root under the new root
// (same name and key, new issuer), and writes the EST /cacerts bundle
// (RFC 7030 §4.1.3) and diagrams of both hierarchies. Every certificate
// passes the lint profile before any key signs it, as in package ldevid.
// Verify proves which device generations validate which end entities.
//
//	old, _ := roll.LoadOldRoot("pki/root", keys)
//	r, _ := roll.New(roll.WithKeys(keys))
//	plan, _ := r.Plan(old, spec, subCAs...)
//	ro, _ := r.Execute(plan)
//	_ = roll.Write("pki-2", ro)
package roll

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/iotcert/iotcert/internal/certder"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// The reasons a rollover is refused, for errors.Is. Nothing is written
// when a rollover is refused.
var (
	// ErrKeyMismatch: the key does not belong to the certificate.
	ErrKeyMismatch = errors.New("the key does not belong to the certificate")
	// ErrNotRoot: the old root is not a self-signed CA certificate.
	ErrNotRoot = errors.New("not a self-signed CA certificate")
	// ErrSubject: a name is wrong: an empty new name, a new name that is
	// another CA's, or a CA to re-sign that the old root did not issue.
	ErrSubject = errors.New("wrong subject")
	// ErrValidity: the new root's validity does not overlap the old
	// root's, or ends before it.
	ErrValidity = errors.New("the new root's validity does not overlap the old root's")
)

// CA is a CA certificate with a signer for its key, read from a directory
// that "iotcert gen hierarchy" wrote: the old root, or a subordinate CA to
// re-sign.
type CA struct {
	// Name is the CA's name: the base name of its directory.
	Name string
	// Cert is the CA certificate.
	Cert *x509.Certificate
	// Signer signs with the CA's key.
	Signer crypto.Signer
	// KeyRef is how the key is kept: the absolute path of the key file
	// (key.pem, or the file key.ref names), or the URI in key.ref (a
	// pkcs11: URI).
	KeyRef string
}

// LoadCA reads DIR/cert.pem and opens the key of DIR/key.pem, or the one
// DIR/key.ref names, with kb. A key that does not belong to the
// certificate is an error wrapping ErrKeyMismatch.
//
// DIR is read as "iotcert gen device" reads a CA's directory below
// --out (openCADir): the directory holding it is taken as named, DIR
// itself must not be a symbolic link, and it is opened once; cert.pem,
// key.ref and key.pem are opened relative to it, never through a link,
// and read through the descriptors that were checked. A link is refused
// with an error that names it.
func LoadCA(dir string, kb keys.Backend) (*CA, error) {
	d, name, err := openCADir(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	cert, err := store.ReadCertIn(d, store.CertFile)
	if err != nil {
		return nil, err
	}
	signer, ref, err := keys.OpenInDir(d, kb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if !keys.IsPKCS11URI(ref) {
		if ref, err = filepath.Abs(ref); err != nil {
			return nil, err
		}
	}
	ca := &CA{Name: name, Cert: cert, Signer: signer, KeyRef: ref}
	if err := ca.checkKey(); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return ca, nil
}

// LoadOldRoot is LoadCA for the root being replaced: the certificate must
// be a self-signed CA certificate (ErrNotRoot).
func LoadOldRoot(dir string, kb keys.Backend) (*CA, error) {
	ca, err := LoadCA(dir, kb)
	if err != nil {
		return nil, err
	}
	if err := checkRoot(ca.Cert); err != nil {
		return nil, fmt.Errorf("old root %s: %w", filepath.Join(dir, store.CertFile), err)
	}
	return ca, nil
}

func (ca *CA) checkKey() error {
	if ca.Signer == nil || !keys.SamePublicKey(ca.Cert.PublicKey, ca.Signer.Public()) {
		return fmt.Errorf("CA %q: %w (%s is not the key of the certificate %q)", ca.Name, ErrKeyMismatch, ca.KeyRef, ca.Cert.Subject)
	}
	return nil
}

// checkRoot reports an error wrapping ErrNotRoot unless c is a
// self-signed CA certificate.
func checkRoot(c *x509.Certificate) error {
	switch {
	case !c.BasicConstraintsValid || !c.IsCA:
		return fmt.Errorf("%w: %q is not a CA certificate (basicConstraints cA is not TRUE)", ErrNotRoot, c.Subject)
	case !bytes.Equal(c.RawSubject, c.RawIssuer):
		return fmt.Errorf("%w: %q is issued by %q", ErrNotRoot, c.Subject, c.Issuer)
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		return fmt.Errorf("%w: %q is not signed by its own key: %v", ErrNotRoot, c.Subject, err)
	}
	return nil
}

// Roller makes rollovers. Its zero value is not usable: call New.
type Roller struct {
	keys  keys.Backend
	rules *profile.Rules
	now   func() time.Time
	rand  io.Reader
}

// Option configures a Roller.
type Option func(*Roller)

// WithKeys makes the new root's key with kb (default: file keys,
// keys.NewFileKeys). With a backend whose keys stay in a token
// (keys.PKCS11) the new key's reference is written as key.ref in place
// of key.pem. A backend that is also a KeyLabelChecker has the new key's
// label checked by Plan; one that is also a KeyDeleter has the new key
// deleted when Execute fails after making it, and by Discard.
func WithKeys(kb keys.Backend) Option { return func(r *Roller) { r.keys = kb } }

// KeyLabelChecker is implemented by key backends that keep keys under
// labels, such as keys.PKCS11: CheckLabel returns an error if a key
// labelled label exists already, so that a rollover is refused before it
// makes a key.
type KeyLabelChecker interface {
	CheckLabel(label string) error
}

// KeyDeleter is implemented by key backends that keep keys, such as
// keys.PKCS11: Delete deletes the key named by ref, a Ref that Generate
// returned, so that a rollover that fails leaves no key behind.
type KeyDeleter interface {
	Delete(ref string) error
}

// WithRules lints with rules instead of the embedded rules.yaml.
func WithRules(rules *profile.Rules) Option { return func(r *Roller) { r.rules = rules } }

// WithClock sets the clock that gives the new root's notBefore.
func WithClock(now func() time.Time) Option { return func(r *Roller) { r.now = now } }

// WithRandom sets the source of serial numbers (crypto/rand by default).
func WithRandom(rd io.Reader) Option { return func(r *Roller) { r.rand = rd } }

// New returns a Roller.
func New(opts ...Option) (*Roller, error) {
	r := &Roller{now: time.Now, rand: rand.Reader}
	for _, o := range opts {
		o(r)
	}
	if r.rules == nil {
		rules, err := profile.LoadDefault()
		if err != nil {
			return nil, err
		}
		r.rules = rules
	}
	if r.keys == nil {
		kb, err := keys.NewFileKeys()
		if err != nil {
			return nil, err
		}
		r.keys = kb
	}
	return r, nil
}

// Plan is a checked rollover, not yet made: what will be signed and when
// each piece expires.
type Plan struct {
	// Old is the old root.
	Old *CA
	// Spec is the new root's spec.
	Spec *Spec
	// Profile is the pre-issuance lint profile.
	Profile *profile.Profile
	// Subject is the new root's name (DER); the old name when SameName.
	Subject []byte
	// SameName is true when the new root keeps the old root's name, so
	// that the link certificates are self-issued.
	SameName bool
	// NotBefore and NotAfter are the new root's validity; NewWithOld has
	// NotBefore and LinkNotAfter.
	NotBefore, NotAfter time.Time
	// LinkNotAfter is NewWithOld's notAfter: the earlier of the two
	// roots' notAfter (RFC 9810 §4.4.1: not after OldWithOld's).
	LinkNotAfter time.Time
	// Resign are the subordinate CAs to re-issue under the new root.
	Resign []*CA
	// KeyLabel is the label of the new root's key in the key backend:
	// the old root's name and the time of the rollover,
	// "root@20270101T000000Z", so that it differs from the old key's
	// label ("root", as "iotcert gen hierarchy" makes it) and from that of
	// a later rollover.
	KeyLabel string
}

// Plan checks a rollover of old to a root made by spec (nil: DefaultSpec),
// re-issuing the
// CAs of resign under it, and returns what will be made. It refuses (with
// an error wrapping ErrKeyMismatch, ErrNotRoot, ErrSubject or ErrValidity)
// when a key does not match its certificate, old is not a self-signed
// CA, a name is wrong, or the new validity does not overlap the old.
func (r *Roller) Plan(old *CA, spec *Spec, resign ...*CA) (*Plan, error) {
	if old == nil || old.Cert == nil {
		return nil, errors.New("rollover: no old root")
	}
	if spec == nil {
		spec = DefaultSpec(old.Cert, r.now())
	}
	if err := checkRoot(old.Cert); err != nil {
		return nil, fmt.Errorf("old root: %w", err)
	}
	if err := old.checkKey(); err != nil {
		return nil, fmt.Errorf("old root: %w", err)
	}
	p, err := r.rules.Profile(spec.Profile)
	if err != nil {
		return nil, err
	}
	plan := &Plan{Old: old, Spec: spec, Profile: p, Subject: old.Cert.RawSubject, SameName: true}
	if spec.Subject != nil {
		raw, err := spec.Subject.Render(nil)
		if err != nil {
			return nil, fmt.Errorf("new root subject: %w", err)
		}
		if !sameName(raw, old.Cert.RawSubject) {
			plan.Subject, plan.SameName = raw, false
		}
	}
	if bytes.Equal(plan.Subject, []byte{0x30, 0x00}) {
		return nil, fmt.Errorf("new root subject: %w: empty", ErrSubject)
	}
	seen := map[string]bool{}
	for _, ca := range resign {
		if err := r.checkResign(plan, ca); err != nil {
			return nil, err
		}
		if seen[string(ca.Cert.Raw)] {
			return nil, fmt.Errorf("CA %q is given twice", ca.Name)
		}
		seen[string(ca.Cert.Raw)] = true
		plan.Resign = append(plan.Resign, ca)
	}
	plan.NotBefore = r.now().UTC().Truncate(time.Second)
	plan.NotAfter = spec.Validity.NotAfter(plan.NotBefore)
	o := old.Cert
	switch {
	case !plan.NotBefore.Before(o.NotAfter):
		return nil, fmt.Errorf("%w: the old root expired on %s, before the rollover on %s (a device that trusts only it cannot be reached: rollover must happen while it is valid)", ErrValidity, day(o.NotAfter), day(plan.NotBefore))
	case plan.NotBefore.Before(o.NotBefore):
		return nil, fmt.Errorf("%w: the rollover on %s is before the old root's notBefore %s", ErrValidity, day(plan.NotBefore), day(o.NotBefore))
	case !plan.NotAfter.After(o.NotAfter):
		return nil, fmt.Errorf("%w: the new root would expire on %s, not after the old root (%s); give a longer validity", ErrValidity, day(plan.NotAfter), day(o.NotAfter))
	}
	plan.LinkNotAfter = o.NotAfter
	plan.KeyLabel = old.Name + "@" + plan.NotBefore.Format("20060102T150405Z")
	if c, ok := r.keys.(KeyLabelChecker); ok {
		if err := c.CheckLabel(plan.KeyLabel); err != nil {
			return nil, fmt.Errorf("new root key: %w", err)
		}
	}
	return plan, nil
}

func (r *Roller) checkResign(plan *Plan, ca *CA) error {
	if ca == nil || ca.Cert == nil {
		return errors.New("rollover: a CA to re-sign has no certificate")
	}
	if err := ca.checkKey(); err != nil {
		return err
	}
	c, old := ca.Cert, plan.Old.Cert
	switch {
	case !c.BasicConstraintsValid || !c.IsCA:
		return fmt.Errorf("CA %q: %q is not a CA certificate", ca.Name, c.Subject)
	case bytes.Equal(c.Raw, old.Raw) || keys.SamePublicKey(c.PublicKey, old.PublicKey):
		return fmt.Errorf("CA %q: %w: it is the old root, which is not re-signed (the link certificates do that)", ca.Name, ErrSubject)
	case !bytes.Equal(c.RawIssuer, old.RawSubject):
		return fmt.Errorf("CA %q: %w: its issuer %q is not the old root %q; only CAs the old root issued are re-signed", ca.Name, ErrSubject, c.Issuer, old.Subject)
	case bytes.Equal(c.RawSubject, plan.Subject):
		return fmt.Errorf("CA %q: %w: its name %q is the new root's", ca.Name, ErrSubject, c.Subject)
	}
	if err := c.CheckSignatureFrom(old); err != nil {
		return fmt.Errorf("CA %q: %w: not signed by the old root's key: %v", ca.Name, ErrSubject, err)
	}
	return nil
}

// sameName reports whether two DER names are the same name: equal bytes,
// or the same attributes in the same order (a spec that writes the old
// name again keeps the old bytes, so that the links are self-issued).
func sameName(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ra, rb pkix.RDNSequence
	if _, err := asn1.Unmarshal(a, &ra); err != nil {
		return false
	}
	if _, err := asn1.Unmarshal(b, &rb); err != nil {
		return false
	}
	return ra.String() == rb.String()
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// Rollover is a made rollover: the four root and link certificates, the
// new root's key and the re-signed CAs.
type Rollover struct {
	// Plan is the plan it was made from.
	Plan *Plan
	// OldWithOld is the old root.
	OldWithOld *x509.Certificate
	// NewWithNew is the new self-signed root.
	NewWithNew *x509.Certificate
	// NewWithOld is the new public key signed by the old key.
	NewWithOld *x509.Certificate
	// OldWithNew is the old public key signed by the new key.
	OldWithNew *x509.Certificate
	// Key is the new root's key: PEM to publish (0600), or a reference.
	// Never log it.
	Key *keys.Key
	// Resigned are the re-issued subordinate CAs, in the plan's order.
	Resigned []*Resigned
	// Verdicts are the pre-issuance verdicts (warnings and notices only:
	// errors refuse), in signing order.
	Verdicts []Verdict
}

// Resigned is a subordinate CA re-issued under the new root.
type Resigned struct {
	// CA is the CA as it was under the old root.
	CA *CA
	// Cert is its new certificate: same name and key, issued by the new
	// root.
	Cert *x509.Certificate
}

// Verdict is the pre-issuance lint result of one certificate.
type Verdict struct {
	// What names the certificate ("NewWithNew", `CA "device-ca"`).
	What string
	// Result is the lint result.
	Result profile.Result
}

// Execute makes the rollover of plan: a new key, then NewWithNew,
// NewWithOld, OldWithNew and the re-signed CAs, each linted before it is
// signed. A certificate with an error finding is refused with an
// *ldevid.RefusedError and nothing more is signed. It writes nothing:
// publish with Write, and Discard the rollover if that fails.
//
// The new key is made in the key backend only once the rollover has been
// rehearsed with a throwaway key of the same curve in memory, so that
// every refusal of the lint gate comes before it: a refused rollover
// leaves no key in a token. If Execute fails after making the key, it
// deletes the key when the backend is a KeyDeleter.
func (r *Roller) Execute(plan *Plan) (*Rollover, error) {
	files, err := keys.NewFileKeys()
	if err != nil {
		return nil, err
	}
	scratch, err := files.Generate(plan.KeyLabel+" (rehearsal)", plan.Spec.Curve)
	if err != nil {
		return nil, err
	}
	if _, err := r.execute(plan, scratch); err != nil {
		return nil, err
	}
	key, err := r.keys.Generate(plan.KeyLabel, plan.Spec.Curve)
	if err != nil {
		return nil, err
	}
	ro, err := r.execute(plan, key)
	if err != nil {
		if derr := r.deleteKey(key); derr != nil {
			err = errors.Join(err, derr)
		}
		return nil, err
	}
	return ro, nil
}

// Discard deletes the new root's key of ro, a rollover that Execute made
// and that is not to be published (Write failed): a key kept in the
// backend (a token) that no key.ref names would be left there for good.
// Keys of a backend that is not a KeyDeleter, and file keys (which exist
// only in ro until Write), are left to the garbage collector.
func (r *Roller) Discard(ro *Rollover) error {
	if ro == nil {
		return nil
	}
	return r.deleteKey(ro.Key)
}

func (r *Roller) deleteKey(key *keys.Key) error {
	d, ok := r.keys.(KeyDeleter)
	if !ok || key == nil || key.Ref == "" {
		return nil
	}
	if err := d.Delete(key.Ref); err != nil {
		return fmt.Errorf("the new root key %s was not deleted: %w", keys.RedactURI(key.Ref), err)
	}
	return nil
}

// execute signs the rollover of plan with key as the new root's key.
func (r *Roller) execute(plan *Plan, key *keys.Key) (*Rollover, error) {
	newPub := key.Signer.Public()
	newSKI, err := keys.SubjectKeyID(newPub)
	if err != nil {
		return nil, fmt.Errorf("new root key: %w", err)
	}
	old := plan.Old.Cert
	oldSKI := old.SubjectKeyId
	if len(oldSKI) == 0 {
		if oldSKI, err = keys.SubjectKeyID(old.PublicKey); err != nil {
			return nil, fmt.Errorf("old root key: %w", err)
		}
	}
	ro := &Rollover{Plan: plan, OldWithOld: old, Key: key}

	nwn, err := r.caTemplate(plan.Subject, plan.NotBefore, plan.NotAfter, newSKI, newSKI)
	if err != nil {
		return nil, err
	}
	if ro.NewWithNew, err = r.sign(ro, "NewWithNew", plan.Profile, nwn, nil, newPub, key.Signer); err != nil {
		return nil, err
	}
	nwo, err := r.caTemplate(plan.Subject, plan.NotBefore, plan.LinkNotAfter, newSKI, oldSKI)
	if err != nil {
		return nil, err
	}
	if ro.NewWithOld, err = r.sign(ro, "NewWithOld", plan.Profile, nwo, old, newPub, plan.Old.Signer); err != nil {
		return nil, err
	}
	own, err := r.caTemplate(old.RawSubject, old.NotBefore, old.NotAfter, oldSKI, newSKI)
	if err != nil {
		return nil, err
	}
	if ro.OldWithNew, err = r.sign(ro, "OldWithNew", plan.Profile, own, ro.NewWithNew, old.PublicKey, key.Signer); err != nil {
		return nil, err
	}
	for _, ca := range plan.Resign {
		tmpl, err := r.resignTemplate(ca.Cert, plan, newSKI)
		if err != nil {
			return nil, err
		}
		c, err := r.sign(ro, fmt.Sprintf("CA %q", ca.Name), plan.Profile, tmpl, ro.NewWithNew, ca.Cert.PublicKey, key.Signer)
		if err != nil {
			return nil, err
		}
		ro.Resigned = append(ro.Resigned, &Resigned{CA: ca, Cert: c})
	}
	return ro, nil
}

// caTemplate is a root or link certificate: cA=TRUE (critical), no
// pathLenConstraint, keyUsage keyCertSign and cRLSign (critical), the
// given key identifiers.
func (r *Roller) caTemplate(subject []byte, nb, na time.Time, ski, aki []byte) (*x509.Certificate, error) {
	serial, err := certder.RandomSerial(r.rand)
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		RawSubject:            subject,
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            -1,
		SubjectKeyId:          ski,
		AuthorityKeyId:        aki,
	}, nil
}

// ResignNotAfter is the notAfter of the CA certificate c re-signed under
// the new root: c's own, or the spec's resign_validity from the rollover,
// and at most the new root's.
func (p *Plan) ResignNotAfter(c *x509.Certificate) time.Time {
	na := c.NotAfter
	if v := p.Spec.ResignValidity; v != nil {
		na = v.NotAfter(p.NotBefore)
	}
	if na.After(p.NotAfter) {
		na = p.NotAfter
	}
	return na
}

// resignTemplate re-issues the subordinate CA c under the new root: same
// name, key, key identifier, keyUsage, extendedKeyUsage, basic
// constraints, policies, name constraints and revocation pointers; a new
// serial; notBefore the rollover, notAfter ResignNotAfter.
func (r *Roller) resignTemplate(c *x509.Certificate, plan *Plan, newSKI []byte) (*x509.Certificate, error) {
	serial, err := certder.RandomSerial(r.rand)
	if err != nil {
		return nil, err
	}
	na := plan.ResignNotAfter(c)
	t := &x509.Certificate{
		SerialNumber:                serial,
		RawSubject:                  c.RawSubject,
		NotBefore:                   plan.NotBefore,
		NotAfter:                    na,
		KeyUsage:                    c.KeyUsage,
		ExtKeyUsage:                 c.ExtKeyUsage,
		UnknownExtKeyUsage:          c.UnknownExtKeyUsage,
		BasicConstraintsValid:       c.BasicConstraintsValid,
		IsCA:                        c.IsCA,
		MaxPathLen:                  c.MaxPathLen,
		MaxPathLenZero:              c.MaxPathLenZero,
		SubjectKeyId:                c.SubjectKeyId,
		AuthorityKeyId:              newSKI,
		Policies:                    c.Policies,
		PolicyIdentifiers:           c.PolicyIdentifiers,
		PermittedDNSDomainsCritical: c.PermittedDNSDomainsCritical,
		PermittedDNSDomains:         c.PermittedDNSDomains,
		ExcludedDNSDomains:          c.ExcludedDNSDomains,
		PermittedIPRanges:           c.PermittedIPRanges,
		ExcludedIPRanges:            c.ExcludedIPRanges,
		PermittedEmailAddresses:     c.PermittedEmailAddresses,
		ExcludedEmailAddresses:      c.ExcludedEmailAddresses,
		PermittedURIDomains:         c.PermittedURIDomains,
		ExcludedURIDomains:          c.ExcludedURIDomains,
		CRLDistributionPoints:       c.CRLDistributionPoints,
		OCSPServer:                  c.OCSPServer,
		IssuingCertificateURL:       c.IssuingCertificateURL,
	}
	if !c.MaxPathLenZero && c.MaxPathLen == 0 {
		t.MaxPathLen = -1
	}
	return t, nil
}

// sign lints tmpl with p, refuses it on an error finding, signs it for
// real and checks that the signed TBSCertificate is the linted one.
func (r *Roller) sign(ro *Rollover, what string, p *profile.Profile, tmpl, issuer *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, error) {
	pre, err := p.LintTemplate(tmpl, issuer, pub)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if pre.Result.Worst() >= profile.Error {
		var errs []profile.Finding
		for _, f := range pre.Result.Findings {
			if f.Level >= profile.Error {
				errs = append(errs, f)
			}
		}
		return nil, &ldevid.RefusedError{What: what, Profile: p.Name, Findings: errs}
	}
	parent := issuer
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, fmt.Errorf("%s: signing: %w", what, err)
	}
	if err := pre.Matches(der); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%s: parsing the signed certificate: %w", what, err)
	}
	ro.Verdicts = append(ro.Verdicts, Verdict{What: what, Result: pre.Result})
	return c, nil
}
