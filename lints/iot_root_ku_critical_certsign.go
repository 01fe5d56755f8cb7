package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_ku_critical_certsign",
		Description: "A keyUsage extension in a root CA certificate must be marked critical and assert keyCertSign.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.4",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtKeyUsage), caKeyUsageCriticalCertSign))
}
