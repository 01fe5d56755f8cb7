package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"

	"github.com/iotcert/iotcert/internal/certgen"
)

// oidTestMACAddress stands in for the MACAddress otherName type-id, which
// is not assigned yet (rules catalogue ambiguity A12): an OID under the
// documentation enterprise number 32473 (RFC 5612). The lint tests set the
// same value as macaddress_oid.
var oidTestMACAddress = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 2}

// casesEndEntity are the test certificates for the lints of this section of
// the rules catalogue: draft-ietf-uta-tls13-iot-profile-23 §17.4, end
// entities.
func casesEndEntity() []Case {
	oidSerialNumber := asn1.ObjectIdentifier{2, 5, 4, 5}
	dns := certgen.DNSName("sensor-0001.devices.example.com")
	return []Case{
		{
			Name:    "e_iot_ee_ku_eku_consistent",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks: "keyUsage nonRepudiation only with extendedKeyUsage clientAuth: no purpose is consistent with both (RFC 5280 §4.2.1.12); " +
				"e_iot_ee_ku_digsig necessarily fires too, since digitalSignature is missing",
			Edit: func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageContentCommitment },
			Want: []string{"e_iot_ee_ku_eku_consistent", "e_iot_ee_ku_digsig"},
		},
		{
			Name:    "e_iot_ee_ku_eku_consistent_nonrepudiation",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks: "nothing: keyUsage digitalSignature, nonRepudiation and keyAgreement with clientAuth, which digitalSignature makes consistent " +
				"(RFC 5280 §4.2.1.12; RFC 5480 §3 allows these bits on an EC key); zlint's e_key_usage_and_extended_key_usage_inconsistent, " +
				"which errors on it, is off in the IoT profiles",
			Edit: func(t *certgen.Template) {
				t.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyAgreement
			},
			Want: []string{},
		},
		{
			Name:    "e_iot_ee_san_required_types",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "device certificate without a subjectAltName: fails e_iot_ee_san_required_types only where rules.yaml sets its types parameter (the default leaves it off, so no finding here)",
			Edit:    func(t *certgen.Template) { t.RemoveExtension(certgen.OIDExtSubjectAltName) },
			Want:    []string{},
		},
		{
			Name:    "e_iot_ee_serial_attr_printable",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "subject serialNumber encoded as UTF8String instead of PrintableString; " +
				"zlint's e_subject_dn_serial_number_not_printable_string (RFC 5280 App. A.1) checks the same encoding",
			Rewrite: []certgen.Rewrite{certgen.RetagSubjectAttribute(oidSerialNumber, asn1.TagUTF8String)},
			Want:    []string{"e_iot_ee_serial_attr_printable", "e_subject_dn_serial_number_not_printable_string"},
		},
		{
			Name:    "n_iot_ee_serial_in_cn",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subject CN \"SN0001\" looks like a serial number and there is no serialNumber attribute",
			Edit: func(t *certgen.Template) {
				t.Subject = pkix.Name{CommonName: "SN0001", Organization: []string{"Example Devices Ltd"}}
			},
		},
		{
			Name:    "w_iot_ee_eui_as_macaddress",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subject CN is the EUI-48 \"00:1A:2B:3C:4D:5E\" instead of a MACAddress otherName",
			Edit: func(t *certgen.Template) {
				t.Subject.CommonName = "00:1A:2B:3C:4D:5E"
			},
		},
		{
			Name:    "w_iot_ee_eui_as_macaddress-dnsname",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "the dNSName is the EUI-64 \"01-23-45-67-89-ab-cd-ef\" instead of a MACAddress otherName",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.DNSName("01-23-45-67-89-ab-cd-ef"))
			},
			Want: []string{"w_iot_ee_eui_as_macaddress"},
		},
		{
			Name:    "w_iot_ee_eui_as_macaddress-urn",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "the subjectAltName is the device URN \"urn:dev:mac:0024befffe804ff1\" (RFC 9039), an EUI-64, instead of a MACAddress otherName",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.URI("urn:dev:mac:0024befffe804ff1"))
			},
			Want: []string{"w_iot_ee_eui_as_macaddress"},
		},
		{
			Name:    "n_iot_ee_eui64_in_serialnumber",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subject serialNumber is the EUI-64 \"01-23-45-67-89-AB-CD-EF\"",
			Edit: func(t *certgen.Template) {
				t.Subject.SerialNumber = "01-23-45-67-89-AB-CD-EF"
			},
		},
		{
			Name:    "e_iot_ee_macaddress_length",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "the only SAN is a MACAddress otherName (type-id 1.3.6.1.4.1.32473.1.2 standing in for the unassigned OID) of 7 octets; " +
				"no finding under the default profile, which leaves macaddress_oid unset (ambiguity A12); the lint test sets it",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.OctetStringOtherName(oidTestMACAddress, []byte{0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f}))
			},
			Want: []string{},
		},
		{
			Name:    "e_iot_ee_san_criticality",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subjectAltName marked critical although the subject is not empty",
			Edit: func(t *certgen.Template) {
				t.SetSAN(true, dns)
			},
		},
		{
			Name:    "e_iot_ee_san_criticality-empty-subject",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "nothing: an empty subject with a critical subjectAltName is the exception §17.4.1 allows (and RFC 5280 §4.2.1.6 requires); " +
				"pins that e_iot_ee_san_criticality passes it",
			Edit: func(t *certgen.Template) {
				t.Subject = pkix.Name{}
				t.SetSAN(true, dns)
			},
			Want: []string{},
		},
		{
			Name:    "e_iot_ee_no_fqdn_in_cn",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subject CN is the domain name sensor-0001.devices.example.com",
			Edit: func(t *certgen.Template) {
				t.Subject.CommonName = "sensor-0001.devices.example.com"
			},
		},
		{
			Name:    "e_iot_ee_no_wildcard",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "the dNSName is the wildcard *.devices.example.com",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.DNSName("*.devices.example.com"))
			},
		},
		{
			Name:    "e_iot_ee_san_one_name_per_type",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "two dNSNames in subjectAltName; necessarily more than one name, so w_iot_ee_san_single_name fires too",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, dns, certgen.DNSName("sensor-0001.backup.example.com"))
			},
			Want: []string{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"},
		},
		{
			Name:    "w_iot_ee_san_single_name",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subjectAltName holds a dNSName and an iPAddress: one name per type, but two names",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, dns, certgen.IPAddress([]byte{192, 0, 2, 10}))
			},
		},
		{
			Name:    "n_iot_ee_hwmodulename_info",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "the only SAN is a HardwareModuleName otherName, which this profile does not use",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.HardwareModuleName(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}, "SN0001"))
			},
		},
		{
			Name:    "e_iot_ee_aki",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "authorityKeyIdentifier removed; zlint e_ext_authority_key_identifier_no_key_identifier (RFC 5280 §4.2.1.1: " +
				"keyIdentifier MUST be present) fires on a missing AKI too",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.RemoveExtension(certgen.OIDExtAuthorityKeyID) }},
			Want:    []string{"e_iot_ee_aki", "e_ext_authority_key_identifier_no_key_identifier"},
		},
		{
			Name:    "e_iot_ee_aki-critical",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "authorityKeyIdentifier marked critical; RFC 5280 §4.2.1.1 forbids it too (zlint e_ext_authority_key_identifier_critical)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Extension(certgen.OIDExtAuthorityKeyID).Critical = true }},
			Want:    []string{"e_iot_ee_aki", "e_ext_authority_key_identifier_critical"},
		},
		{
			Name:    "e_iot_ee_no_ski",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subjectKeyIdentifier present",
			Edit: func(t *certgen.Template) {
				t.SubjectKeyId = certgen.KeyID(t.Key.Public())
			},
		},
		{
			Name:    "e_iot_ee_ku_critical",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "keyUsage absent",
			Edit: func(t *certgen.Template) {
				t.KeyUsage = 0
			},
		},
		{
			Name:    "e_iot_ee_ku_critical-noncritical",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "keyUsage present but not critical; RFC 5280 §4.2.1.3 says it should be critical (zlint w_ext_key_usage_not_critical)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Extension(certgen.OIDExtKeyUsage).Critical = false }},
			Want:    []string{"e_iot_ee_ku_critical", "w_ext_key_usage_not_critical"},
		},
		{
			Name:    "e_iot_ee_ku_digsig",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "keyUsage of the P-256 key is contentCommitment only, without digitalSignature",
			Edit: func(t *certgen.Template) {
				t.KeyUsage = x509.KeyUsageContentCommitment
			},
		},
		{
			Name:    "w_iot_idevid_no_eku",
			Profile: "idevid-8021ar",
			Role:    "ee",
			Breaks:  "IDevID with extendedKeyUsage id-kp-clientAuth",
			Edit: func(t *certgen.Template) {
				t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
			},
		},
		{
			Name:    "e_iot_ldevid_eku_tls",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks:  "LDevID whose extendedKeyUsage is id-kp-codeSigning only",
			Edit: func(t *certgen.Template) {
				t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
			},
		},
		{
			Name:    "e_iot_ldevid_eku_role",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks: "LDevID with both id-kp-clientAuth and id-kp-serverAuth, wrong for a device whose tls_role is client; " +
				"no finding under the default profile, which leaves tls_role unset; the lint test sets it",
			Edit: func(t *certgen.Template) {
				t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}
			},
			Want: []string{},
		},
		{
			Name:    "w_iot_ldevid_stable_identifier",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks: "LDevID whose subjectAltName is the HardwareModuleName of its IDevID, the module's serial number " +
				"(a notice under the default profile)",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.HardwareModuleName(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}, "SN0001"))
			},
		},
		{
			Name:    "w_iot_ldevid_stable_identifier_urn_mac",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks: "LDevID whose subjectAltName is the device's MAC address as an RFC 9039 URN (urn:dev:mac:0024befffe804ff1); " +
				"w_iot_ee_eui_as_macaddress reports the same URN, which should be a MACAddress otherName",
			Edit: func(t *certgen.Template) { t.SetSAN(false, certgen.URI("urn:dev:mac:0024befffe804ff1")) },
			Want: []string{"w_iot_ldevid_stable_identifier", "w_iot_ee_eui_as_macaddress"},
		},
	}
}
