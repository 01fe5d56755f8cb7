// Package lints holds iotcert's certificate lints for IoT device PKIs: the
// TLS/DTLS 1.3 IoT profile (draft-ietf-uta-tls13-iot-profile), RFC 7925
// §4.4, IEEE 802.1AR device identities with RFC 8995 (BRSKI) and the TCG
// device identity profile.
//
// Each lint is a zlint v3 CertificateLint in a file of its own, registered
// at init in zlint's global registry under one of the lint sources below,
// and named with zlint's convention: e_ for MUST (error), w_ for SHOULD
// (warn), n_ for informational (notice). Importing the package for its side
// effect is enough to make the lints available to zlint.
//
// A lint applies only to the roles it names (see package role): its
// CheckApplies returns false for certificates of other roles, and the
// lint's roles can be read back with RolesOf.
package lints

import (
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

// The lint sources under which iotcert registers its lints.
const (
	// IoTTLS13 is draft-ietf-uta-tls13-iot-profile, the TLS/DTLS 1.3 IoT
	// profile (the successor of RFC 7925 §4.4).
	IoTTLS13 lint.LintSource = "IoT_TLS13"
	// RFC7925 is the TLS/DTLS 1.2 IoT profile, RFC 7925 §4.4.
	RFC7925 lint.LintSource = "RFC7925"
	// IEEE8021AR is IEEE 802.1AR secure device identity (IDevID/LDevID).
	IEEE8021AR lint.LintSource = "IEEE_8021AR"
	// RFC8995 is BRSKI's additional requirements on IDevIDs.
	RFC8995 lint.LintSource = "RFC8995"
	// TCGDevID is the TCG TPM 2.0 Keys for Device Identity profile.
	TCGDevID lint.LintSource = "TCG_DevID"
	// Matter is the CSA Matter device attestation certificate profile
	// (PAA, PAI, DAC), as the connectedhomeip SDK enforces it.
	Matter lint.LintSource = "Matter"
	// BACnetSC is BACnet Secure Connect (ASHRAE 135 Annex AB) operational
	// certificates.
	BACnetSC lint.LintSource = "BACnet_SC"
)

// Sources returns iotcert's own lint sources.
func Sources() []lint.LintSource {
	return []lint.LintSource{IoTTLS13, RFC7925, IEEE8021AR, RFC8995, TCGDevID, Matter, BACnetSC}
}

// Roled is implemented by every iotcert lint instance: it names the roles
// the lint applies to.
type Roled interface {
	Roles() role.Set
}

// RolesOf returns the roles that the registered lint l applies to. zlint's
// own lints, which know nothing of roles, apply to every certificate.
func RolesOf(l *lint.CertificateLint) role.Set {
	if r, ok := l.Lint().(Roled); ok {
		return r.Roles()
	}
	return role.AllSet
}

// register is the one way a lint of this package is registered: it
// registers the lint described by meta, applying to roles, whose instances
// newLint returns. newLint is a lint type's constructor
// (func() lint.CertificateLintInterface { return &myLint{} }), or one of
// the constructors of the two common shapes: funcLint (a condition and a
// check given as functions) and zlintDelegate (zlint lints run under an
// iotcert name). Instances that implement lint.Configurable or Clocked keep
// doing so.
func register(meta lint.LintMetadata, roles role.Set, newLint func() lint.CertificateLintInterface) {
	lint.RegisterCertificateLint(&lint.CertificateLint{
		LintMetadata: meta,
		Lint: func() lint.CertificateLintInterface {
			inner := newLint()
			g := roleGate{roles: roles, inner: inner}
			conf, configurable := inner.(lint.Configurable)
			clocked, isClocked := inner.(Clocked)
			switch {
			case configurable && isClocked:
				panic("lints: " + meta.Name + ": a lint cannot be both configurable and clocked yet")
			case configurable:
				return &configurableGate{roleGate: g, configurable: conf}
			case isClocked:
				return &clockedGate{roleGate: g, clocked: clocked}
			}
			return &g
		},
	})
}

// funcLint returns the constructor of a lint given by two functions: the
// condition of its own under which it applies (nil: always, within the
// roles it is registered for) and the check.
func funcLint(applies func(*x509.Certificate) bool, check func(*x509.Certificate) *lint.LintResult) func() lint.CertificateLintInterface {
	return func() lint.CertificateLintInterface { return &fnLint{applies: applies, check: check} }
}

// fnLint is the lint funcLint makes.
type fnLint struct {
	applies func(c *x509.Certificate) bool
	check   func(c *x509.Certificate) *lint.LintResult
}

func (l *fnLint) CheckApplies(c *x509.Certificate) bool { return l.applies == nil || l.applies(c) }

func (l *fnLint) Execute(c *x509.Certificate) *lint.LintResult { return l.check(c) }

// roleGate restricts a lint to the roles it was registered for.
type roleGate struct {
	roles role.Set
	inner lint.CertificateLintInterface
	// as, when set (hasAs), is the role the certificate is linted in
	// instead of the one role.Of infers (see RoleAssignable).
	as    role.Role
	hasAs bool
}

// RoleAssignable is implemented by the lints of this package: AssignRole
// makes the lint judge the next certificate as one in the role base,
// whatever its basicConstraints say (a Matter DAC known by its place in
// the chain, say, though it claims cA=TRUE).
type RoleAssignable interface {
	AssignRole(base role.Role)
}

func (g *roleGate) Roles() role.Set { return g.roles }

// AssignRole implements RoleAssignable.
func (g *roleGate) AssignRole(base role.Role) { g.as, g.hasAs = base, true }

func (g *roleGate) CheckApplies(c *x509.Certificate) bool {
	base := role.Of(c)
	if g.hasAs {
		base = g.as
	}
	return g.roles.ContainsBase(base) && g.inner.CheckApplies(c)
}

func (g *roleGate) Execute(c *x509.Certificate) *lint.LintResult {
	return g.inner.Execute(c)
}

// configurableGate is a roleGate over a lint.Configurable lint.
type configurableGate struct {
	roleGate
	configurable lint.Configurable
}

func (g *configurableGate) Configure() interface{} { return g.configurable.Configure() }

// clockedGate is a roleGate over a Clocked lint.
type clockedGate struct {
	roleGate
	clocked Clocked
}

func (g *clockedGate) SetNow(t time.Time) { g.clocked.SetNow(t) }
