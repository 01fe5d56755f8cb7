package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_bc",
		Description: "Root CA certificates must carry a basicConstraints extension marked critical with cA set to TRUE.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.6",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(nil, caBasicConstraintsCriticalCA))
}
