package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_bc",
		Description: "Subordinate CA certificates must carry a basicConstraints extension marked critical with cA set to TRUE.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.5",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, caBasicConstraintsCriticalCA))
}
