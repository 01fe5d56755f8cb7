package bundle

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"net"
	"strconv"
	"time"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certparse"
	"github.com/iotcert/iotcert/matter"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/role"
)

// Node is the compact record of one certificate that chain building needs:
// names, key identifiers, public key, the digest and value of its
// signature, validity, CA constraints and the names that name constraints
// judge. It keeps no DER except the subjectPublicKeyInfo (and, for the
// rare Ed25519-signed certificate, the TBSCertificate, since EdDSA signs
// the message rather than a digest).
//
// A Node costs about 1 KB for a P-256 device certificate, a fifth of it
// the signature and its digest, which chain building releases once the
// signature is checked (see docs/bundle.md); NewNode is safe to call from
// many goroutines.
type Node struct {
	subject, issuer string // raw DER names
	ski, aki        []byte
	spki            []byte
	keyKind         string // "P-256", "RSA-2048", "Ed25519", ...

	sigAlg x509.SignatureAlgorithm
	digest []byte // hash of the TBSCertificate for sigAlg, or the TBS itself for Ed25519
	sig    []byte

	notBefore, notAfter int64 // Unix seconds
	maxPathLen          int   // -1 when unconstrained

	// The flags are kept together, so that they share one word of the
	// struct (a Node is made per certificate).
	noExpiry     bool      // notAfter is 99991231235959Z
	isCA         bool      // a CA by role.Of: basicConstraints cA, or keyCertSign without basicConstraints
	cA           bool      // basicConstraints present with cA true (RFC 5280 §6.1.4 (k))
	hasKU        bool      // a keyUsage extension is present
	kuCertSign   bool      // keyUsage has keyCertSign
	tlsEKU       bool      // extendedKeyUsage holds serverAuth or clientAuth
	trusted      bool      // a --trust certificate
	pubKeyParsed bool      // pubKey was parsed (it may still be nil)
	role         role.Role // role.Of, or the result's role
	crl          crlFacts  // keyUsage cRLSign and cRLDistributionPoints facts (crlsign.go)
	// wireSize is the certificate's size in the encoding the size budget
	// counts, -1 when it has no C509 form (size.go); it fills the padding
	// after the flags.
	wireSize int32

	// unknownCritical are the OIDs of critical extensions this package
	// does not process (RFC 5280 §4.2).
	unknownCritical []string
	// otherForms are the GeneralName tags of the subjectAltName entries
	// that name constraints are not matched against (otherName,
	// ediPartyName, registeredID).
	otherForms []int
	// malformed, for a trust anchor, names the first error-level RFC 5280
	// lint finding on it.
	malformed string
	names     *sanNames
	nc        *nameConstraints

	serial    string            // serial number, hexadecimal
	subjectSN string            // subject serialNumber attribute (802.1AR device serial)
	display   string            // subject DN for reports
	sha256    [sha256.Size]byte // of the DER; zero when unknown
	origin    certio.Origin
	index     int // position in the results; -1 for trust anchors
	pubKey    crypto.PublicKey
	matter    *matter.IDs // Matter vendor/product IDs of the subject (matter.go), nil when none
	// matterAlt is, under the matter profile, the result of linting the
	// certificate in the other role (subordinate for an end entity, end
	// entity for a subordinate), used when its position in the chain
	// says it is a PAI or a DAC against its cA flag (matter.go).
	matterAlt *profile.Result
}

// sanNames are the subjectAltName entries that name constraints apply to.
type sanNames struct {
	dns, email, uri []string
	ip              []net.IP
}

// nameConstraints are a CA certificate's nameConstraints, compacted.
type nameConstraints struct {
	permittedDNS, excludedDNS     []string
	permittedEmail, excludedEmail []string
	permittedURI, excludedURI     []string
	permittedIP, excludedIP       []net.IPNet
	permittedDir, excludedDir     [][]attr
	other                         []int  // GeneralName tags constrained that are not matched (constraints.go)
	malformed                     string // why the extension is malformed, or ""
}

// attr is one attribute of a distinguished name.
type attr struct {
	oid, value string
}

