package main

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"time"

	"github.com/iotcert/iotcert/internal/certgen"
)

var (
	oidKeyECDH = asn1.ObjectIdentifier{1, 3, 132, 1, 12}
)

// setCritical returns a Rewrite that marks the extension oid critical.
func setCritical(oid asn1.ObjectIdentifier) certgen.Rewrite {
	return func(t *certgen.TBS) { t.Extension(oid).Critical = true }
}

// casesAllCerts are the test certificates for the lints of this section of
// the rules catalogue (draft-ietf-uta-tls13-iot-profile-23 §17.1, all
// certificates).
func casesAllCerts() []Case {
	return []Case{
		{
			Name:    "e_iot_all_version_v3",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "version field 0 (v1) on a certificate with extensions; zlint's e_cert_extensions_version_not_3 necessarily fires too, since the extensions are kept",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Version = 0 }},
			Want:    []string{"e_iot_all_version_v3", "e_cert_extensions_version_not_3"},
		},
		{
			Name:    "e_iot_all_serial_max_20_octets",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "serial number of 21 octets (reported by the delegate of zlint's e_serial_number_longer_than_20_octets, which the profile disables)",
			Rewrite: []certgen.Rewrite{certgen.SetSerial(bytes.Repeat([]byte{0x41}, 21))},
		},
		{
			Name:    "w_iot_all_serial_entropy_64bit",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "serial number 0x1001, two octets: too short for 64 random bits",
			Edit:    func(t *certgen.Template) { t.SerialNumber = big.NewInt(0x1001) },
		},
		{
			Name:    "w_iot_all_serial_entropy_64bit_leading_zero",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "nothing: the serial is 64 random bits whose first octet happens to be zero (one certificate in 256 of a correct generator), " +
				"so DER encodes 7 octets",
			Edit: func(t *certgen.Template) {
				t.SerialNumber = new(big.Int).SetBytes(certgen.RandomSerial().Bytes()[:7])
			},
			Want: []string{},
		},
		{
			Name:    "w_iot_all_serial_entropy_64bit_48bits",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "serial number of 48 random bits (6 octets): below 2^48, too short for 64 random bits",
			Edit: func(t *certgen.Template) {
				t.SerialNumber = new(big.Int).SetBytes(certgen.RandomSerial().Bytes()[:6])
			},
			Want: []string{"w_iot_all_serial_entropy_64bit"},
		},
		{
			Name:    "e_iot_all_sig_alg_ecdsa",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "signed with sha256WithRSAEncryption (by an RSA-3072 key under the subordinate CA's name and key identifier)",
			Edit:    func(t *certgen.Template) { t.Issuer = certgen.StandIn(t.Issuer, "RSA-3072") },
		},
		{
			Name:    "w_iot_all_sig_alg_eddsa_mldsa",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "signed with Ed25519 (by an Ed25519 key under the subordinate CA's name and key identifier); ambiguity A8",
			Edit:    func(t *certgen.Template) { t.Issuer = certgen.StandIn(t.Issuer, "Ed25519") },
		},
		{
			Name:    "n_iot_all_sig_alg_device_supported",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "signed with ecdsa-with-SHA384 (by a P-384 key under the subordinate CA's name and key identifier), which conforms; " +
				"the lint notes it only when rules.yaml sets algorithms without it (no built-in profile does), see its test",
			Edit: func(t *certgen.Template) { t.Issuer = certgen.StandIn(t.Issuer, "P-384") },
			Want: []string{},
		},
		{
			Name:    "e_iot_all_issuer_nonempty",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "issuer is an empty SEQUENCE (reported by the delegate of zlint's e_issuer_field_empty, which the profile disables)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Issuer = asn1.RawValue{FullBytes: []byte{0x30, 0x00}} }},
		},
		{
			Name:    "e_iot_all_time_zulu_seconds",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "notBefore is UTCTime 2501020000Z, without seconds (reported by the delegate of zlint's e_utc_time_does_not_include_seconds, which the profile disables)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Validity.NotBefore = certgen.UTCTime("2501020000Z") }},
		},
		{
			Name:    "w_iot_all_noexpiry_encoding",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "notAfter is GeneralizedTime 99991231000000Z: year 9999 but not the no-expiry value 99991231235959Z (RFC 5280 §4.1.2.5 SHOULD)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Validity.NotAfter = certgen.GeneralizedTime("99991231000000Z") }},
		},
		{
			Name:    "w_iot_all_noexpiry_encoding_utc2049",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "nothing: notAfter is UTCTime 491231235959Z, a legal finite date (RFC 5280 §4.1.2.5 requires UTCTime through 2049), not a botched no-expiry value",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Validity.NotAfter = certgen.UTCTime("491231235959Z") }},
			Want:    []string{},
		},
		{
			Name:    "w_iot_all_noexpiry_encoding_gen2049",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "notAfter is GeneralizedTime 20491231235959Z: a date before 2050 that RFC 5280 §4.1.2.5 requires as UTCTime (a MUST), " +
				"reported by zlint's e_wrong_time_format_pre2050, not as a near miss of no expiry",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.Validity.NotAfter = certgen.GeneralizedTime("20491231235959Z") }},
			Want:    []string{"e_wrong_time_format_pre2050"},
		},
		{
			Name:    "w_iot_ldevid_lifetime_limited",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks:  "LDevID with notAfter 99991231235959Z",
			Edit:    func(t *certgen.Template) { t.NotAfter = certgen.NoExpiry },
		},
		{
			Name:    "e_ext_san_uri_relative_backdated",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks: "a device certificate backdated to notBefore 2000-01-01 (a device without a clock) with the relative URI sensor-1 in its subjectAltName: " +
				"zlint's RFC 5280 lints e_ext_san_uri_relative, e_ext_san_uri_format_invalid and e_ext_san_uri_host_not_fqdn_or_ip, whose effective date is May 2008, must still fire (zlint's effective dates are ignored)",
			Edit: func(t *certgen.Template) {
				t.NotBefore = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
				t.SetSAN(false, certgen.URI("sensor-1"))
			},
			Want: []string{"e_ext_san_uri_relative", "e_ext_san_uri_format_invalid", "e_ext_san_uri_host_not_fqdn_or_ip"},
		},
		{
			Name:    "w_iot_ldevid_lifetime_limited_5y",
			Profile: "ldevid-8021ar",
			Role:    "ee",
			Breaks:  "nothing by default: an LDevID valid for five years has a bounded lifetime, and the draft names no maximum (max_days is unset in the built-in profiles)",
			Edit:    func(t *certgen.Template) { t.NotAfter = certgen.Epoch.AddDate(5, 0, 0) },
			Want:    []string{},
		},
		{
			Name:    "e_iot_all_spki_ec",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "RSA-3072 subject key",
			Edit:    func(t *certgen.Template) { t.Key = certgen.NewKey("RSA-3072") },
		},
		{
			Name:    "w_iot_all_spki_eddsa_mldsa",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "Ed25519 subject key; ambiguity A8",
			Edit:    func(t *certgen.Template) { t.Key = certgen.NewKey("Ed25519") },
		},
		{
			Name:    "e_iot_all_spki_curve",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "id-ecPublicKey subject key on secp256k1 (which zcrypto cannot decode; the lint judges the original SPKI)",
			Rewrite: []certgen.Rewrite{func(t *certgen.TBS) { t.PublicKey = certgen.Secp256k1SPKI() }},
		},
		{
			Name:    "w_iot_all_key_strength_128",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "P-224 subject key, 112 bits of security; every key below 128 bits is also off the allowed curves or not EC, so e_iot_all_spki_curve necessarily fires too",
			Edit:    func(t *certgen.Template) { t.Key = certgen.NewKey("P-224") },
			Want:    []string{"w_iot_all_key_strength_128", "e_iot_all_spki_curve"},
		},
		{
			Name:    "e_iot_ee_no_static_ecdh",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "keyUsage keyAgreement without digitalSignature: a static ECDH key (and so a signature-capable key without digitalSignature, e_iot_ee_ku_digsig)",
			Edit:    func(t *certgen.Template) { t.KeyUsage = x509.KeyUsageKeyAgreement },
			Want:    []string{"e_iot_ee_no_static_ecdh", "e_iot_ee_ku_digsig"},
		},
		{
			Name:    "e_iot_ee_no_static_ecdh_spki",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "subject key algorithm id-ecDH (RFC 5480 §2.1.2) on P-256; not id-ecPublicKey, so e_iot_all_spki_ec necessarily fires too",
			Rewrite: []certgen.Rewrite{certgen.SetSPKIAlgorithm(oidKeyECDH)},
			Want:    []string{"e_iot_ee_no_static_ecdh", "e_iot_all_spki_ec"},
		},
		{
			Name:    "w_iot_all_crldp_absent",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "non-critical cRLDistributionPoints present",
			Edit:    func(t *certgen.Template) { t.CRLDistributionPoints = []string{"http://crl.example.com/device-ca.crl"} },
		},
		{
			Name:    "e_iot_all_crldp_noncritical",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "critical cRLDistributionPoints; being present it also trips w_iot_all_crldp_absent",
			Edit:    func(t *certgen.Template) { t.CRLDistributionPoints = []string{"http://crl.example.com/device-ca.crl"} },
			Rewrite: []certgen.Rewrite{setCritical(certgen.OIDExtCRLDistribution)},
			Want:    []string{"e_iot_all_crldp_noncritical", "w_iot_all_crldp_absent"},
		},
		{
			Name:    "w_iot_all_aia_ocsp_absent",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "non-critical authorityInfoAccess with id-ad-ocsp",
			Edit:    func(t *certgen.Template) { t.OCSPServer = []string{"http://ocsp.example.com"} },
		},
		{
			Name:    "e_iot_all_aia_noncritical",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "critical authorityInfoAccess holding only id-ad-caIssuers; any AIA content trips either w_iot_all_aia_ocsp_absent or n_iot_all_aia_caissuers_ok, here the notice",
			Edit:    func(t *certgen.Template) { t.IssuingCertificateURL = []string{"http://pki.example.com/device-ca.cer"} },
			Rewrite: []certgen.Rewrite{setCritical(certgen.OIDExtAuthorityInfo)},
			Want:    []string{"e_iot_all_aia_noncritical", "n_iot_all_aia_caissuers_ok"},
		},
		{
			Name:    "n_iot_all_aia_caissuers_ok",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "non-critical authorityInfoAccess with only id-ad-caIssuers (allowed; noted)",
			Edit:    func(t *certgen.Template) { t.IssuingCertificateURL = []string{"http://pki.example.com/device-ca.cer"} },
		},
		{
			Name:    "n_iot_all_policy_oid",
			Profile: "tls13-iot",
			Role:    "ee",
			Breaks:  "certificatePolicies with a deployment policy OID (allowed; noted)",
			Edit: func(t *certgen.Template) {
				oid, err := x509.OIDFromInts([]uint64{1, 3, 6, 1, 4, 1, 32473, 1, 2})
				if err != nil {
					panic(err)
				}
				t.Policies = []x509.OID{oid}
			},
		},
	}
}
