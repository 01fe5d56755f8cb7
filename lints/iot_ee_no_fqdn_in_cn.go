package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_no_fqdn_in_cn",
		Description: "Domain names must not be encoded in the subject commonName of an end-entity certificate; they belong in a dNSName subjectAltName (DNS-ID). " +
			"A commonName of two or more letter-digit-hyphen labels whose last label is a top-level domain delegated in the DNS root zone (or local, RFC 6762) is taken for a domain name; " +
			"product names such as Kitchen.Light or S7-1500.PLC are not.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1 (RFC 9525 §2)",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeNoFQDNInCN{} })
}

type eeNoFQDNInCN struct{}

func (l *eeNoFQDNInCN) CheckApplies(c *x509.Certificate) bool {
	return subjectHas(c, oidAttrCommonName)
}

func (l *eeNoFQDNInCN) Execute(c *x509.Certificate) *lint.LintResult {
	for _, cn := range subjectStrings(c, oidAttrCommonName) {
		if looksLikeDomainName(cn) {
			return failf(lint.Error, "subject commonName %q is a domain name; put it in a dNSName subjectAltName", cn)
		}
	}
	return pass()
}
