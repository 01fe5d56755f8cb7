// Package role says what a certificate is within an IoT device PKI: a root
// CA, a subordinate CA, a root key rollover link certificate or an end
// entity, and for end entities which kind of IEEE 802.1AR device identity
// (IDevID or LDevID) a profile takes it to be.
//
// The base role is inferred from the certificate alone (see Of). Whether an
// end entity is an IDevID or an LDevID cannot be read from the certificate
// (rules catalogue, ambiguity A19); it is chosen by the profile and applied
// with Refine.
package role

import (
	"bytes"
	"strings"

	"github.com/zmap/zcrypto/x509"
)

// Role is the position of a certificate in a device PKI.
type Role uint8

// The roles. Unknown is the zero value, used for inputs that are not
// certificates.
const (
	Unknown Role = iota
	// Root is a self-issued CA certificate: a trust anchor.
	Root
	// Subordinate is a CA certificate issued by another CA.
	Subordinate
	// EndEntity is a device certificate whose 802.1AR kind is not known.
	EndEntity
	// IDevID is an end entity taken to be a factory-installed initial
	// device identity (IEEE 802.1AR).
	IDevID
	// LDevID is an end entity taken to be an operator-issued locally
	// significant device identity (IEEE 802.1AR).
	LDevID
	// Link is a root key rollover link certificate (NewWithOld or
	// OldWithNew, RFC 9810 §4.4): a CA certificate that certifies one root
	// key with another. From one certificate alone only the self-issued
	// kind (same subject and issuer, signed by another key) can be told
	// from a root (see Of); chain building (package bundle) finds the
	// others.
	Link
)

var names = [...]string{"unknown", "root", "subordinate", "end-entity", "idevid", "ldevid", "link"}

// String returns the role's name as used in rules.yaml and in reports.
func (r Role) String() string {
	if int(r) < len(names) {
		return names[r]
	}
	return "unknown"
}

// Parse returns the role with the given name (as returned by String).
func Parse(name string) (Role, bool) {
	for i, n := range names {
		if n == name && i != int(Unknown) {
			return Role(i), true
		}
	}
	return Unknown, false
}

// IsEndEntity reports whether r is an end entity of any kind.
func (r Role) IsEndEntity() bool {
	return r == EndEntity || r == IDevID || r == LDevID
}

// Of infers the base role of c: Root, Link, Subordinate or EndEntity. A
// certificate is a CA when basicConstraints says cA=TRUE, or when it has no
// basicConstraints but asserts keyCertSign (a CA certificate that breaks
// the profile is still judged as a CA). A CA is a root when it is
// self-issued: its subject and issuer names are equal; except that a
// self-issued CA certificate whose authorityKeyIdentifier and
// subjectKeyIdentifier are both present and differ, and whose own key
// does not verify its signature, is a Link: the NewWithOld or OldWithNew
// certificate of a root key rollover that keeps the root's name (RFC 9810
// §4.4). Root-only rules such as "AKI equals SKI" contradict RFC 9810 for
// those. A root whose identifiers differ but which is self-signed stays a
// Root, so that the root rules still find its mistake.
func Of(c *x509.Certificate) Role {
	if !isCA(c) {
		return EndEntity
	}
	if bytes.Equal(c.RawSubject, c.RawIssuer) {
		if selfIssuedLink(c) {
			return Link
		}
		return Root
	}
	return Subordinate
}

// selfIssuedLink reports whether the self-issued CA certificate c is
// signed by another key, as its key identifiers say and its signature
// confirms.
func selfIssuedLink(c *x509.Certificate) bool {
	if len(c.AuthorityKeyId) == 0 || len(c.SubjectKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId) {
		return false
	}
	return c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil
}

func isCA(c *x509.Certificate) bool {
	if c.BasicConstraintsValid {
		return c.IsCA
	}
	return c.KeyUsage&x509.KeyUsageCertSign != 0
}

// Device is the kind of end entity a profile is written for.
type Device string

// The device kinds a profile can name.
const (
	// AnyDevice applies only the rules common to IDevIDs and LDevIDs.
	AnyDevice Device = ""
	// IDevIDDevice treats every end entity as an IDevID.
	IDevIDDevice Device = "idevid"
	// LDevIDDevice treats every end entity as an LDevID.
	LDevIDDevice Device = "ldevid"
)

// Refine turns the base role r into the role a profile written for device d
// gives it: an EndEntity becomes IDevID or LDevID; other roles are kept.
func Refine(r Role, d Device) Role {
	if r != EndEntity {
		return r
	}
	switch d {
	case IDevIDDevice:
		return IDevID
	case LDevIDDevice:
		return LDevID
	}
	return r
}

// Set is a set of roles that a lint applies to.
type Set uint8

// Sets of one role, and the usual unions.
const (
	RootSet        Set = 1 << Root
	SubordinateSet Set = 1 << Subordinate
	// EndEntitySet applies to every end entity, whatever its device kind.
	EndEntitySet Set = 1 << EndEntity
	// IDevIDSet applies to end entities only under an IDevID profile.
	IDevIDSet Set = 1 << IDevID
	// LDevIDSet applies to end entities only under an LDevID profile.
	LDevIDSet Set = 1 << LDevID
	// LinkSet applies to root key rollover link certificates.
	LinkSet Set = 1 << Link
	// CASet is every CA certificate.
	CASet = RootSet | SubordinateSet | LinkSet
	// AllSet is every certificate of a device PKI.
	AllSet = CASet | EndEntitySet
)

// Contains reports whether a certificate of role r is in s. An IDevID or
// LDevID is in s when s holds that kind or any end entity; a plain
// EndEntity (device kind unknown) is in s only when s holds every end
// entity, so that kind-specific rules are not applied on a guess.
func (s Set) Contains(r Role) bool {
	if s&(1<<r) != 0 {
		return true
	}
	return (r == IDevID || r == LDevID) && s&EndEntitySet != 0
}

// ContainsBase reports whether a certificate whose role inferred from the
// certificate alone is base could be in s under some profile. Lints use it
// in CheckApplies, where the profile's device kind is not known.
func (s Set) ContainsBase(base Role) bool {
	if base.IsEndEntity() {
		return s&(EndEntitySet|IDevIDSet|LDevIDSet) != 0
	}
	return s.Contains(base)
}

// Roles returns the roles in s, in the order of their declaration.
func (s Set) Roles() []Role {
	var out []Role
	for r := Root; r <= Link; r++ {
		if s&(1<<r) != 0 {
			out = append(out, r)
		}
	}
	return out
}

// String returns the set as a comma-separated list of role names.
func (s Set) String() string {
	var parts []string
	for _, r := range s.Roles() {
		parts = append(parts, r.String())
	}
	return strings.Join(parts, ",")
}
