// Package ldevid issues IEEE 802.1AR device identities (IDevIDs and
// LDevIDs) and the CA hierarchy above them, from a YAML hierarchy spec,
// with every certificate linted by an iotcert profile before it is signed.
//
//	spec, _ := ldevid.ReadSpec("hierarchy.yaml")
//	h, _ := ldevid.New(spec)                      // file keys, the spec's rules
//	cas, _ := h.CreateCAs()                       // root first; publish with store.WriteCA
//	dev, _ := h.IssueDevice(ldevid.Request{Device: "sensor", ID: "1234"})
//
// A certificate that would carry an error-level finding of its profile is
// not signed: the error is a *RefusedError listing the findings. A
// Hierarchy is safe for concurrent use once its CAs are created or added,
// so that batch issuance is a loop (or a pool of goroutines) over
// IssueDevice; package batch is that pool, publishing through package
// store.
// Keys are made and opened by a keys.Backend (WithKeys; PEM files by
// default).
package ldevid

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/certder"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// Hierarchy issues the certificates of a Spec.
type Hierarchy struct {
	spec     *Spec
	rules    *profile.Rules
	profiles map[string]*profile.Profile
	keys     keys.Backend
	now      func() time.Time
	clockSet bool // WithClock: the pre-issuance lints judge at now() too
	rand     io.Reader

	mu        sync.RWMutex
	cas       map[string]*CA
	chainPEMs map[string][]byte         // PEM of Chain(name), made once per CA
	checks    map[string]signatureCheck // by issuer SubjectPublicKeyInfo
}

// Option configures a Hierarchy.
type Option func(*Hierarchy)

// withRules lints with rules instead of the embedded rules.yaml and the
// spec's rules file.
func withRules(rules *profile.Rules) Option { return func(h *Hierarchy) { h.rules = rules } }

// WithKeys makes and opens keys with kb instead of PEM files (keys.NewFileKeys).
func WithKeys(kb keys.Backend) Option { return func(h *Hierarchy) { h.keys = kb } }

// WithClock sets the clock that gives notBefore (time.Now by default),
// and the time the pre-issuance lints judge at.
func WithClock(now func() time.Time) Option {
	return func(h *Hierarchy) { h.now, h.clockSet = now, true }
}

// New returns a Hierarchy for spec. It loads the rules (the embedded
// rules.yaml and the spec's rules file) and checks that every lint
// profile the spec names exists and that each device profile's kind
// agrees with its lint profile's device kind.
func New(spec *Spec, opts ...Option) (*Hierarchy, error) {
	h := &Hierarchy{spec: spec, now: time.Now, rand: rand.Reader, cas: map[string]*CA{}, profiles: map[string]*profile.Profile{}}
	for _, o := range opts {
		o(h)
	}
	if h.rules == nil {
		var files []profile.RulesFile
		if p := spec.rulesPath(); p != "" {
			data, err := boundedread.ReadFile(p, boundedread.Config)
			if err != nil {
				return nil, fmt.Errorf("%s: rules: %w", spec.Name, err)
			}
			files = append(files, profile.RulesFile{Name: p, Data: data})
		}
		if spec.inlineRules.Data != nil {
			files = append(files, spec.inlineRules)
		}
		rules, err := profile.Load(files...)
		if err != nil {
			return nil, err
		}
		h.rules = rules
	}
	if h.keys == nil {
		kb, err := keys.NewFileKeys()
		if err != nil {
			return nil, err
		}
		h.keys = kb
	}
	lookup := func(name string, line int, what string) (*profile.Profile, error) {
		if p, ok := h.profiles[name]; ok {
			return p, nil
		}
		p, err := h.rules.Profile(name)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %s: %w", spec.Name, line, what, err)
		}
		h.profiles[name] = p
		return p, nil
	}
	for _, c := range spec.CAs {
		if _, err := lookup(c.Profile, c.line, fmt.Sprintf("CA %q", c.Name)); err != nil {
			return nil, err
		}
	}
	for _, d := range spec.Devices {
		p, err := lookup(d.Profile, d.line, fmt.Sprintf("device profile %q", d.Name))
		if err != nil {
			return nil, err
		}
		if p.Device != "" && string(p.Device) != string(d.kind) {
			return nil, fmt.Errorf("%s: line %d: device profile %q is kind %s, but lint profile %q lints %ss", spec.Name, d.line, d.Name, d.kind, p.Name, p.Device)
		}
	}
	return h, nil
}

