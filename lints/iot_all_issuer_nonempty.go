package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_issuer_nonempty",
		Description: "The issuer field must hold a non-empty distinguished name; this restates RFC 5280 §4.1.2.4 and runs zlint's e_issuer_field_empty.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.4",
		Source:      IoTTLS13,
	}, role.AllSet, zlintDelegate(lint.Error, nil, "e_issuer_field_empty"))
}
