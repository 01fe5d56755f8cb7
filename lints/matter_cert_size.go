package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_cert_size",
		Description: "The DER encoding of a Matter attestation certificate must be at most 600 octets, the SDK's kMaxDERCertLength: the commissioner refuses a longer DAC or PAI (AutoCommissioner::SetDAC, SetPAI) and the attestation buffers and PAA stores are that size.",
		Citation:    "connectedhomeip src/credentials/CHIPCert.h kMaxDERCertLength; src/controller/AutoCommissioner.cpp SetDAC, SetPAI",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterCertSize))
}

// matterMaxDERCertLength is kMaxDERCertLength (src/credentials/CHIPCert.h).
const matterMaxDERCertLength = 600

func matterCertSize(c *x509.Certificate) *lint.LintResult {
	if len(c.Raw) > matterMaxDERCertLength {
		return failf(lint.Error, "the certificate is %d octets long in DER; the Matter SDK accepts at most %d", len(c.Raw), matterMaxDERCertLength)
	}
	return pass()
}
