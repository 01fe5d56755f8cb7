package lints

import (
	"bytes"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_aki_equals_ski",
		Description: "The keyIdentifier of a root CA certificate's authorityKeyIdentifier must equal its own subjectKeyIdentifier (checked when both extensions are present).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.2",
		Source:      IoTTLS13,
	}, role.RootSet, funcLint(func(c *x509.Certificate) bool {
		return hasExtension(c, oidExtAuthorityKeyID) && hasExtension(c, oidExtSubjectKeyID)
	}, func(c *x509.Certificate) *lint.LintResult {
		aki, ok, err := caAuthorityKeyID(c)
		if err != nil {
			return failf(lint.Error, "%v", err)
		}
		if !ok {
			return failf(lint.Error, "authorityKeyIdentifier has no keyIdentifier")
		}
		ski, err := caSubjectKeyID(c)
		if err != nil {
			return failf(lint.Error, "%v", err)
		}
		if !bytes.Equal(aki, ski) {
			return failf(lint.Error, "authorityKeyIdentifier keyIdentifier %x differs from subjectKeyIdentifier %x", aki, ski)
		}
		return pass()
	}))
}