// Spec returns the hierarchy's spec.
func (h *Hierarchy) Spec() *Spec { return h.spec }

// Keys returns the keys.Backend that makes and opens the hierarchy's keys.
func (h *Hierarchy) Keys() keys.Backend { return h.keys }

// Now returns the hierarchy's time (WithClock; time.Now by default).
func (h *Hierarchy) Now() time.Time { return h.now() }

// Profile returns the compiled lint profile called name (one the spec
// names, or any of the rules).
func (h *Hierarchy) Profile(name string) (*profile.Profile, error) {
	if p, ok := h.profiles[name]; ok {
		return p, nil
	}
	return h.rules.Profile(name)
}

// CA is a certification authority of a Hierarchy: its certificate and a
// signer for its key.
type CA struct {
	// Spec is the CA's entry in the spec.
	Spec *CASpec
	// Cert is the CA certificate.
	Cert *x509.Certificate
	// Signer signs with the CA's key; nil for a CA added without its key
	// (offline), which signs nothing.
	Signer crypto.Signer
	// Key is the key material to publish, when CreateCA made the key; nil
	// for a CA added with addCA.
	Key *keys.Key
	// Result is the CA certificate's pre-issuance verdict (warnings and
	// notices only: errors refuse); zero for an added CA.
	Result profile.Result
}

// CA returns the created or added CA called name, or nil.
func (h *Hierarchy) CA(name string) *CA {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.cas[name]
}

// Chain returns the certificates from the CA called name up to and
// including its root.
func (h *Hierarchy) Chain(name string) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for n := name; n != ""; {
		ca := h.CA(n)
		if ca == nil {
			return nil, fmt.Errorf("CA %q is not loaded", n)
		}
		chain = append(chain, ca.Cert)
		n = ca.Spec.Parent
	}
	return chain, nil
}

// CreateCAs creates every CA of the spec, parents first: a new key, a
// certificate linted before signing with the CA's profile, signed by the
// parent (or self-signed). It stops at the first refusal or error.
func (h *Hierarchy) CreateCAs() ([]*CA, error) {
	var out []*CA
	for _, c := range h.spec.CAs {
		ca, err := h.CreateCA(c.Name)
		if err != nil {
			return out, err
		}
		out = append(out, ca)
	}
	return out, nil
}

// CreateCA creates the CA called name; its parent must be created or
// added already.
func (h *Hierarchy) CreateCA(name string) (*CA, error) {
	cs := h.spec.CA(name)
	if cs == nil {
		return nil, fmt.Errorf("CA %q is not in the spec", name)
	}
	var parent *CA
	if cs.Parent != "" {
		if parent = h.CA(cs.Parent); parent == nil {
			return nil, fmt.Errorf("CA %q: its parent %q is not loaded", name, cs.Parent)
		}
		if parent.Signer == nil {
			return nil, fmt.Errorf("CA %q: the key of its parent %q is not loaded", name, cs.Parent)
		}
	}
	key, err := h.keys.Generate(name, cs.curve)
	if err != nil {
		return nil, err
	}
	return h.createCA(cs, parent, key)
}

