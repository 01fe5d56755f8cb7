package main

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"time"

	"github.com/iotcert/iotcert/internal/certgen"
)

// casesMatter are the test certificates for the Matter device attestation
// lints (rules catalogue section 7): variants of the conforming PAA → PAI →
// DAC chain of profile matter ("root" = PAA, "sub" = PAI, "ee" = DAC).
func casesMatter() []Case {
	matterAKID := func(id []byte) certgen.Rewrite {
		return func(t *certgen.TBS) {
			v, err := asn1.Marshal(struct {
				KeyID []byte `asn1:"optional,tag:0"`
			}{id})
			if err != nil {
				panic(err)
			}
			t.SetExtension(pkix.Extension{Id: certgen.OIDExtAuthorityKeyID, Value: v})
		}
	}
	return []Case{
		{
			Name:    "e_matter_version_v3",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC with version field 0 (v1); zlint's e_cert_extensions_version_not_3 necessarily fires too, since the extensions are kept",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Version = 0 }},
			Want:    []string{"e_matter_version_v3", "e_cert_extensions_version_not_3"},
		},
		{
			Name:    "e_matter_sig_ecdsa_sha256",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC signed with ecdsa-with-SHA384 (by the P-256 PAI key)",
			Edit:    func(t *certgen.Template) { t.SignatureAlgorithm = x509.ECDSAWithSHA384 },
		},
		{
			Name:    "e_matter_spki_p256",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC with a P-384 key",
			Edit: func(t *certgen.Template) {
				t.Key = certgen.NewKey("P-384")
				t.SubjectKeyId = certgen.KeyID(t.Key.Public())
			},
		},
		{
			Name:    "e_matter_bc_critical_once",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose basicConstraints is not critical",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Extension(certgen.OIDExtBasicConstraints).Critical = false }},
		},
		{
			Name:    "e_matter_ku_critical_once",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose keyUsage is not critical; zlint's RFC 5280 w_ext_key_usage_not_critical says the same at warn",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Extension(certgen.OIDExtKeyUsage).Critical = false }},
			Want:    []string{"e_matter_ku_critical_once", "w_ext_key_usage_not_critical"},
		},
		{
			Name:    "e_matter_dac_bc",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose basicConstraints (cA=FALSE) carries pathLenConstraint 0; RFC 5280 forbids that too (zlint's e_path_len_constraint_improperly_included)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) {
				t.Extension(certgen.OIDExtBasicConstraints).Value = []byte{0x30, 0x03, 0x02, 0x01, 0x00}
			}},
			Want: []string{"e_matter_dac_bc", "e_path_len_constraint_improperly_included"},
		},
		{
			Name:    "e_matter_pai_bc",
			Profile: "matter",
			Role:    "sub",
			Breaks:  "PAI without a pathLenConstraint",
			Edit: func(t *certgen.Template) {
				t.MaxPathLenZero = false
				t.MaxPathLen = -1
			},
		},
		{
			Name:    "e_matter_paa_bc",
			Profile: "matter",
			Role:    "root",
			Breaks:  "PAA with pathLenConstraint 2",
			Edit:    func(t *certgen.Template) { t.MaxPathLen = 2 },
		},
		{
			Name:    "e_matter_dac_ku",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose keyUsage asserts keyAgreement besides digitalSignature",
			Edit:    func(t *certgen.Template) { t.KeyUsage |= x509.KeyUsageKeyAgreement },
		},
		{
			Name:    "e_matter_ca_ku",
			Profile: "matter",
			Role:    "sub",
			Breaks:  "PAI whose keyUsage asserts keyCertSign without cRLSign",
			Edit:    func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageCertSign },
		},
		{
			Name:    "e_matter_skid",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC without a subjectKeyIdentifier; zlint's RFC 5280 w_ext_subject_key_identifier_missing_sub_cert says the same at warn",
			Edit:    func(t *certgen.Template) { t.SubjectKeyId = nil },
			Want:    []string{"e_matter_skid", "w_ext_subject_key_identifier_missing_sub_cert"},
		},
		{
			Name:    "e_matter_akid",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose authorityKeyIdentifier holds an 8-octet keyIdentifier",
			Rewrite: []certgen.Rewrite{matterAKID([]byte{1, 2, 3, 4, 5, 6, 7, 8})},
		},
		{
			Name:    "n_matter_optional_exts",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC with an extendedKeyUsage (clientAuth), which the SDK tolerates",
			Edit:    func(t *certgen.Template) { t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} },
		},
		{
			Name:    "e_matter_vidpid_oid_format",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose product ID attribute is \"800a\" (lower case)",
			Edit: func(t *certgen.Template) {
				t.Subject = certgen.MatterName("Example Matter DAC 0001", certgen.MatterVID, "800a")
			},
		},
		{
			Name:    "e_matter_vidpid_cn_fallback",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC in the legacy commonName encoding whose Mpid: is followed by \"80\" only",
			Edit: func(t *certgen.Template) {
				t.Subject = pkix.Name{CommonName: "Example Matter DAC Mvid:FFF1 Mpid:80"}
			},
		},
		{
			Name:    "e_matter_dac_vid_pid",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC whose subject carries the vendor ID but no product ID",
			Edit: func(t *certgen.Template) {
				t.Subject = certgen.MatterName("Example Matter DAC 0001", certgen.MatterVID, "")
			},
		},
		{
			Name:    "e_matter_pai_vid",
			Profile: "matter",
			Role:    "sub",
			Breaks:  "PAI without a vendor ID; since its issuer, the PAA, has one, e_matter_subject_issuer_vid necessarily fires too",
			Edit:    func(t *certgen.Template) { t.Subject = certgen.MatterName("Example Matter PAI", "", "") },
			Want:    []string{"e_matter_pai_vid", "e_matter_subject_issuer_vid"},
		},
		{
			Name:    "e_matter_paa_no_pid",
			Profile: "matter",
			Role:    "root",
			Breaks:  "PAA whose subject carries a product ID",
			Edit: func(t *certgen.Template) {
				t.Subject = certgen.MatterName("Example Matter PAA", certgen.MatterVID, certgen.MatterPID)
			},
		},
		{
			Name:    "e_matter_subject_issuer_vid",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC with vendor ID FFF2 under a PAI with vendor ID FFF1",
			Edit: func(t *certgen.Template) {
				t.Subject = certgen.MatterName("Example Matter DAC 0001", "FFF2", certgen.MatterPID)
			},
		},
		{
			Name:    "n_matter_dac_current",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC not valid yet: notBefore 2090-01-01 (and notAfter 99991231235959Z)",
			Edit:    func(t *certgen.Template) { t.NotBefore = time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC) },
		},
		{
			Name:    "e_matter_serial_length",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC with a serial number of 21 octets (zlint's e_serial_number_longer_than_20_octets is off in the matter profile)",
			Rewrite: []certgen.Rewrite{certgen.SetSerial(bytes.Repeat([]byte{0x41}, 21))},
		},
		{
			Name:    "e_matter_cert_size",
			Profile: "matter",
			Role:    "ee",
			Breaks:  "DAC of more than 600 octets: three organizationName values of 60 characters added to its subject",
			Edit: func(t *certgen.Template) {
				o := strings.Repeat("O", 60)
				t.Subject.Organization = []string{o, o, o}
			},
		},
	}
}
