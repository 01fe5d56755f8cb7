package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_ku_critical_certsign",
		Description: "Subordinate CA certificates must carry a keyUsage extension marked critical that asserts keyCertSign.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.4",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, caKeyUsageCriticalCertSign))
}
