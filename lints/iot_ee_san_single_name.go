package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_ee_san_single_name",
		Description: "The subjectAltName of an end-entity certificate holds more than one name. " +
			"Ambiguity A1: the literal text says it must not contain multiple names; the default profiles enforce one name per type (e_iot_ee_san_one_name_per_type) and warn on this reading, which rules.yaml can raise to error.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeSANSingleName{} })
}

type eeSANSingleName struct{}

func (l *eeSANSingleName) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtSubjectAltName)
}

func (l *eeSANSingleName) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Warn, "cannot decode subjectAltName: %v", err)
	}
	if len(names) > 1 {
		kinds := make([]string, len(names))
		for i, n := range names {
			kinds[i] = generalNameType(n.Tag)
		}
		return failf(lint.Warn, "subjectAltName holds %d names (%s), not one", len(names), strings.Join(kinds, ", "))
	}
	return pass()
}
