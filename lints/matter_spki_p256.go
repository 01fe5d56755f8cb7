package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_spki_p256",
		Description: "The subject public key of a Matter attestation certificate must be an id-ecPublicKey on prime256v1 (P-256).",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp ExtractPubkeyFromX509Cert",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterSPKIP256))
}

func matterSPKIP256(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if !k.Algorithm.Equal(oidKeyEC) || !k.Curve.Equal(oidCurveP256) {
		return failf(lint.Error, "public key %s is not an EC P-256 key", keyAlgorithmName(k))
	}
	return pass()
}