// CreateCAWithKey creates the CA called name like CreateCA, with the key
// of signer instead of a new one: the key a stopped run made and kept
// (key.pem or key.ref) before it wrote the certificate. The CA's Key is
// nil, so that store.WriteCA writes only its certificate.
func (h *Hierarchy) CreateCAWithKey(name string, signer crypto.Signer) (*CA, error) {
	cs := h.spec.CA(name)
	if cs == nil {
		return nil, fmt.Errorf("CA %q is not in the spec", name)
	}
	var parent *CA
	if cs.Parent != "" {
		if parent = h.CA(cs.Parent); parent == nil {
			return nil, fmt.Errorf("CA %q: its parent %q is not loaded", name, cs.Parent)
		}
		if parent.Signer == nil {
			return nil, fmt.Errorf("CA %q: the key of its parent %q is not loaded", name, cs.Parent)
		}
	}
	if got := keys.Describe(signer.Public()); got != string(cs.curve) {
		return nil, fmt.Errorf("CA %q: the kept key is %s; the spec says %s", name, got, cs.curve)
	}
	ca, err := h.createCA(cs, parent, &keys.Key{Signer: signer})
	if err != nil {
		return nil, err
	}
	ca.Key = nil
	return ca, nil
}

// createCA signs the certificate of the CA cs for key under parent (nil:
// self-signed) and adds the CA.
func (h *Hierarchy) createCA(cs *CASpec, parent *CA, key *keys.Key) (*CA, error) {
	name := cs.Name
	rawSubject, err := cs.Subject.Render(nil)
	if err != nil {
		return nil, fmt.Errorf("CA %q: %w", name, err)
	}
	serial, err := certder.RandomSerial(h.rand)
	if err != nil {
		return nil, err
	}
	pub := key.Signer.Public()
	ski, err := keys.SubjectKeyID(pub)
	if err != nil {
		return nil, fmt.Errorf("CA %q: %w", name, err)
	}
	nb := h.notBefore()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		RawSubject:            rawSubject,
		NotBefore:             nb,
		NotAfter:              cs.validity.NotAfter(nb),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          ski,
	}
	if cs.pathLen != nil {
		tmpl.MaxPathLen = *cs.pathLen
		tmpl.MaxPathLenZero = *cs.pathLen == 0
	} else {
		tmpl.MaxPathLen = -1
	}
	var issuerCert *x509.Certificate
	signer := key.Signer
	if parent == nil {
		tmpl.AuthorityKeyId = ski
	} else {
		if cs.keyUsage == 0 {
			// A subordinate CA also signs (OCSP responses, device attestations).
			tmpl.KeyUsage |= x509.KeyUsageDigitalSignature
		}
		issuerCert, signer = parent.Cert, parent.Signer
	}
	if cs.keyUsage != 0 {
		tmpl.KeyUsage = cs.keyUsage
	}
	cert, res, err := h.sign(fmt.Sprintf("CA %q", name), cs.Profile, tmpl, issuerCert, pub, signer)
	if err != nil {
		return nil, err
	}
	ca := &CA{Spec: cs, Cert: cert, Signer: key.Signer, Key: key, Result: res}
	h.mu.Lock()
	h.cas[name] = ca
	clear(h.chainPEMs)
	h.mu.Unlock()
	return ca, nil
}

// addCA adds the existing CA called name: its certificate and a signer
// for its key (for example opened with the keys.Backend from the files
// store.WriteCA wrote), or nil for a CA whose key is offline: it signs nothing,
// and stands in the chains of the CAs below it. A signer must hold the
// certificate's key, and a subordinate's certificate must be signed by
// its parent, added first.
func (h *Hierarchy) addCA(name string, cert *x509.Certificate, signer crypto.Signer) error {
	cs := h.spec.CA(name)
	if cs == nil {
		return fmt.Errorf("CA %q is not in the spec", name)
	}
	if !cert.IsCA {
		return fmt.Errorf("CA %q: the certificate is not a CA certificate", name)
	}
	if signer != nil && !keys.SamePublicKey(cert.PublicKey, signer.Public()) {
		return fmt.Errorf("CA %q: the key does not belong to the certificate", name)
	}
	if cs.Parent != "" {
		parent := h.CA(cs.Parent)
		if parent == nil {
			return fmt.Errorf("CA %q: its parent %q is not loaded", name, cs.Parent)
		}
		if err := cert.CheckSignatureFrom(parent.Cert); err != nil {
			return fmt.Errorf("CA %q: not issued by its parent %q: %w", name, cs.Parent, err)
		}
	}
	h.mu.Lock()
	h.cas[name] = &CA{Spec: cs, Cert: cert, Signer: signer}
	clear(h.chainPEMs)
	h.mu.Unlock()
	return nil
}

