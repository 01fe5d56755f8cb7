package lints

import (
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_san_one_name_per_type",
		Description: "The subjectAltName of an end-entity certificate must not hold more than one name of each GeneralName type (otherNames counted per type-id). " +
			"Ambiguity A1: this is the decided reading of \"must not contain multiple names\"; w_iot_ee_san_single_name checks the literal one.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeSANOneNamePerType{} })
}

type eeSANOneNamePerType struct{}

func (l *eeSANOneNamePerType) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtSubjectAltName)
}

func (l *eeSANOneNamePerType) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Error, "cannot decode subjectAltName: %v", err)
	}
	count := map[string]int{}
	var order []string
	for i, n := range names {
		kind := generalNameType(n.Tag)
		if n.Tag == tagOtherName {
			id, _, err := n.otherName()
			if err != nil {
				return failf(lint.Error, "subjectAltName entry %d: %v", i, err)
			}
			kind = "otherName " + id.String()
			if id.Equal(oidOnHardwareModuleName) {
				kind = "otherName HardwareModuleName"
			}
		}
		if count[kind] == 0 {
			order = append(order, kind)
		}
		count[kind]++
	}
	var dups []string
	for _, kind := range order {
		if count[kind] > 1 {
			dups = append(dups, fmt.Sprintf("%d of type %s", count[kind], kind))
		}
	}
	if len(dups) > 0 {
		return failf(lint.Error, "subjectAltName holds more than one name of a type: %s", strings.Join(dups, ", "))
	}
	return pass()
}
