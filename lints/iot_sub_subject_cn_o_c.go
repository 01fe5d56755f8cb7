package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_subject_cn_o_c",
		Description: "Subordinate CA certificates must have a subject containing commonName, organizationName and countryName (organizationalUnitName is optional).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.1",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, caSubjectCNOC))
}
