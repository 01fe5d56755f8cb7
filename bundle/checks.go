package bundle

import (
	"sort"

	"github.com/iotcert/iotcert/profile"
)

// CheckInfo describes one chain check: a check that needs more than one
// certificate and is reported as a finding on the certificate it concerns.
type CheckInfo struct {
	// Name is the finding's lint name, with zlint's e_/w_/n_ prefix.
	Name string `json:"name"`
	// Level is the level the finding is reported at by default.
	Level profile.Level `json:"level"`
	// Roles names the roles of the certificates the finding is put on.
	Roles string `json:"roles"`
	// Citation names the requirement.
	Citation string `json:"citation"`
	// Description says what the check finds.
	Description string `json:"description"`
	// Profiles, when not empty, limits the check to these profiles and the
	// profiles that extend them.
	Profiles []string `json:"profiles,omitempty"`
	// Optional checks run only when enabled (Options.Enable).
	Optional bool `json:"optional,omitempty"`
}

// Source is the lint source of chain findings (Finding.Source).
const Source = "iotcert_chain"

// Names of the chain checks.
const (
	SignatureInvalid        = "e_chain_signature_invalid"
	AKIMismatch             = "e_chain_aki_mismatch"
	SubAKIMatchesIssuer     = "e_iot_sub_aki_matches_issuer"
	EEAKIMatchesIssuer      = "e_iot_ee_aki_matches_issuer"
	OrphanError             = "e_chain_orphan"
	OrphanNotice            = "n_chain_orphan"
	Duplicate               = "n_chain_duplicate"
	SerialUnique            = "e_iot_all_serial_unique"
	MultipleRoots           = "w_chain_multiple_roots"
	PathLenExceeded         = "e_chain_pathlen_exceeded"
	NameConstraints         = "e_chain_name_constraints"
	ValidityOutsideIssuer   = "w_chain_validity_outside_issuer"
	AlgorithmInconsistent   = "e_chain_algorithm_inconsistent"
	Expired                 = "e_chain_expired"
	Expiring                = "e_chain_expiring"
	KeyReuse                = "w_chain_key_reuse"
	IDevIDNoExpiryChain     = "n_iot_idevid_noexpiry_chain"
	RFC7925ChainDepth       = "w_r7925_chain_depth"
	DevIDLDevIDSubjectMatch = "n_devid_ldevid_subject_match"
	DevIDSameSigAlgChain    = "n_devid_same_sig_alg_chain"
	NotYetValid             = "e_chain_not_yet_valid"
	UnknownCritical         = "e_chain_unknown_critical_extension"
	NoValidPath             = "e_chain_no_valid_path"
)

// pathCheck names the error-level checks that say, on the certificate
// itself, why no path through it validates: e_chain_no_valid_path is not
// added beside them.
var pathCheck = map[string]bool{
	SignatureInvalid: true, OrphanError: true, Expired: true, NotYetValid: true,
	UnknownCritical: true, PathLenExceeded: true, NameConstraints: true,
}

// Profiles the profile-specific checks run under (and those extending them).
var (
	devidProfiles   = []string{"idevid-8021ar", "ldevid-8021ar", "brski-idevid", "tcg-devid"}
	rfc7925Profiles = []string{"rfc7925"}
	// iotProfiles are the IoT certificate profiles: checks that are their
	// rules (not RFC 5280's) run only under them and the profiles
	// extending them.
	iotProfiles = []string{"tls13-iot", "rfc7925"}
	// tls13IoTProfiles: checks that are rules of the TLS/DTLS 1.3 IoT
	// profile alone.
	tls13IoTProfiles = []string{"tls13-iot"}
)

