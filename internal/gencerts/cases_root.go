package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"

	"github.com/iotcert/iotcert/internal/certgen"
)

// caCritical is a Rewrite that marks the extension oid critical or not.
func caCritical(oid asn1.ObjectIdentifier, critical bool) certgen.Rewrite {
	return func(t *certgen.TBS) { t.Extension(oid).Critical = critical }
}

// caRemove is a Rewrite that removes the extension oid.
func caRemove(oid asn1.ObjectIdentifier) certgen.Rewrite {
	return func(t *certgen.TBS) { t.RemoveExtension(oid) }
}

// casesRoot are the test certificates for the lints of this section of
// the rules catalogue.
func casesRoot() []Case {
	return []Case{
		{
			Name: "e_iot_root_subject_nonempty", Profile: "tls13-iot", Role: "root",
			Breaks: "empty subject (and so empty issuer); CN/O/C are then missing too, and zlint's RFC 5280 lints for an empty CA subject, an empty issuer and an empty subject without SAN fire as well",
			Edit:   func(t *certgen.Template) { t.Subject = pkix.Name{} },
			Want:   []string{"e_iot_root_subject_nonempty", "e_iot_root_subject_cn_o_c", "e_ca_subject_field_empty", "e_iot_all_issuer_nonempty", "e_subject_empty_without_san"},
		},
		{
			Name: "e_iot_root_subject_cn_o_c", Profile: "tls13-iot", Role: "root",
			Breaks: "subject has CN and O but no countryName",
			Edit:   func(t *certgen.Template) { t.Subject.Country = nil },
		},
		{
			Name: "w_iot_root_san_noncritical", Profile: "tls13-iot", Role: "root",
			Breaks: "critical subjectAltName holding the subject as a directoryName",
			Edit:   func(t *certgen.Template) { t.SetSAN(true, certgen.DirectoryName(t.Subject)) },
		},
		{
			Name: "n_iot_root_san_consistent", Profile: "tls13-iot", Role: "root",
			Breaks: "subjectAltName dNSName ca.example.com, which is not in the subject",
			Edit:   func(t *certgen.Template) { t.SetSAN(false, certgen.DNSName("ca.example.com")) },
		},
		{
			Name: "w_iot_root_aki_present", Profile: "tls13-iot", Role: "root",
			Breaks: "no authorityKeyIdentifier",
			Edit:   func(t *certgen.Template) { t.AuthorityKeyId = nil },
		},
		{
			Name: "e_iot_root_aki_noncritical", Profile: "tls13-iot", Role: "root",
			Breaks:  "authorityKeyIdentifier marked critical; zlint's RFC 5280 e_ext_authority_key_identifier_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtAuthorityKeyID, true)},
			Want:    []string{"e_iot_root_aki_noncritical", "e_ext_authority_key_identifier_critical"},
		},
		{
			Name: "e_iot_root_aki_equals_ski", Profile: "tls13-iot", Role: "root",
			Breaks: "authorityKeyIdentifier keyIdentifier is that of another key, not the root's SKI",
			Edit:   func(t *certgen.Template) { t.AuthorityKeyId = certgen.KeyID(certgen.NewKey("P-256").Public()) },
		},
		{
			Name: "e_iot_root_ski_present", Profile: "tls13-iot", Role: "root",
			Breaks:  "no subjectKeyIdentifier; zlint's RFC 5280 e_ext_subject_key_identifier_missing_ca says the same",
			Rewrite: []certgen.Rewrite{caRemove(certgen.OIDExtSubjectKeyID)},
			Want:    []string{"e_iot_root_ski_present", "e_ext_subject_key_identifier_missing_ca"},
		},
		{
			Name: "e_iot_root_ski_present_critical", Profile: "tls13-iot", Role: "root",
			Breaks:  "subjectKeyIdentifier marked critical; zlint's RFC 5280 e_ext_subject_key_identifier_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtSubjectKeyID, true)},
			Want:    []string{"e_iot_root_ski_present", "e_ext_subject_key_identifier_critical"},
		},
		{
			Name: "w_iot_root_ski_matches_key", Profile: "tls13-iot", Role: "root",
			Breaks: "subjectKeyIdentifier (and AKI) is the key identifier of another key",
			Edit: func(t *certgen.Template) {
				t.SubjectKeyId = certgen.KeyID(certgen.NewKey("P-256").Public())
				t.AuthorityKeyId = t.SubjectKeyId
			},
		},
		{
			Name: "w_iot_root_ku_present", Profile: "tls13-iot", Role: "root",
			Breaks: "no keyUsage",
			Edit:   func(t *certgen.Template) { t.KeyUsage = 0 },
		},
		{
			Name: "e_iot_root_ku_critical_certsign", Profile: "tls13-iot", Role: "root",
			Breaks:  "keyUsage not marked critical; zlint's RFC 5280 w_ext_key_usage_not_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtKeyUsage, false)},
			Want:    []string{"e_iot_root_ku_critical_certsign", "w_ext_key_usage_not_critical"},
		},
		{
			Name: "e_iot_root_ku_critical_certsign_no_certsign", Profile: "tls13-iot", Role: "root",
			Breaks: "keyUsage cRLSign only, without keyCertSign",
			Edit:   func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageCRLSign },
			Want:   []string{"e_iot_root_ku_critical_certsign"},
		},
		{
			Name: "n_iot_root_ku_crlsign", Profile: "tls13-iot", Role: "root",
			Breaks: "keyUsage keyCertSign only, without cRLSign",
			Edit:   func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageCertSign },
		},
		{
			Name: "n_iot_root_ku_digsig", Profile: "tls13-iot", Role: "root",
			Breaks: "keyUsage keyCertSign, cRLSign and digitalSignature, with no OCSP responses or other objects to sign shown",
			Edit: func(t *certgen.Template) {
				t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
			},
		},
		{
			Name: "e_iot_root_no_eku", Profile: "tls13-iot", Role: "root",
			Breaks: "extendedKeyUsage clientAuth in a root",
			Edit:   func(t *certgen.Template) { t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} },
		},
		{
			Name: "e_iot_root_bc", Profile: "tls13-iot", Role: "root",
			Breaks:  "basicConstraints not marked critical; zlint's RFC 5280 e_basic_constraints_not_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtBasicConstraints, false)},
			Want:    []string{"e_iot_root_bc", "e_basic_constraints_not_critical"},
		},
		{
			Name: "e_iot_root_bc_absent", Profile: "tls13-iot", Role: "root",
			Breaks:  "no basicConstraints (still a CA by keyCertSign); zlint's RFC 5280 e_ext_key_usage_cert_sign_without_ca fires on keyCertSign without cA",
			Rewrite: []certgen.Rewrite{caRemove(certgen.OIDExtBasicConstraints)},
			Want:    []string{"e_iot_root_bc", "e_ext_key_usage_cert_sign_without_ca"},
		},
		{
			Name: "e_iot_root_no_pathlen", Profile: "tls13-iot", Role: "root",
			Breaks: "basicConstraints pathLenConstraint 1",
			Edit:   func(t *certgen.Template) { t.MaxPathLen = 1 },
		},
	}
}
