package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_r7925_table1_spki",
		Description: "Every certificate of the profile must carry an id-ecPublicKey (RFC 5480) subject public key on the named curve P-256 (secp256r1).",
		Citation:    "RFC 7925 §4.4.4 (Table 1)",
		Source:      RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925Table1SPKI{} })
}

type r7925Table1SPKI struct{}

func (l *r7925Table1SPKI) CheckApplies(c *x509.Certificate) bool { return true }

func (l *r7925Table1SPKI) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	switch {
	case !k.Algorithm.Equal(oidKeyEC):
		return failf(lint.Error, "key is %s, not id-ecPublicKey on P-256", keyAlgorithmName(k))
	case k.Curve == nil:
		return failf(lint.Error, "id-ecPublicKey parameters are not a named curve; P-256 is required")
	case !k.Curve.Equal(oidCurveP256):
		return failf(lint.Error, "curve %s is not P-256", curveName(k.Curve))
	}
	return pass()
}
