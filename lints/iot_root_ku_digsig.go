package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_root_ku_digsig",
		Description: "A root CA's keyUsage asserts digitalSignature, which the editor's copy of the draft says is only needed when the same " +
			"CA key signs objects other than certificates or CRLs, such as OCSP responses. A notice: the text sets no requirement " +
			"keyword, and one certificate does not show what else its key signs. Revision -23 only said that digitalSignature is not " +
			"required on a root (profile tls13-iot-23 turns this notice off).",
		Citation: draftEditorsCopy + " §16.2.4",
		Source:   IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtKeyUsage), func(c *x509.Certificate) *lint.LintResult {
		bits, _, err := caKeyUsageBits(c)
		switch {
		case err != nil:
			return failf(lint.Notice, "%v", err)
		case bits.At(kuDigitalSignature) != 0:
			return failf(lint.Notice, "keyUsage asserts digitalSignature, needed only if the root key also signs objects other than certificates and CRLs (such as OCSP responses)")
		}
		return pass()
	}))
}
