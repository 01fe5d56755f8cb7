package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"time"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/internal/certgen"
)

// exampleHWType is the hwType of the non-TPM conforming IDevIDs.
var exampleHWType = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}

// casesDevID are the test certificates for the lints of this section of
// the rules catalogue.
func casesDevID() []Case {
	return []Case{
		{
			Name:    "e_devid_subject_nonempty",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks:  "LDevID with an empty subject (the SAN is critical, as RFC 5280 then requires)",
			Edit: func(t *certgen.Template) {
				t.Subject = pkix.Name{}
				t.SetSAN(true, certgen.DNSName("sensor-0001.devices.example.com"))
			},
		},
		{
			Name:    "w_devid_subject_serialnumber",
			Profile: "idevid-8021ar",
			Role:    "ee",
			Breaks:  "IDevID subject without a serialNumber attribute",
			Edit:    func(t *certgen.Template) { t.Subject.SerialNumber = "" },
		},
		{
			Name:    "e_brski_subject_serialnumber",
			Profile: "brski-idevid",
			Role:    "ee",
			Breaks:  "BRSKI IDevID subject without a serialNumber attribute (w_devid_subject_serialnumber is off in brski-idevid, A18)",
			Edit:    func(t *certgen.Template) { t.Subject.SerialNumber = "" },
		},
		{
			Name:    "w_devid_idevid_notafter_9999",
			Profile: "idevid-8021ar",
			Role:    "ee",
			Breaks:  "IDevID with a finite notAfter (UTCTime 2035) instead of 99991231235959Z",
			Edit:    func(t *certgen.Template) { t.NotAfter = certgen.Epoch.AddDate(10, 0, 0) },
		},
		{
			Name:    "w_devid_ku_present",
			Profile: "idevid-8021ar",
			Role:    "ee",
			Breaks:  "IDevID without a keyUsage extension (the draft's MUST, inherited from tls13-iot, reports it too)",
			Want:    []string{"w_devid_ku_present", "e_iot_ee_ku_critical"},
			Edit:    func(t *certgen.Template) { t.KeyUsage = 0 },
		},
		{
			Name:    "w_brski_no_ku_restriction",
			Profile: "brski-idevid",
			Role:    "ee",
			Breaks:  "BRSKI IDevID whose keyUsage asserts only contentCommitment: it restricts the key beyond the digitalSignature the profile mandates (and the draft's digitalSignature MUST fails too)",
			Want:    []string{"w_brski_no_ku_restriction", "e_iot_ee_ku_digsig"},
			Edit:    func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageContentCommitment },
		},
		{
			Name:    "w_devid_san_present",
			Profile: "idevid-8021ar",
			Role:    "ee",
			Breaks:  "IDevID without a subjectAltName",
			Edit:    func(t *certgen.Template) { t.ExtraExtensions = nil },
		},
		{
			Name:    "e_devid_hwmodulename_syntax",
			Profile: "idevid-8021ar",
			Role:    "ee",
			Breaks:  "HardwareModuleName whose hwSerialNum is a UTF8String, not an OCTET STRING",
			Edit: func(t *certgen.Template) {
				bad, err := asn1.Marshal(struct {
					Type   asn1.ObjectIdentifier
					Serial string `asn1:"utf8"`
				}{exampleHWType, "SN0001"})
				if err != nil {
					panic(err)
				}
				t.SetSAN(false, certgen.OtherName(idevid.OIDHardwareModuleName, bad))
			},
		},
		{
			Name:    "e_devid_hwmodulename_tpm",
			Profile: "tcg-devid",
			Role:    "ee",
			Breaks:  "TPM IDevID whose HardwareModuleName hwType is not 2.23.133.1.2 (TPM 2.0)",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.HardwareModuleName(exampleHWType, "SN0001"))
			},
		},
		{
			Name:    "e_devid_hwmodulename_tpm_absent",
			Profile: "tcg-devid",
			Role:    "ee",
			Breaks:  "TPM IDevID whose subjectAltName holds a dNSName and no HardwareModuleName",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.DNSName("sensor-0001.devices.example.com"))
			},
			Want: []string{"e_devid_hwmodulename_tpm"},
		},
		{
			Name:    "w_devid_tcg_eku",
			Profile: "tcg-devid",
			Role:    "ee",
			Breaks:  "TPM IDevID without an extendedKeyUsage (no TCG key purpose)",
			Edit:    func(t *certgen.Template) { t.UnknownExtKeyUsage = nil },
		},
		{
			Name:    "e_devid_cert_policy",
			Profile: "tcg-devid",
			Role:    "ee",
			Breaks:  "TPM IDevID without certificatePolicies",
			Edit:    func(t *certgen.Template) { t.RemoveExtension(certgen.OIDExtCertPolicies) },
		},
		{
			Name:    "n_devid_notbefore_issuance",
			Profile: "tcg-devid",
			Role:    "ee",
			Breaks:  "TPM IDevID whose notBefore (2099-01-01) lies in the future, so it cannot be its issuance time",
			Edit:    func(t *certgen.Template) { t.NotBefore = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC) },
		},
		{
			Name:    "e_brski_masa_url",
			Profile: "brski-idevid",
			Role:    "ee",
			Breaks:  "MASA URI extension (authority only) marked critical",
			Edit:    func(t *certgen.Template) { t.SetExtension(certgen.MASAURL(true, "masa.example.com")) },
		},
		{
			Name:    "e_brski_masa_url_not_ia5",
			Profile: "brski-idevid",
			Role:    "ee",
			Breaks:  "MASA URI extension whose value is a UTF8String, not an IA5String",
			Edit: func(t *certgen.Template) {
				value, err := asn1.MarshalWithParams("masa.example.com", "utf8")
				if err != nil {
					panic(err)
				}
				t.SetExtension(pkix.Extension{Id: certgen.OIDExtMASAURL, Value: value})
			},
			Want: []string{"e_brski_masa_url"},
		},
		{
			Name:    "w_brski_masa_url_authority",
			Profile: "brski-idevid",
			Role:    "ee",
			Breaks:  "non-critical MASA URI extension holding a complete URI with a path, not only the authority",
			Edit: func(t *certgen.Template) {
				t.SetExtension(certgen.MASAURL(false, "https://masa.example.com/.well-known/brski"))
			},
		},
	}
}
