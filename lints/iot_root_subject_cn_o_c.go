package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_subject_cn_o_c",
		Description: "The subject of a root CA certificate must contain commonName, organizationName and countryName (organizationalUnitName is optional).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.1",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(nil, caSubjectCNOC))
}