// Request asks for the certificate of one device.
type Request struct {
	// Device is the device profile's name in the spec.
	Device string
	// ID is the device id: {{.id}} in the templates, and the name of the
	// device's directory.
	ID string
	// Fields are the other template fields (the CSV columns of a batch).
	// {{.serial}} is ID unless Fields sets "serial".
	Fields map[string]string
}

// Issued is an issued device certificate.
type Issued struct {
	// ID is the device id.
	ID string
	// Cert is the certificate; Cert.Raw its DER.
	Cert *x509.Certificate
	// key is the device's new key, or nil for a signed CSR.
	key *keys.Key
	// chain is the issuing CA's certificate and those above it, up to and
	// including the root.
	chain []*x509.Certificate
	// Result is the pre-issuance verdict (warnings and notices only).
	Result profile.Result
	// c509 is the natively signed C509 certificate (type 2), when the
	// device profile asks for one (DeviceSpec.C509); nil otherwise.
	c509 []byte

	chainPEM []byte // chain as PEM, shared by the devices of a CA

	// serial and sha256 name Cert as store.CertIdentity does, once
	// computed (identity).
	serial, sha256 string
}

// identity returns the certificate's serial and SHA-256 as
// store.CertIdentity gives them, computed once.
func (i *Issued) identity() (serial, digest string) {
	if i.sha256 == "" {
		i.serial, i.sha256 = store.CertIdentity(i.Cert)
	}
	return i.serial, i.sha256
}

// ChainPEM returns the device certificate followed by the issuing CA's
// chain, as PEM.
func (i *Issued) ChainPEM() []byte {
	return append(store.CertPEM(i.Cert), i.caChainPEM()...)
}

// caChainPEM returns chain as PEM.
func (i *Issued) caChainPEM() []byte {
	if i.chainPEM != nil {
		return i.chainPEM
	}
	var b bytes.Buffer
	for _, c := range i.chain {
		b.Write(store.CertPEM(c))
	}
	return b.Bytes()
}

// WithoutKey returns i without its private key, its chain and its C509
// certificate: what a batch keeps of a device once its key is staged.
func (i *Issued) WithoutKey() *Issued {
	return &Issued{ID: i.ID, Cert: i.Cert, Result: i.Result, serial: i.serial, sha256: i.sha256}
}

// Stored returns what the output directory keeps of the device (see
// store.WriteDevice).
func (i *Issued) Stored() store.Device {
	serial, digest := i.identity()
	return store.Device{ID: i.ID, Cert: i.Cert, Key: i.key, Chain: i.caChainPEM(), C509: i.c509, Serial: serial, SHA256: digest}
}

// ChainPEM returns Chain(name) as PEM.
func (h *Hierarchy) ChainPEM(name string) ([]byte, error) {
	chain, err := h.Chain(name)
	if err != nil {
		return nil, err
	}
	return h.chainPEM(name, chain), nil
}

// chainPEM returns Chain(name) as PEM, encoded once per CA.
func (h *Hierarchy) chainPEM(name string, chain []*x509.Certificate) []byte {
	h.mu.RLock()
	p, ok := h.chainPEMs[name]
	h.mu.RUnlock()
	if ok {
		return p
	}
	var b bytes.Buffer
	for _, c := range chain {
		b.Write(store.CertPEM(c))
	}
	h.mu.Lock()
	if h.chainPEMs == nil {
		h.chainPEMs = map[string][]byte{}
	}
	h.chainPEMs[name] = b.Bytes()
	h.mu.Unlock()
	return b.Bytes()
}

// IssueDevice issues the certificate of one device with a new key.
func (h *Hierarchy) IssueDevice(req Request) (*Issued, error) {
	return h.issueDevice(req, nil, true)
}

// IssueRaw is IssueDevice for a batch: the Issued's Cert may hold only
// Raw, RawTBSCertificate, SerialNumber, NotBefore and NotAfter, which is
// all a batch reads, saving a crypto/x509 parse per device. names, when
// not nil, are the names CheckRequest rendered for the same req (not
// changed since), which are not rendered again; names of another device
// profile or id are an error.
func (h *Hierarchy) IssueRaw(req Request, names *Names) (*Issued, error) {
	return h.issueDevice(req, names, false)
}

