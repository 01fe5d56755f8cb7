package roll

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/strictyaml"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
)

// Spec is what the new root is to be: its key, lifetime, name and the lint
// profile of the pre-issuance gate.
type Spec struct {
	// Curve is the new root's key: P-256, P-384 or Ed25519.
	Curve keys.Curve
	// Validity is the new root's lifetime from its notBefore (the time of
	// the rollover).
	Validity ldevid.Validity
	// Subject is the new root's name; nil keeps the old root's name, byte
	// for byte, so that the link certificates are self-issued (RFC 9810
	// §4.4).
	Subject *ldevid.Subject
	// SubjectText is Subject as written ("" for the old name).
	SubjectText string
	// Profile is the lint profile every new certificate must pass before
	// it is signed (default tls13-iot).
	Profile string
	// ResignValidity, when set, is the lifetime of re-signed CAs from the
	// rollover; unset, a re-signed CA keeps its notAfter. Either way it
	// ends by the new root's notAfter.
	ResignValidity *ldevid.Validity
}

// DefaultSpec is the spec used without a spec file, for a rollover at
// now: the old root's curve (P-256 when the old key is one a spec cannot
// ask for), the old root's name, the tls13-iot profile, and a validity
// that ends one old lifetime after the old root expires (whole days), so
// that the new root outlasts the old one by as long as the old one lived.
func DefaultSpec(old *x509.Certificate, now time.Time) *Spec {
	curve, err := keys.CurveOf(old.PublicKey)
	if err != nil {
		curve = keys.P256
	}
	end := old.NotAfter.Add(old.NotAfter.Sub(old.NotBefore))
	days := int(end.Sub(now).Hours()/24) + 1
	return &Spec{Curve: curve, Validity: ldevid.Validity{Days: max(days, 1)}, Profile: "tls13-iot"}
}

type specFile struct {
	Curve    string `yaml:"curve"`
	Validity string `yaml:"validity"`
	Subject  string `yaml:"subject"`
	Profile  string `yaml:"profile"`
	Resign   string `yaml:"resign_validity"`
}

// ReadSpec reads the rollover spec file path (see LoadSpec).
func ReadSpec(path string) (*Spec, error) {
	data, err := boundedread.ReadFile(path, boundedread.Config)
	if err != nil {
		return nil, fmt.Errorf("rollover spec: %w", err)
	}
	return LoadSpec(path, data)
}

// LoadSpec loads a rollover spec, strictly (unknown keys, keys given
// twice and values of the wrong type are errors with their line):
//
//	curve: P-256                 # P-256 (default), P-384 or Ed25519
//	validity: 20y                # required: 20y, 7300d, ... (not forever)
//	subject: same                # "same" or absent: the old root's name; or "CN=..., O=..., C=..."
//	profile: tls13-iot           # the pre-issuance lint profile (default tls13-iot)
//	resign_validity: 10y         # lifetime of re-signed CAs (default: keep their notAfter)
func LoadSpec(name string, data []byte) (*Spec, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w", name, fmt.Errorf(format, args...))
	}
	top, err := strictyaml.ParseDocument(data)
	if err != nil {
		return nil, fail("%v", err)
	}
	var f specFile
	if err := strictyaml.Decode(top, &f); err != nil {
		return nil, fail("%v", err)
	}
	s := &Spec{Profile: f.Profile}
	if s.Profile == "" {
		s.Profile = "tls13-iot"
	}
	if s.Curve, err = keys.ParseCurve(f.Curve); err != nil {
		return nil, fail("curve: %v", err)
	}
	if f.Validity == "" {
		return nil, fail("validity is required (e.g. 20y)")
	}
	if s.Validity, err = ldevid.ParseValidity(f.Validity); err != nil {
		return nil, fail("%v", err)
	}
	if s.Validity.Forever {
		return nil, fail("validity: a root must expire (RFC 9810 §4.4 plans the next rollover); forever is for IDevIDs")
	}
	if f.Resign != "" {
		v, err := ldevid.ParseValidity(f.Resign)
		if err != nil {
			return nil, fail("resign_validity: %v", err)
		}
		if v.Forever {
			return nil, fail("resign_validity: a CA must expire")
		}
		s.ResignValidity = &v
	}
	switch subj := strings.TrimSpace(f.Subject); subj {
	case "", "same":
	default:
		if s.Subject, err = ldevid.ParseSubject(subj); err != nil {
			return nil, fail("subject: %v", err)
		}
		if s.Subject.Empty() {
			return nil, fail("subject: %w: the new root needs a name", ErrSubject)
		}
		if !s.Subject.Constant() {
			return nil, fail("subject: templates ({{ }}) are not allowed in a root's name")
		}
		s.SubjectText = subj
	}
	return s, nil
}