// noExpiry is 99991231235959Z, the "no well-defined expiration date" value
// of RFC 5280 §4.1.2.5 and IEEE 802.1AR.
var noExpiry = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// NewNode returns the chain-building record of c. It reads c but keeps no
// reference to it, so c (and its DER) can be dropped afterwards.
func NewNode(c *x509.Certificate) *Node {
	n := &Node{
		subject:    string(c.RawSubject),
		issuer:     string(c.RawIssuer),
		ski:        clone(c.SubjectKeyId),
		aki:        clone(c.AuthorityKeyId),
		spki:       clone(certioSPKI(c)),
		keyKind:    keyKind(c),
		sigAlg:     c.SignatureAlgorithm,
		sig:        clone(c.Signature),
		notBefore:  c.NotBefore.Unix(),
		notAfter:   c.NotAfter.Unix(),
		noExpiry:   c.NotAfter.Equal(noExpiry),
		isCA:       role.Of(c) != role.EndEntity,
		cA:         c.BasicConstraintsValid && c.IsCA,
		kuCertSign: c.KeyUsage&x509.KeyUsageCertSign != 0,
		maxPathLen: -1,
		display:    c.Subject.String(),
		subjectSN:  c.Subject.SerialNumber,
		index:      -1,
		crl:        crlFactsOf(c),
	}
	if c.SerialNumber != nil {
		n.serial = c.SerialNumber.Text(16)
	}
	if c.BasicConstraintsValid && c.IsCA && (c.MaxPathLen > 0 || c.MaxPathLenZero) {
		n.maxPathLen = c.MaxPathLen
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageServerAuth || u == x509.ExtKeyUsageClientAuth {
			n.tlsEKU = true
		}
	}
	for _, e := range c.Extensions {
		id := e.Id.String()
		if id == oidKeyUsage {
			n.hasKU = true
		}
		if e.Critical && !knownExtensions[id] {
			n.unknownCritical = append(n.unknownCritical, id)
		}
	}
	n.digest = tbsDigest(c.SignatureAlgorithm, c.RawTBSCertificate)
	if len(c.DNSNames)+len(c.EmailAddresses)+len(c.URIs)+len(c.IPAddresses) > 0 {
		n.names = &sanNames{dns: c.DNSNames, email: c.EmailAddresses, uri: c.URIs, ip: c.IPAddresses}
	}
	if len(c.OtherNames) > 0 {
		n.otherForms = append(n.otherForms, tagOtherName)
	}
	if len(c.EDIPartyNames) > 0 {
		n.otherForms = append(n.otherForms, tagEDIPartyName)
	}
	if len(c.RegisteredIDs) > 0 {
		n.otherForms = append(n.otherForms, tagRegisteredID)
	}
	if n.isCA {
		n.nc = constraintsOf(c)
	}
	n.matter = matterIDsOf(c)
	return n
}

const oidKeyUsage = "2.5.29.15"

// knownExtensions are the extensions a relying party built on this
// package processes or may ignore when critical (RFC 5280 §4.2): the
// standard extensions of §4.2.1 and §4.2.2. Any other critical extension
// makes the certificate unusable on a path (§6.1.4 (o)).
var knownExtensions = map[string]bool{
	"2.5.29.35":          true, // authorityKeyIdentifier
	"2.5.29.14":          true, // subjectKeyIdentifier
	oidKeyUsage:          true, // keyUsage
	"2.5.29.32":          true, // certificatePolicies
	"2.5.29.33":          true, // policyMappings
	"2.5.29.17":          true, // subjectAltName
	"2.5.29.18":          true, // issuerAltName
	"2.5.29.9":           true, // subjectDirectoryAttributes
	"2.5.29.19":          true, // basicConstraints
	"2.5.29.30":          true, // nameConstraints
	"2.5.29.36":          true, // policyConstraints
	"2.5.29.37":          true, // extKeyUsage
	"2.5.29.31":          true, // cRLDistributionPoints
	"2.5.29.54":          true, // inhibitAnyPolicy
	"2.5.29.46":          true, // freshestCRL
	"1.3.6.1.5.5.7.1.1":  true, // authorityInfoAccess
	"1.3.6.1.5.5.7.1.11": true, // subjectInfoAccess
}

// certioSPKI returns the subjectPublicKeyInfo as it was in the input.
func certioSPKI(c *x509.Certificate) []byte { return certparse.SubjectPublicKeyInfo(c) }

func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// hashOf returns the hash a signature algorithm signs with; 0 for Ed25519
// and for algorithms this package does not verify.
func hashOf(alg x509.SignatureAlgorithm) crypto.Hash {
	switch alg {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1:
		return crypto.SHA1
	case x509.SHA256WithRSA, x509.ECDSAWithSHA256, x509.SHA256WithRSAPSS:
		return crypto.SHA256
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384, x509.SHA384WithRSAPSS:
		return crypto.SHA384
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512, x509.SHA512WithRSAPSS:
		return crypto.SHA512
	}
	return 0
}

// tbsDigest returns what the signature of a certificate signed with alg
// is computed over: the TBS digest, or the TBS itself for Ed25519. It
// returns nil when alg is not one this package verifies.
func tbsDigest(alg x509.SignatureAlgorithm, tbs []byte) []byte {
	if alg == x509.Ed25519Sig {
		return clone(tbs)
	}
	switch hashOf(alg) {
	case crypto.SHA1:
		d := sha1.Sum(tbs)
		return d[:]
	case crypto.SHA256:
		d := sha256.Sum256(tbs)
		return d[:]
	case crypto.SHA384:
		d := sha512.Sum384(tbs)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(tbs)
		return d[:]
	}
	return nil
}

// Key kinds, interned so that nodes share them.
const (
	kindP256    = "P-256"
	kindP384    = "P-384"
	kindP521    = "P-521"
	kindEd25519 = "Ed25519"
)

// keyKind names the key of c: a curve name, "Ed25519", "RSA-<bits>", or
// the algorithm when the key could not be decoded.
func keyKind(c *x509.Certificate) string {
	if certparse.KeyUndecodable(c) {
		return "undecodable key"
	}
	switch k := c.PublicKey.(type) {
	case *x509.AugmentedECDSA:
		if k.Pub != nil && k.Pub.Curve != nil {
			return curveName(k.Pub.Curve.Params().Name)
		}
	case *ecdsa.PublicKey:
		return curveName(k.Curve.Params().Name)
	case *rsa.PublicKey:
		return "RSA-" + strconv.Itoa(k.N.BitLen())
	}
	if c.PublicKeyAlgorithm == x509.Ed25519 {
		return kindEd25519
	}
	return c.PublicKeyAlgorithm.String()
}

func curveName(name string) string {
	switch name {
	case "P-256":
		return kindP256
	case "P-384":
		return kindP384
	case "P-521":
		return kindP521
	}
	return name
}