// issueDevice is IssueDevice, or IssueRaw without parse; names are
// req's rendered names, or nil to render them.
func (h *Hierarchy) issueDevice(req Request, names *Names, parse bool) (*Issued, error) {
	d, ca, err := h.Device(req.Device)
	if err != nil {
		return nil, err
	}
	if err := store.CheckID(req.ID); err != nil {
		return nil, err
	}
	if names == nil {
		if names, err = h.renderNames(d, req); err != nil {
			return nil, err
		}
	} else if names.device != d || names.id != req.ID {
		return nil, fmt.Errorf("device %q (%s): the names given were rendered for device %q (%s)", req.ID, d.Name, names.id, names.device.Name)
	}
	tmpl, err := h.deviceTemplate(d, req, names)
	if err != nil {
		return nil, err
	}
	key, err := h.keys.Generate("device "+req.ID, d.Curve)
	if err != nil {
		return nil, err
	}
	if err := setSubjectKeyID(d, tmpl, key.Signer.Public()); err != nil {
		return nil, fmt.Errorf("device %q (%s): %w", req.ID, d.Name, err)
	}
	cert, res, err := h.signParsed(fmt.Sprintf("device %q", req.ID), d.Profile, tmpl, ca.Cert, key.Signer.Public(), ca.Signer, parse)
	if err != nil {
		return nil, err
	}
	chain, err := h.Chain(ca.Spec.Name)
	if err != nil {
		return nil, err
	}
	dev := &Issued{ID: req.ID, Cert: cert, key: key, chain: chain, Result: res, chainPEM: h.chainPEM(ca.Spec.Name, chain)}
	if err := signC509(d, ca, dev); err != nil {
		return nil, err
	}
	return dev, nil
}

