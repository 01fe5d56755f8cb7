package bundle

import (
	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/matter"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/role"
)

// Names of the Matter device attestation chain checks (rules catalogue
// section 7): PAA = root, PAI = subordinate, DAC = end entity.
const (
	MatterChainVIDPID      = "e_matter_chain_vidpid"
	MatterChainShape       = "e_matter_chain_shape"
	MatterChainAtIssuance  = "e_matter_chain_at_issuance"
	MatterChainRole        = "e_matter_chain_role"
	MatterCDSignature      = "e_matter_cd_signature"
	MatterCDUnverified     = "n_matter_cd_signature_unverified"
	MatterCDContent        = "e_matter_cd_content"
	MatterCDChain          = "e_matter_cd_chain"
	MatterCDProduct        = "e_matter_cd_product"
	MatterCDTestKey        = "e_matter_cd_test_key"
	MatterCDTestKeyProv    = "w_matter_cd_test_key_provisional"
	matterSDKVerifier      = "connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp"
	matterSDKCryptoOpenSSL = "connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp"
)

var matterProfiles = []string{"matter"}

var matterChecks = []CheckInfo{
	{Name: MatterChainVIDPID, Level: profile.Error, Roles: "subordinate,end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.2.3.1; " + matterSDKVerifier + " (kDacVendorIdMismatch, kDacProductIdMismatch, kPaiVendorIdMismatch)",
		Description: "The vendor and product IDs do not agree along a PAA → PAI → DAC chain: the DAC's VID must be the PAI's, the DAC's PID the PAI's when the PAI has one, and the PAI's VID the PAA's when the PAA has one."},
	{Name: MatterChainShape, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.2.3.1; " + matterSDKVerifier + " (kPaiMissing, kPaaNotFound)",
		Description: "A DAC's chain is not exactly DAC → PAI → PAA: the DAC is issued by the PAA itself (no PAI), or there is more than one CA between the DAC and its PAA."},
	{Name: MatterChainAtIssuance, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.2.3.1; " + matterSDKCryptoOpenSSL + " ValidateCertificateChain, IsCertificateValidAtIssuance",
		Description: "The DAC's notBefore is outside the validity of its PAI or PAA: the SDK validates the chain at the DAC's notBefore and refuses a DAC issued outside its PAI's validity."},
	{Name: MatterChainRole, Level: profile.Error, Roles: "subordinate,end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.2.2 (DAC: cA FALSE; PAI: cA TRUE) and §6.2.3.1; " + matterSDKCryptoOpenSSL + " VerifyAttestationCertificateFormat (kDAC, kPAI)",
		Description: "The certificate's place in a PAA → PAI → DAC chain contradicts its cA flag: a DAC (issued by a PAI under a PAA, issuing nothing) must not be a CA, and a PAI (issued by a PAA, issuing a DAC) must be a CA. The certificate is then linted in the role of its place."},
	{Name: MatterCDSignature, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.3.2; " + matterSDKVerifier + " ValidateCertificationDeclarationSignature (kCertificationDeclarationNoCertificateFound, kCertificationDeclarationInvalidSignature)",
		Description: "With --matter-cd and --matter-cd-trust: the Certification Declaration's CMS signature does not verify with the CD signing certificate its signer's key ID names, or none of the given certificates has that key ID."},
	{Name: MatterCDUnverified, Level: profile.Notice, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.3.2; " + matterSDKVerifier + " ValidateCertificationDeclarationSignature",
		Description: "With --matter-cd and no --matter-cd-trust: the Certification Declaration's signature was not verified; its content was checked as if it were."},
	{Name: MatterCDContent, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.3.1; " + matterSDKVerifier + " ValidateCertificateDeclarationPayload (kAttestationElementsMalformed)",
		Description: "With --matter-cd: the Certification Declaration's format_version is not 1, its security_level or security_information is not 0, or its certification_type is reserved."},
	{Name: MatterCDChain, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.2.3.1, §6.3.1; " + matterSDKVerifier + " ValidateCertificateDeclarationPayload (kCertificationDeclarationInvalidVendorId, kCertificationDeclarationInvalidProductId, kCertificationDeclarationInvalidPAA)",
		Description: "With --matter-cd: the DAC chain disagrees with the Certification Declaration: the DAC's and PAI's vendor ID are not its dac_origin_vendor_id (when present) or vendor_id, the DAC's (and PAI's) product ID not its dac_origin_product_id (when present) or not in product_id_array, or the PAA's subject key ID is not in authorized_paa_list (when present)."},
	{Name: MatterCDProduct, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.3.1, §11.1 (Basic Information cluster); " + matterSDKVerifier + " ValidateCertificateDeclarationPayload (kCertificationDeclarationInvalidVendorId, kCertificationDeclarationInvalidProductId)",
		Description: "With --matter-cd and --matter-product VID:PID: the device's Basic Information vendor ID is not the Certification Declaration's vendor_id, or its product ID is not in product_id_array."},
	{Name: MatterCDTestKey, Level: profile.Error, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.3.1 (certification_type); " + matterSDKVerifier + " ValidateCertificationDeclarationSignature, CsaCdKeysTrustStore::IsCdTestKey (gTestCdPubkeyKid; kCertificationDeclarationNoCertificateFound)",
		Description: "With --matter-cd: an official (or reserved) Certification Declaration is signed with the SDK's test CD signing key (subject key ID 62FA823359ACFAA9963E1CFA140ADDF504F37160, credentials/test/certification-declaration/Chip-Test-CD-Signing-Cert.pem): the SDK accepts that key only for development_and_test and provisional CDs."},
	{Name: MatterCDTestKeyProv, Level: profile.Warn, Roles: "end-entity", Profiles: matterProfiles,
		Citation:    "CSA Matter Core Specification §6.3.1 (certification_type); " + matterSDKVerifier + " ValidateCertificationDeclarationSignature (kEnableCdTestKeysForProvisionalCds); connectedhomeip issue 42460",
		Description: "With --matter-cd: a provisional Certification Declaration is signed with the SDK's test CD signing key. The SDK accepts it only while kEnableCdTestKeysForProvisionalCds is set (the default today) and means to refuse it after a notice period."},
}

