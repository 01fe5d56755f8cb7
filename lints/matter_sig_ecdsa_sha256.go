package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_sig_ecdsa_sha256",
		Description: "Matter attestation certificates must be signed with ecdsa-with-SHA256 and nothing else (the SDK rejects SHA-1, SHA-384 and every other algorithm; the ML-DSA attestation profiles of newer SDKs are not checked here).",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterSigECDSASHA256))
}

func matterSigECDSASHA256(c *x509.Certificate) *lint.LintResult {
	if !c.SignatureAlgorithmOID.Equal(oidSigECDSASHA256) {
		return failf(lint.Error, "signature algorithm %s is not ecdsa-with-SHA256 (1.2.840.10045.4.3.2)", c.SignatureAlgorithmOID)
	}
	return pass()
}