// DeviceForCA returns the device profile issued by the CA called ca, or
// an error when there is none or more than one.
func (s *Spec) DeviceForCA(ca string) (*DeviceSpec, error) {
	var found []*DeviceSpec
	for _, d := range s.Devices {
		if d.CA == ca {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no device profile of the spec is issued by CA %q", ca)
	}
	var n []string
	for _, d := range found {
		n = append(n, d.Name)
	}
	return nil, fmt.Errorf("CA %q issues several device profiles (%s): name one", ca, strings.Join(n, ", "))
}

// Device returns the device profile called name and its issuing CA, or
// an error when the profile is not in the spec or its CA or the CA's key
// is not loaded.
func (h *Hierarchy) Device(name string) (*DeviceSpec, *CA, error) {
	d := h.spec.Device(name)
	if d == nil {
		return nil, nil, fmt.Errorf("device profile %q is not in the spec", name)
	}
	ca := h.CA(d.CA)
	if ca == nil {
		return nil, nil, fmt.Errorf("device profile %q: its CA %q is not loaded", name, d.CA)
	}
	if ca.Signer == nil {
		return nil, nil, fmt.Errorf("device profile %q: the key of its CA %q is not loaded", name, d.CA)
	}
	return d, ca, nil
}

// fields returns the template fields of req: its Fields, "id", and
// "serial" (ID unless set).
func (req Request) fields() map[string]string {
	f := make(map[string]string, len(req.Fields)+2)
	for k, v := range req.Fields {
		f[k] = v
	}
	f["id"] = req.ID
	if _, ok := f["serial"]; !ok {
		f["serial"] = req.ID
	}
	return f
}

// Names are the subject and subjectAltName of a device certificate
// rendered for a Request (CheckRequest), to issue it with (IssueRaw).
type Names struct {
	device     *DeviceSpec
	id         string
	rawSubject []byte
	san        *pkix.Extension // nil: no subjectAltName
}

// CheckRequest reports the errors IssueDevice would find in req before
// it makes a key: an unknown device profile, a bad id, a subject or
// subjectAltName template that fails for req's fields (a missing field, a
// value outside an attribute's character set, an empty name, an address
// that does not parse). Batch issuance checks every row with it before it
// issues anything. The pre-issuance lint is not run. It returns the names
// it rendered, which IssueRaw takes so as not to render them again.
func (h *Hierarchy) CheckRequest(req Request) (*Names, error) {
	d := h.spec.Device(req.Device)
	if d == nil {
		return nil, fmt.Errorf("device profile %q is not in the spec", req.Device)
	}
	if err := store.CheckID(req.ID); err != nil {
		return nil, err
	}
	return h.renderNames(d, req)
}

// CheckNames checks that c carries the subject and subjectAltName the
// device profile of req renders for it.
func (h *Hierarchy) CheckNames(req Request, c *x509.Certificate) error {
	d := h.spec.Device(req.Device)
	if d == nil {
		return fmt.Errorf("device profile %q is not in the spec", req.Device)
	}
	names, err := h.renderNames(d, req)
	if err != nil {
		return err
	}
	rawSubject, san := names.rawSubject, names.san
	var certSAN []byte
	for _, ext := range c.Extensions {
		if ext.Id.Equal(idevid.OIDSubjectAltName) {
			certSAN = ext.Value
		}
	}
	var wantSAN []byte
	if san != nil {
		wantSAN = san.Value
	}
	if !bytes.Equal(c.RawSubject, rawSubject) || !bytes.Equal(certSAN, wantSAN) {
		return fmt.Errorf("its names (%s) are not those of device %q", subjectString(c.RawSubject), req.ID)
	}
	return nil
}

// renderNames renders the subject and the subjectAltName extension of
// the device profile d for req.
func (h *Hierarchy) renderNames(d *DeviceSpec, req Request) (*Names, error) {
	fields := req.fields()
	fail := func(err error) error { return fmt.Errorf("device %q (%s): %w", req.ID, d.Name, err) }
	rawSubject, err := d.Subject.Render(fields)
	if err != nil {
		return nil, fail(err)
	}
	out := &Names{device: d, id: req.ID, rawSubject: rawSubject}
	var names []idevid.Name
	for _, s := range d.sans {
		n, err := h.renderSAN(s, fields)
		if err != nil {
			return nil, fail(err)
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return out, nil
	}
	ext, err := idevid.SubjectAltName(d.Subject.Empty(), names...)
	if err != nil {
		return nil, fail(err)
	}
	out.san = &ext
	return out, nil
}

// deviceTemplate is the template of the device profile d for req, with
// its rendered names.
func (h *Hierarchy) deviceTemplate(d *DeviceSpec, req Request, names *Names) (*x509.Certificate, error) {
	tmpl, err := h.eeTemplate(d, names.rawSubject)
	if err != nil {
		return nil, fmt.Errorf("device %q (%s): %w", req.ID, d.Name, err)
	}
	if names.san != nil {
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, *names.san)
	}
	return tmpl, nil
}

// setSubjectKeyID gives tmpl the subjectKeyIdentifier of pub when the
// device profile d asks for one.
func setSubjectKeyID(d *DeviceSpec, tmpl *x509.Certificate, pub crypto.PublicKey) error {
	if !d.subjectKeyID {
		return nil
	}
	ski, err := keys.SubjectKeyID(pub)
	if err != nil {
		return fmt.Errorf("subjectKeyIdentifier: %w", err)
	}
	tmpl.SubjectKeyId = ski
	return nil
}

// eeTemplate is the part of a device certificate that does not depend on
// the device: serial, validity, keyUsage digitalSignature (critical),
// extendedKeyUsage, and basicConstraints cA=FALSE when d asks for it.
// crypto/x509 adds the AKI, and no SKI unless setSubjectKeyID sets one
// (the IoT profile forbids one in end entities).
func (h *Hierarchy) eeTemplate(d *DeviceSpec, rawSubject []byte) (*x509.Certificate, error) {
	serial, err := certder.RandomSerial(h.rand)
	if err != nil {
		return nil, err
	}
	nb := h.notBefore()
	tmpl := &x509.Certificate{
		SerialNumber:       serial,
		NotBefore:          nb,
		NotAfter:           d.validity.NotAfter(nb),
		KeyUsage:           x509.KeyUsageDigitalSignature,
		UnknownExtKeyUsage: d.extKeyUsage,
		// cA=FALSE without pathLen (deviceTBS encodes it so).
		BasicConstraintsValid: d.basicConstraints,
	}
	if !bytes.Equal(rawSubject, emptyName) {
		tmpl.RawSubject = rawSubject
	}
	return tmpl, nil
}

var emptyName = []byte{0x30, 0x00}

func (h *Hierarchy) renderSAN(s *sanSpec, fields map[string]string) (idevid.Name, error) {
	v, err := render(s.Value, s.plan, fields)
	if err != nil {
		return nil, fmt.Errorf("san %s: %w", s.Type, err)
	}
	if v == "" {
		return nil, fmt.Errorf("san %s: the template %q gives an empty name", s.Type, s.Value.Root.String())
	}
	switch s.Type {
	case sanDNS:
		return idevid.DNSName(v), nil
	case sanURI:
		return idevid.URI(v), nil
	case sanEmail:
		return idevid.RFC822Name(v), nil
	case sanIP:
		ip := net.ParseIP(v)
		if ip == nil {
			return nil, fmt.Errorf("san ip: %q is not an IP address", v)
		}
		return idevid.IPAddress(ip), nil
	case sanHardwareModuleName:
		return idevid.HardwareModuleName{Type: s.hwType, SerialNumber: []byte(v)}, nil
	case sanMACAddress:
		mac, err := idevid.ParseMAC(v)
		if err != nil {
			return nil, fmt.Errorf("san macaddress: %w", err)
		}
		return idevid.MACAddress{OID: h.spec.macAddressOID, Address: mac}, nil
	}
	return nil, fmt.Errorf("san: unknown type %q", s.Type)
}

// notBefore is the issuance time, to the second: the notBefore of
// IEEE 802.1AR and TCG, which says a device certificate is valid from the
// moment it is issued.
func (h *Hierarchy) notBefore() time.Time {
	return h.now().UTC().Truncate(time.Second)
}

// RefusedError is the refusal to sign a certificate: its pre-issuance
// lint has findings at the error level, or (for a CSR) the request itself
// is not acceptable.
type RefusedError struct {
	// What names the certificate: `CA "root"`, `device "0001"`, `CSR "CN=x"`.
	What string
	// Profile is the lint profile.
	Profile string
	// Reasons are the problems found before linting (a CSR's signature,
	// key or names), in the order checked.
	Reasons []string
	// Findings are the pre-issuance findings at error level or above.
	Findings []profile.Finding
}

// Error lists the reasons and findings, one per line after the first.
func (e *RefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "refused to sign %s (profile %s):", e.What, e.Profile)
	for _, r := range e.Reasons {
		fmt.Fprintf(&b, "\n  %s", r)
	}
	for _, f := range e.Findings {
		fmt.Fprintf(&b, "\n  %s %s: %s", f.Level, f.Lint, f.Details)
	}
	return b.String()
}

