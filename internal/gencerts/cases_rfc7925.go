package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"

	"github.com/iotcert/iotcert/internal/certgen"
)

// casesRFC7925 are the test certificates for the lints of this section of
// the rules catalogue: RFC 7925 §4.4, profile rfc7925, whose conforming end
// entity is a client named by its EUI-64 in the CN.
func casesRFC7925() []Case {
	return []Case{
		{
			Name:    "e_r7925_server_dns_in_san",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "server certificate (EKU serverAuth) with its domain name in the subject CN and no subjectAltName",
			Edit: func(t *certgen.Template) {
				t.Subject.CommonName = "coap.devices.example.com"
				t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			},
		},
		{
			Name:    "e_r7925_no_wildcard",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "server certificate whose one dNSName is the wildcard *.devices.example.com",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.DNSName("*.devices.example.com"))
			},
		},
		{
			Name:    "e_r7925_san_single_name",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "server certificate whose subjectAltName holds two dNSNames",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.DNSName("coap.devices.example.com"), certgen.DNSName("coap2.devices.example.com"))
			},
		},
		{
			Name:    "e_r7925_client_eui64",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "client certificate whose only identifier is the CN \"Example sensor\", not an EUI-64",
			Edit: func(t *certgen.Template) {
				t.Subject.CommonName = "Example sensor"
			},
		},
		{
			Name:    "e_r7925_eui64_text_format",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "client certificate whose CN EUI-64 is written 01:23:45:67:89:ab:cd:ef (colons, lower case)",
			Edit: func(t *certgen.Template) {
				t.Subject.CommonName = "01:23:45:67:89:ab:cd:ef"
			},
		},
		{
			Name:    "e_r7925_eui64_text_format_no_dashes",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "client certificate whose CN EUI-64 is written 0123456789ABCDEF (no dashes)",
			Edit: func(t *certgen.Template) {
				t.Subject.CommonName = "0123456789ABCDEF"
			},
			Want: []string{"e_r7925_eui64_text_format"},
		},
		{
			Name:    "e_r7925_eui64_text_format_san",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks: "client certificate with the right CN whose subjectAltName dNSName EUI-64 01-23-45-67-89-ab-cd-ef is in lower case " +
				"(a dNSName holding an EUI-64 does not make the certificate a server's)",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.DNSName("01-23-45-67-89-ab-cd-ef"))
			},
			Want: []string{"e_r7925_eui64_text_format"},
		},
		{
			Name:    "n_r7925_no_revocation_ext",
			Profile: "rfc7925",
			Role:    "sub",
			Breaks:  "subordinate CA with a cRLDistributionPoints extension",
			Edit: func(t *certgen.Template) {
				t.CRLDistributionPoints = []string{"http://crl.example.com/root.crl"}
			},
		},
		{
			Name:    "n_r7925_no_revocation_ext_ocsp",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "end entity whose authorityInformationAccess holds an OCSP location",
			Edit: func(t *certgen.Template) {
				t.OCSPServer = []string{"http://ocsp.example.com"}
			},
			Want: []string{"n_r7925_no_revocation_ext"},
		},
		{
			Name:    "e_r7925_table1_version",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks: "end entity encoded as version 1 with its extensions kept; zlint's e_cert_extensions_version_not_3 " +
				"fires too, since RFC 5280 §4.1.2.9 allows extensions only in v3 and an IoT end entity cannot go without them",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Version = 0 }},
			Want:    []string{"e_r7925_table1_version", "e_cert_extensions_version_not_3"},
		},
		{
			Name:    "e_r7925_table1_sig",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "end entity signed with ecdsa-with-SHA384 by the P-256 subordinate CA",
			Edit: func(t *certgen.Template) {
				t.SignatureAlgorithm = x509.ECDSAWithSHA384
			},
		},
		{
			Name:    "e_r7925_table1_sig_outer",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks: "end entity whose TBSCertificate names ecdsa-with-SHA256 but whose outer signatureAlgorithm names ecdsa-with-SHA384; " +
				"zlint's e_cert_sig_alg_not_match_tbs_sig_alg fires too, since RFC 5280 §4.1.1.2 requires the two to be equal",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) {
				t.OuterSignatureAlgorithm = &pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}}
			}},
			Want: []string{"e_r7925_table1_sig", "e_cert_sig_alg_not_match_tbs_sig_alg"},
		},
		{
			Name:    "e_r7925_table1_spki",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "end entity with a P-384 key (192-bit, so no key-length finding)",
			Edit: func(t *certgen.Template) {
				t.Key = certgen.NewKey("P-384")
				t.SubjectKeyId = certgen.KeyID(t.Key.Public())
			},
		},
		{
			Name:    "n_r7925_table1_validity",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks:  "end entity with notAfter 99991231235959Z, a GeneralizedTime as RFC 5280 requires, not the UTC time of Table 1",
			Edit: func(t *certgen.Template) {
				t.NotAfter = certgen.NoExpiry
			},
		},
		{
			Name:    "n_r7925_table1_validity_pre2050",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks: "end entity whose notBefore 2025-01-02 is encoded as GeneralizedTime; zlint's e_wrong_time_format_pre2050 " +
				"fires too, since RFC 5280 §4.1.2.5 requires UTCTime before 2050",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Validity.NotBefore = certgen.GeneralizedTime("20250102000000Z") }},
			Want:    []string{"n_r7925_table1_validity", "e_wrong_time_format_pre2050"},
		},
		{
			Name:    "n_r7925_key_length",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks: "end entity with a P-224 key (112-bit security); e_r7925_table1_spki fires too, since Table 1 allows only P-256, " +
				"which every key below 128 bits breaks",
			Edit: func(t *certgen.Template) {
				t.Key = certgen.NewKey("P-224")
				t.SubjectKeyId = certgen.KeyID(t.Key.Public())
			},
			Want: []string{"n_r7925_key_length", "e_r7925_table1_spki"},
		},
		{
			Name:    "e_r7925_key_length_112",
			Profile: "rfc7925",
			Role:    "ee",
			Breaks: "end entity with an RSA-1024 key (80-bit security); e_r7925_table1_spki fires too, since Table 1 allows only P-256, " +
				"which every key below 112 bits breaks",
			Edit: func(t *certgen.Template) {
				t.Key = certgen.NewWeakRSAKey(1024)
				t.SubjectKeyId = certgen.KeyID(t.Key.Public())
			},
			Want: []string{"e_r7925_key_length_112", "e_r7925_table1_spki"},
		},
	}
}