// MatterCD is a Certification Declaration to check the DACs of a matter
// bundle against.
type MatterCD struct {
	// CD is the signed Certification Declaration.
	CD *matter.SignedCD
	// Signers are the CD signing certificates; nil: the signature is not
	// verified (n_matter_cd_signature_unverified).
	Signers []*x509.Certificate
	// Product, when not nil, is the device's Basic Information vendor and
	// product ID.
	Product *matter.Product
}

func init() {
	// The Matter checks join the chain checks once, before any Bundle
	// exists; the table is not changed afterwards.
	checks = append(checks, matterChecks...)
}

// matterIDsOf returns the Matter IDs of c's subject, read as the lints
// read them.
func matterIDsOf(c *x509.Certificate) *matter.IDs {
	ids := matter.DNIDs(c.Subject.Names)
	if ids == (matter.IDs{}) {
		return nil // most certificates: no Matter IDs, and no memory for them
	}
	return &ids
}

// matterIDs returns the Matter vendor and product IDs of n's subject
// (none when it has none).
func (n *Node) matterIDs() matter.IDs {
	if n.matter == nil {
		return matter.IDs{}
	}
	return *n.matter
}

// otherRoleResult lints c, linted as the role named done, in the other of
// the subordinate and end-entity roles; nil for any other role.
func otherRoleResult(p *profile.Profile, c *x509.Certificate, done string) *profile.Result {
	var other role.Role
	switch done {
	case role.Subordinate.String():
		other = role.EndEntity
	case role.EndEntity.String(), role.IDevID.String(), role.LDevID.String():
		other = role.Subordinate
	default:
		return nil
	}
	r := p.LintAs(c, other)
	return &r
}

// Matter roles by position (matterPosition).
const (
	matterUnplaced = iota // no PAA → PAI → DAC place: the cA flag decides
	matterPAI
	matterDAC
)

// matterPosition returns the place of s in a PAA → PAI → DAC chain: a
// PAI is issued by a PAA (a trust anchor or self-signed root) and issues
// a certificate; a DAC is issued by a certificate that a PAA issued, and
// issues none. issuers holds the certificates that issue another.
func matterPosition(s *state, issuers map[*state]bool) int {
	p := s.parent()
	switch {
	case p == nil || s.isAnchor():
		return matterUnplaced
	case p.isAnchor() && issuers[s]:
		return matterPAI
	case !p.isAnchor() && p.parent() != nil && p.parent().isAnchor() && !issuers[s]:
		return matterDAC
	}
	return matterUnplaced
}