// sign lints tmpl with the profile called profileName, refuses it when a
// finding reaches the error level, and otherwise signs it for real and
// checks that the signed TBSCertificate is the linted one.
func (h *Hierarchy) sign(what, profileName string, tmpl, issuer *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, profile.Result, error) {
	return h.signParsed(what, profileName, tmpl, issuer, pub, signer, true)
}

// signParsed is sign; without parse, a certificate signed on the device
// path (signTBS) is returned with only Raw, RawTBSCertificate,
// SerialNumber, NotBefore and NotAfter set.
func (h *Hierarchy) signParsed(what, profileName string, tmpl, issuer *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer, parse bool) (*x509.Certificate, profile.Result, error) {
	p, err := h.Profile(profileName)
	if err != nil {
		return nil, profile.Result{}, err
	}
	if h.clockSet {
		p = p.WithClock(h.now)
	}
	if issuer != nil && fastPathTemplate(tmpl) {
		if alg, ok := signingAlgorithmFor(issuer.PublicKey); ok {
			return h.signTBS(what, p, tmpl, issuer, pub, signer, alg, parse)
		}
	}
	pre, err := p.LintTemplate(tmpl, issuer, pub)
	if err != nil {
		return nil, profile.Result{}, fmt.Errorf("%s: %w", what, err)
	}
	if pre.Result.Worst() >= profile.Error {
		return nil, pre.Result, &RefusedError{What: what, Profile: p.Name, Findings: errorFindings(pre.Result)}
	}
	parent := issuer
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, pre.Result, fmt.Errorf("%s: signing: %w", what, err)
	}
	if err := pre.Matches(der); err != nil {
		return nil, pre.Result, fmt.Errorf("%s: %w", what, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, pre.Result, fmt.Errorf("%s: parsing the signed certificate: %w", what, err)
	}
	return cert, pre.Result, nil
}

