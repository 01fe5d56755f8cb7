package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
	"strings"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "n_matter_optional_exts",
		Description: "Names the extensions of a Matter attestation certificate beyond basicConstraints, keyUsage, subjectKeyIdentifier and authorityKeyIdentifier (such as extendedKeyUsage, authorityInfoAccess, subjectAltName, cRLDistributionPoints): the SDK ignores them, but a critical one it does not know fails chain validation under X509_V_FLAG_X509_STRICT.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat, ValidateCertificateChain",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(matterHasOtherExts, matterOptionalExts))
}

// matterOtherExts returns the extensions of c beyond the four the Matter
// attestation profile defines.
func matterOtherExts(c *x509.Certificate) []string {
	var other []string
	for _, e := range c.Extensions {
		switch {
		case e.Id.Equal(oidExtBasicConstraints), e.Id.Equal(oidExtKeyUsage), e.Id.Equal(oidExtSubjectKeyID), e.Id.Equal(oidExtAuthorityKeyID):
			continue
		}
		name := extensionName(e.Id)
		if e.Critical {
			name += " (critical)"
		}
		other = append(other, name)
	}
	return other
}

func matterHasOtherExts(c *x509.Certificate) bool { return len(matterOtherExts(c)) > 0 }

func matterOptionalExts(c *x509.Certificate) *lint.LintResult {
	return failf(lint.Notice, "extensions beyond the Matter attestation profile: %s", strings.Join(matterOtherExts(c), ", "))
}
