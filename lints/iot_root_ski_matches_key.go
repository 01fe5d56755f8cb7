package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_root_ski_matches_key",
		Description: "The subjectKeyIdentifier of a root CA certificate must identify its public key. Ambiguity A17: the profile names no derivation method, so this warns unless the SKI is RFC 5280 method 1 or 2, or RFC 7093 method 1, 2 or 3, of the subjectPublicKey.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.3",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtSubjectKeyID), caSKIMatchesKey))
}
