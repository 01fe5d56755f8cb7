package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_r7925_no_revocation_ext",
		Description: "RFC 7925 uses neither OCSP nor CRLs (it relies on software updates to replace certificates), " +
			"so a cRLDistributionPoints extension or an OCSP location in authorityInformationAccess is noted as dead weight.",
		Citation: "RFC 7925 §4.4.3",
		Source:   RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925NoRevocationExt{} })
}

type r7925NoRevocationExt struct{}

func (l *r7925NoRevocationExt) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtCRLDistribution) || hasExtension(c, oidExtAuthorityInfo)
}

func (l *r7925NoRevocationExt) Execute(c *x509.Certificate) *lint.LintResult {
	if hasExtension(c, oidExtCRLDistribution) {
		return failf(lint.Notice, "cRLDistributionPoints is present, but RFC 7925 devices use no CRLs")
	}
	methods, err := accessDescriptions(extension(c, oidExtAuthorityInfo).Value)
	if err != nil {
		return failf(lint.Notice, "%v", err)
	}
	for _, m := range methods {
		if m.Equal(oidAccessOCSP) {
			return failf(lint.Notice, "authorityInformationAccess holds an OCSP location, but RFC 7925 devices use no OCSP")
		}
	}
	return pass()
}