var checks = []CheckInfo{
	{Name: SignatureInvalid, Level: profile.Error, Roles: "subordinate,link,end-entity",
		Citation:    "RFC 5280 §6.1.3 (a)(1)",
		Description: "The certificate's signature does not verify with the public key of any certificate in the bundle (or trust store) whose subject is its issuer."},
	{Name: AKIMismatch, Level: profile.Error, Roles: "root,link",
		Citation:    "RFC 5280 §4.2.1.1",
		Description: "The authorityKeyIdentifier of a root or link certificate does not equal the subjectKeyIdentifier of the key that signed it."},
	{Name: SubAKIMatchesIssuer, Level: profile.Error, Roles: "subordinate", Profiles: tls13IoTProfiles,
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.2",
		Description: "The authorityKeyIdentifier of a subordinate CA certificate does not equal the subjectKeyIdentifier of its issuing CA."},
	{Name: EEAKIMatchesIssuer, Level: profile.Error, Roles: "end-entity", Profiles: tls13IoTProfiles,
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.4.2",
		Description: "The authorityKeyIdentifier of an end-entity certificate does not equal the subjectKeyIdentifier of its issuing CA."},
	{Name: OrphanError, Level: profile.Error, Roles: "subordinate,link,end-entity",
		Citation:    "RFC 5280 §6.1",
		Description: "The certificate's issuer is neither in the input nor in a --trust store, although the input holds a root or a trust store was given: a whole chain was promised and this one is broken."},
	{Name: OrphanNotice, Level: profile.Notice, Roles: "subordinate,link,end-entity",
		Citation:    "RFC 5280 §6.1",
		Description: "The certificate's issuer is not in the input (a lone certificate or a set without a root): the certificate is judged by its profile alone."},
	{Name: Duplicate, Level: profile.Notice, Roles: "all",
		Citation:    "RFC 5280 §6.1",
		Description: "The same certificate (same DER) appears more than once in the input: reported once, on its first copy, with the number of copies; the later copies are left out of chain building."},
	{Name: SerialUnique, Level: profile.Error, Roles: "all",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.2; RFC 5280 §4.1.2.2",
		Description: "Two different certificates have the same issuer and serial number."},
	{Name: MultipleRoots, Level: profile.Warn, Roles: "subordinate,end-entity",
		Citation:    "RFC 5280 §6.1",
		Description: "The certificate chains to more than one root key (paths through link certificates of a root key rollover do not count)."},
	{Name: PathLenExceeded, Level: profile.Error, Roles: "subordinate,link,end-entity",
		Citation:    "RFC 5280 §4.2.1.9, §6.1.4 (l)(m)",
		Description: "Between the certificate and a CA above it there are more non-self-issued intermediate CA certificates than the CA's pathLenConstraint allows (the certificate itself is not counted: a pathLenConstraint never applies to the last certificate of a path)."},
	{Name: NameConstraints, Level: profile.Error, Roles: "subordinate,end-entity",
		Citation:    "RFC 5280 §4.2.1.10, §6.1.3 (b)(c)",
		Description: "A name of the certificate (subject DN, dNSName, rfc822Name, URI host or iPAddress) is outside the permitted or inside the excluded subtrees of a CA above it."},
	{Name: ValidityOutsideIssuer, Level: profile.Warn, Roles: "subordinate,link,end-entity",
		Citation:    "RFC 5280 §6.1.3 (a)(2); draft-ietf-uta-tls13-iot-profile-23 §17.1.5",
		Description: "The certificate's validity is not inside its issuer's (notAfter 99991231235959Z is exempt: see n_iot_idevid_noexpiry_chain). The level is set by --validity-nesting warn|error."},
	{Name: AlgorithmInconsistent, Level: profile.Error, Roles: "subordinate,link,end-entity", Profiles: iotProfiles,
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.3, §17.1.6; RFC 7925 §4.4.4 Table 1",
		Description: "The key that signs the certificate, or the signature algorithm, is not one the profile allows along a chain (tls13-iot: ECDSA on P-256, P-384 or P-521, or Ed25519; rfc7925: ECDSA P-256 with SHA-256), so devices that validate the chain may be unable to."},
	{Name: Expired, Level: profile.Error, Roles: "all",
		Citation:    "RFC 5280 §4.1.2.5, §6.1.3 (a)(2)",
		Description: "The certificate has expired at the time of the check (now, or --at): no path through it validates. notAfter 99991231235959Z never expires."},
	{Name: NotYetValid, Level: profile.Error, Roles: "all",
		Citation:    "RFC 5280 §4.1.2.5, §6.1.3 (a)(2)",
		Description: "The certificate is not yet valid at the time of the check (now, or --at): its notBefore is later, so no path through it validates."},
	{Name: UnknownCritical, Level: profile.Error, Roles: "all",
		Citation:    "RFC 5280 §4.2, §6.1.4 (o)",
		Description: "The certificate has a critical extension that iotcert does not recognise: a relying party must reject it, so no path through it validates (on a trust anchor: see e_chain_no_valid_path)."},
	{Name: NoValidPath, Level: profile.Error, Roles: "all",
		Citation:    "RFC 5280 §6.1; RFC 5937",
		Description: "No certification path from the certificate to a trust anchor (the --trust certificates, or without --trust the self-signed roots of the input) is valid at the time of the check: the details say why the best candidate fails (an issuer or trust anchor expired or not yet valid, not a CA, a pathLenConstraint or name constraint above it, a loop of issuers, a root that is not a trust anchor). Not added when another error-level chain finding on the certificate says why."},
	{Name: Expiring, Level: profile.Error, Roles: "all",
		Citation:    "RFC 5280 §4.1.2.5, §6.1.3 (a)(2)",
		Description: "With --expiry-horizon: the certificate expires within the horizon (one already expired is e_chain_expired; notAfter 99991231235959Z never expires)."},
	{Name: KeyReuse, Level: profile.Warn, Roles: "all",
		Citation:    "RFC 9810 §4.4 (a key shared only among the certificates of one CA)",
		Description: "The same public key is in certificates of different subjects, or in a CA and an end-entity certificate (certificates of one subject, as in a root key rollover or a cross-certified CA, may share a key)."},
	{Name: IDevIDNoExpiryChain, Level: profile.Notice, Roles: "idevid", Optional: true,
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.5",
		Description: "An IDevID with notAfter 99991231235959Z is issued by a CA whose own validity is finite: it needs careful consideration, and some CA software and policies refuse an end entity that outlives its issuer. Optional: enable with --enable-check."},
	{Name: RFC7925ChainDepth, Level: profile.Warn, Roles: "end-entity", Profiles: rfc7925Profiles,
		Citation:    "RFC 7925 §4.4.4",
		Description: "The chain of an end entity has more than three certificates, not counting the trust anchor: devices must handle three and may reject longer ones."},
	{Name: DevIDLDevIDSubjectMatch, Level: profile.Notice, Roles: "ldevid",
		Citation:    "TCG TPM 2.0 Keys for Device Identity and Attestation (LDevID subject); IEEE 802.1AR",
		Description: "An LDevID and an IDevID of the same device (same subject serialNumber) are both in the input and the LDevID's subject differs from the IDevID's."},
	{Name: DevIDSameSigAlgChain, Level: profile.Notice, Roles: "subordinate,end-entity", Profiles: devidProfiles,
		Citation:    "IEEE 802.1AR; draft-ietf-uta-tls13-iot-profile-23 §17.1.3 (which relaxes it)",
		Description: "The certificate is signed with a different signature algorithm than its issuer's certificate: 802.1AR expects one signature algorithm along a DevID chain."},
}

// Checks returns the chain checks, sorted by name.
func Checks() []CheckInfo {
	out := append([]CheckInfo(nil), checks...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkInfo returns the metadata of the named check.
func checkInfo(name string) (CheckInfo, bool) {
	for _, c := range checks {
		if c.Name == name {
			return c, true
		}
	}
	return CheckInfo{}, false
}