// signTBS is sign for a device certificate: it encodes the
// TBSCertificate, lints it, and signs those bytes, so that the signed
// certificate carries exactly the linted TBSCertificate by construction
// (and Matches checks it all the same).
func (h *Hierarchy) signTBS(what string, p *profile.Profile, tmpl, issuer *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer, alg signingAlgorithm, parse bool) (*x509.Certificate, profile.Result, error) {
	if !keys.SamePublicKey(issuer.PublicKey, signer.Public()) {
		return nil, profile.Result{}, fmt.Errorf("%s: the issuer's key does not belong to its certificate", what)
	}
	tbs, err := deviceTBS(tmpl, issuer, pub, alg)
	if err != nil {
		return nil, profile.Result{}, fmt.Errorf("%s: encoding the certificate: %w", what, err)
	}
	pre, err := p.LintTBS(tbs)
	if err != nil {
		return nil, profile.Result{}, fmt.Errorf("%s: %w", what, err)
	}
	if pre.Result.Worst() >= profile.Error {
		return nil, pre.Result, &RefusedError{What: what, Profile: p.Name, Findings: errorFindings(pre.Result)}
	}
	check, err := h.signatureCheck(issuer, signer)
	if err != nil {
		return nil, pre.Result, fmt.Errorf("%s: %w", what, err)
	}
	der, err := signTBS(pre.RawTBSCertificate, alg, check, signer)
	if err != nil {
		return nil, pre.Result, fmt.Errorf("%s: signing: %w", what, err)
	}
	if !parse {
		// der is pre.RawTBSCertificate, the algorithm and the checked
		// signature, by construction (signTBS).
		// deviceTBS wrote the template's serial and validity, in UTC.
		return &x509.Certificate{Raw: der, RawTBSCertificate: pre.RawTBSCertificate, SerialNumber: tmpl.SerialNumber,
			NotBefore: tmpl.NotBefore.UTC(), NotAfter: tmpl.NotAfter.UTC()}, pre.Result, nil
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, pre.Result, fmt.Errorf("%s: parsing the signed certificate: %w", what, err)
	}
	if !bytes.Equal(cert.RawTBSCertificate, pre.RawTBSCertificate) {
		return nil, pre.Result, fmt.Errorf("%s: signed certificate differs from the one linted before signing", what)
	}
	return cert, pre.Result, nil
}

// signatureCheck returns the check of issuer's signatures made by signer,
// made once per issuer key.
func (h *Hierarchy) signatureCheck(issuer *x509.Certificate, signer crypto.Signer) (signatureCheck, error) {
	spki := string(issuer.RawSubjectPublicKeyInfo)
	h.mu.RLock()
	check := h.checks[spki]
	h.mu.RUnlock()
	if check != nil {
		return check, nil
	}
	check, err := newSignatureCheck(issuer.PublicKey, signer)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.checks == nil {
		h.checks = map[string]signatureCheck{}
	}
	h.checks[spki] = check
	h.mu.Unlock()
	return check, nil
}

func errorFindings(r profile.Result) []profile.Finding {
	var out []profile.Finding
	for _, f := range r.Findings {
		if f.Level >= profile.Error {
			out = append(out, f)
		}
	}
	return out
}