// checkMatter runs the Matter chain checks on the certificates of a
// matter profile. A certificate's Matter role comes from its place in the
// chain when it has one (matterPosition), else from its cA flag.
func (f *finisher) checkMatter(live []*state) {
	if !appliesToProfiles(matterProfiles, f.b.opts.Profiles) {
		return
	}
	issuers := map[*state]bool{}
	for _, s := range live {
		if p := s.parent(); p != nil && p != s {
			issuers[p] = true
		}
	}
	for _, s := range live {
		if s.n.trusted || s.isLink() {
			continue
		}
		p := s.parent()
		if p == nil {
			continue // e_chain_orphan / n_chain_orphan
		}
		n := s.n
		pos := matterPosition(s, issuers)
		switch {
		case pos == matterDAC && n.isCA:
			f.add(s, MatterChainRole, "in the place of a DAC (issued by the PAI %s, issuing no certificate) but basicConstraints has cA=TRUE: a DAC must not be a CA", describe(p))
			s.matterRole = role.EndEntity
		case pos == matterPAI && !n.isCA:
			f.add(s, MatterChainRole, "in the place of a PAI (issued by the PAA %s, issuing a certificate) but not a CA: a PAI must be a CA", describe(p))
			s.matterRole = role.Subordinate
		}
		switch {
		case pos == matterPAI || pos == matterUnplaced && n.isCA && !s.selfSigned:
			if v := p.n.matterIDs(); v.HasVID && n.matterIDs().VID != v.VID {
				f.add(s, MatterChainVIDPID, "PAI vendor ID %q differs from its PAA's %q (%s)", n.matterIDs().VID, v.VID, describe(p))
			}
		case pos == matterDAC || pos == matterUnplaced && !n.isCA:
			f.checkMatterDAC(s, p)
		}
	}
}

// checkMatterDAC runs the checks of the DAC s, issued by p.
func (f *finisher) checkMatterDAC(s, p *state) {
	n := s.n
	if v := p.n.matterIDs(); !v.HasVID || n.matterIDs().VID != v.VID {
		f.add(s, MatterChainVIDPID, "DAC vendor ID %q differs from its PAI's %q (%s)", n.matterIDs().VID, v.VID, describe(p))
	}
	if v := p.n.matterIDs(); v.HasPID && n.matterIDs().PID != v.PID {
		f.add(s, MatterChainVIDPID, "DAC product ID %q differs from its PAI's %q (%s)", n.matterIDs().PID, v.PID, describe(p))
	}
	f.checkMatterShape(s, p)
	f.checkMatterCD(s, p)
	for a := p; a != nil; a = a.parent() {
		if n.notBefore < a.n.notBefore || n.notBefore > a.n.notAfter {
			f.add(s, MatterChainAtIssuance, "notBefore %s is outside the validity %s .. %s of %s", day(n.notBefore), day(a.n.notBefore), day(a.n.notAfter), describe(a))
			break
		}
		if a.isAnchor() {
			break
		}
	}
}

// checkMatterCD checks the DAC s, issued by the PAI p, against the
// Certification Declaration, as the SDK's ValidateCertificationDeclarationSignature
// and ValidateCertificateDeclarationPayload do.
func (f *finisher) checkMatterCD(s, p *state) {
	mcd := f.b.opts.MatterCD
	if mcd == nil {
		return
	}
	if mcd.Signers == nil {
		f.add(s, MatterCDUnverified, "the Certification Declaration's signature was not verified (no CD signing certificate was given to verify it with)")
	} else if err := mcd.CD.Verify(mcd.Signers); err != nil {
		f.add(s, MatterCDSignature, "%v", err)
	}
	for _, m := range mcd.CD.CheckTestKey() {
		f.add(s, MatterCDTestKey, "%s", m)
	}
	for _, m := range mcd.CD.CheckTestKeyProvisional() {
		f.add(s, MatterCDTestKeyProv, "%s", m)
	}
	cd := &mcd.CD.CD
	for _, m := range cd.CheckContent() {
		f.add(s, MatterCDContent, "%s", m)
	}
	var paaKeyID []byte
	if pp := p.parent(); pp != nil && pp.isAnchor() && !p.isAnchor() {
		paaKeyID = pp.n.ski
	}
	for _, m := range cd.CheckChain(s.n.matterIDs(), p.n.matterIDs(), paaKeyID) {
		f.add(s, MatterCDChain, "%s", m)
	}
	if mcd.Product != nil {
		for _, m := range cd.CheckProduct(*mcd.Product) {
			f.add(s, MatterCDProduct, "%s", m)
		}
	}
}

// checkMatterShape checks that the DAC s is issued by a PAI (p) that is
// issued by a PAA.
func (f *finisher) checkMatterShape(s, p *state) {
	if p.isAnchor() {
		f.add(s, MatterChainShape, "issued directly by %s: there is no PAI", describe(p))
		return
	}
	pp := p.parent()
	if pp != nil && !pp.isAnchor() {
		f.add(s, MatterChainShape, "more than one CA between the DAC and its PAA: %s is issued by %s, which is not a PAA", describe(p), describe(pp))
	}
}
