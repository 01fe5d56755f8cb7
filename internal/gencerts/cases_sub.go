package main

import (
	"crypto/x509"

	"github.com/iotcert/iotcert/internal/certgen"
)

// casesSub are the test certificates for the lints of this section of
// the rules catalogue.
func casesSub() []Case {
	withAIA := func(caIssuers, ocsp bool) func(t *certgen.Template) {
		return func(t *certgen.Template) {
			if caIssuers {
				t.IssuingCertificateURL = []string{"http://pki.example.com/root.crt"}
			}
			if ocsp {
				t.OCSPServer = []string{"http://ocsp.example.com"}
			}
		}
	}
	withCRLDP := func(t *certgen.Template) { t.CRLDistributionPoints = []string{"http://pki.example.com/root.crl"} }
	return []Case{
		{
			Name: "e_iot_sub_subject_cn_o_c", Profile: "tls13-iot", Role: "sub",
			Breaks: "subject has CN and C but no organizationName",
			Edit:   func(t *certgen.Template) { t.Subject.Organization = nil },
		},
		{
			Name: "e_iot_sub_aki", Profile: "tls13-iot", Role: "sub",
			Breaks:  "no authorityKeyIdentifier; zlint's RFC 5280 e_ext_authority_key_identifier_no_key_identifier says the same",
			Rewrite: []certgen.Rewrite{caRemove(certgen.OIDExtAuthorityKeyID)},
			Want:    []string{"e_iot_sub_aki", "e_ext_authority_key_identifier_no_key_identifier"},
		},
		{
			Name: "e_iot_sub_aki_critical", Profile: "tls13-iot", Role: "sub",
			Breaks:  "authorityKeyIdentifier marked critical; zlint's RFC 5280 e_ext_authority_key_identifier_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtAuthorityKeyID, true)},
			Want:    []string{"e_iot_sub_aki", "e_ext_authority_key_identifier_critical"},
		},
		{
			Name: "e_iot_sub_ski", Profile: "tls13-iot", Role: "sub",
			Breaks:  "no subjectKeyIdentifier; zlint's RFC 5280 e_ext_subject_key_identifier_missing_ca says the same",
			Rewrite: []certgen.Rewrite{caRemove(certgen.OIDExtSubjectKeyID)},
			Want:    []string{"e_iot_sub_ski", "e_ext_subject_key_identifier_missing_ca"},
		},
		{
			Name: "e_iot_sub_ski_critical", Profile: "tls13-iot", Role: "sub",
			Breaks:  "subjectKeyIdentifier marked critical; zlint's RFC 5280 e_ext_subject_key_identifier_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtSubjectKeyID, true)},
			Want:    []string{"e_iot_sub_ski", "e_ext_subject_key_identifier_critical"},
		},
		{
			Name: "w_iot_sub_ski_matches_key", Profile: "tls13-iot", Role: "sub",
			Breaks: "subjectKeyIdentifier is the key identifier of another key",
			Edit:   func(t *certgen.Template) { t.SubjectKeyId = certgen.KeyID(certgen.NewKey("P-256").Public()) },
		},
		{
			Name: "e_iot_sub_ku_critical_certsign", Profile: "tls13-iot", Role: "sub",
			Breaks: "no keyUsage",
			Edit:   func(t *certgen.Template) { t.KeyUsage = 0 },
		},
		{
			Name: "e_iot_sub_ku_critical_certsign_noncritical", Profile: "tls13-iot", Role: "sub",
			Breaks:  "keyUsage not marked critical; zlint's RFC 5280 w_ext_key_usage_not_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtKeyUsage, false)},
			Want:    []string{"e_iot_sub_ku_critical_certsign", "w_ext_key_usage_not_critical"},
		},
		{
			Name: "e_iot_sub_ku_critical_certsign_no_certsign", Profile: "tls13-iot", Role: "sub",
			Breaks: "keyUsage digitalSignature and cRLSign, without keyCertSign",
			Edit:   func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign },
			Want:   []string{"e_iot_sub_ku_critical_certsign"},
		},
		{
			Name: "w_iot_sub_ku_digsig", Profile: "tls13-iot", Role: "sub",
			Breaks: "keyUsage keyCertSign and cRLSign, without digitalSignature",
			Edit:   func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign },
		},
		{
			Name: "n_iot_sub_ku_crlsign", Profile: "tls13-iot", Role: "sub",
			Breaks: "keyUsage keyCertSign and digitalSignature, without cRLSign",
			Edit:   func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature },
		},
		{
			Name: "w_iot_sub_no_eku", Profile: "tls13-iot", Role: "sub",
			Breaks: "extendedKeyUsage clientAuth in a subordinate CA",
			Edit:   func(t *certgen.Template) { t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} },
		},
		{
			Name: "e_iot_sub_bc", Profile: "tls13-iot", Role: "sub",
			Breaks:  "basicConstraints not marked critical; zlint's RFC 5280 e_basic_constraints_not_critical says the same",
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtBasicConstraints, false)},
			Want:    []string{"e_iot_sub_bc", "e_basic_constraints_not_critical"},
		},
		{
			Name: "e_iot_sub_bc_absent", Profile: "tls13-iot", Role: "sub",
			Breaks:  "no basicConstraints (still a CA by keyCertSign); zlint's RFC 5280 e_ext_key_usage_cert_sign_without_ca fires on keyCertSign without cA",
			Rewrite: []certgen.Rewrite{caRemove(certgen.OIDExtBasicConstraints)},
			Want:    []string{"e_iot_sub_bc", "e_ext_key_usage_cert_sign_without_ca"},
		},
		{
			Name: "w_iot_sub_pathlen_omitted", Profile: "tls13-iot", Role: "sub",
			Breaks: "basicConstraints pathLenConstraint 0",
			Edit:   func(t *certgen.Template) { t.MaxPathLen, t.MaxPathLenZero = 0, true },
		},
		{
			Name: "w_iot_sub_crldp_absent", Profile: "tls13-iot", Role: "sub",
			Breaks: "non-critical cRLDistributionPoints",
			Edit:   withCRLDP,
		},
		{
			Name: "e_iot_sub_crldp_noncritical", Profile: "tls13-iot", Role: "sub",
			Breaks:  "critical cRLDistributionPoints: present at all (warn) and critical (error)",
			Edit:    withCRLDP,
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtCRLDistribution, true)},
			Want:    []string{"e_iot_sub_crldp_noncritical", "w_iot_sub_crldp_absent"},
		},
		{
			Name: "w_iot_sub_aia_absent", Profile: "tls13-iot", Role: "sub",
			Breaks: "non-critical authorityInfoAccess with caIssuers and OCSP",
			Edit:   withAIA(true, true),
		},
		{
			Name: "e_iot_sub_aia_noncritical", Profile: "tls13-iot", Role: "sub",
			Breaks:  "critical authorityInfoAccess with caIssuers and OCSP: present at all (warn) and critical (error)",
			Edit:    withAIA(true, true),
			Rewrite: []certgen.Rewrite{caCritical(certgen.OIDExtAuthorityInfo, true)},
			Want:    []string{"e_iot_sub_aia_noncritical", "w_iot_sub_aia_absent"},
		},
		{
			Name: "w_iot_sub_aia_caissuers_and_ocsp", Profile: "tls13-iot", Role: "sub",
			Breaks: "non-critical authorityInfoAccess with caIssuers only (allowed by §17.1.7, short of §17.3.7's both: Ambiguity A3)",
			Edit:   withAIA(true, false),
			Want:   []string{"w_iot_sub_aia_caissuers_and_ocsp", "w_iot_sub_aia_absent"},
		},
	}
}
