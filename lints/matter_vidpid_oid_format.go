package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_vidpid_oid_format",
		Description: "The Matter vendor ID (1.3.6.1.4.1.37244.2.1) and product ID (1.3.6.1.4.1.37244.2.2) subject attributes must each appear at most once and hold exactly 4 upper-case hexadecimal digits.",
		Citation:    "CSA Matter Core Specification §6.2.2.2; connectedhomeip src/crypto/CHIPCryptoPAL.cpp ExtractVIDPIDFromAttributeString (CHIP_ERROR_WRONG_CERT_DN)",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(matterHasIDAttr, matterVIDPIDOIDFormat))
}

func matterHasIDAttr(c *x509.Certificate) bool {
	return subjectHas(c, oidMatterVID) || subjectHas(c, oidMatterPID)
}

func matterVIDPIDOIDFormat(c *x509.Certificate) *lint.LintResult {
	seen := map[string]bool{}
	for _, a := range c.Subject.Names {
		var name string
		switch {
		case a.Type.Equal(oidMatterVID):
			name = "vendor ID"
		case a.Type.Equal(oidMatterPID):
			name = "product ID"
		default:
			continue
		}
		if seen[name] {
			return failf(lint.Error, "the subject has more than one Matter %s attribute", name)
		}
		seen[name] = true
		s, err := attrString(a)
		if err != nil {
			return failf(lint.Error, "Matter %s attribute: %v", name, err)
		}
		if !matterHex4(s) {
			return failf(lint.Error, "Matter %s attribute %q is not exactly 4 upper-case hexadecimal digits", name, s)
		}
	}
	return pass()
}
