package lints

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_all_spki_curve",
		Description: "An elliptic-curve subject public key must be on secp256r1 (P-256), secp384r1 (P-384) or secp521r1 (P-521), the curves TLS 1.3 defines ECDSA signature schemes for; " +
			"the parameter curves narrows the list (default P-256, P-384, P-521).",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.6 (RFC 8446 §4.2.3)",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSPKICurve{Curves: slices.Clone(defaultCurves)} })
}

// defaultCurves are the curves e_iot_all_spki_curve allows by default:
// every curve in curveNames, sorted.
var defaultCurves = sortedCurveNames()

// allSPKICurve takes the curves allowed, by name: P-256, P-384, P-521.
type allSPKICurve struct {
	Curves []string `yaml:"curves" toml:"curves"`
}

func (l *allSPKICurve) Configure() any { return l }

// Validate rejects an empty list and curve names other than P-256, P-384
// and P-521.
func (l *allSPKICurve) Validate() error {
	if len(l.Curves) == 0 {
		return errors.New("curves: name at least one curve")
	}
	for _, name := range l.Curves {
		if _, ok := curveNames[name]; !ok {
			return fmt.Errorf("curves: unknown curve %q (allowed: %s)", name, strings.Join(sortedCurveNames(), ", "))
		}
	}
	return nil
}

// CheckApplies holds for elliptic-curve keys with a named curve, and for
// keys that do not decode (Execute reports those).
func (l *allSPKICurve) CheckApplies(c *x509.Certificate) bool {
	k, err := subjectPublicKey(c)
	return err != nil || k.Curve != nil
}

func (l *allSPKICurve) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	for _, name := range l.Curves {
		if oid, ok := curveNames[name]; ok && oid.Equal(k.Curve) {
			return pass()
		}
	}
	return failf(lint.Error, "curve %s is not allowed: not one of %s", curveName(k.Curve), strings.Join(l.Curves, ", "))
}
