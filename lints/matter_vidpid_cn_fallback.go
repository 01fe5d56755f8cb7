package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/matter"
	"strings"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_vidpid_cn_fallback",
		Description: "In the legacy commonName encoding of VID and PID, Mvid: and Mpid: must each be followed by exactly 4 upper-case hexadecimal digits (the SDK rejects the certificate otherwise, even when Matter attributes are present); and a commonName ID that the Matter attributes lack is an error, because the SDK ignores the commonName when any Matter attribute is present.",
		Citation:    "CSA Matter Core Specification §6.2.2.2; connectedhomeip src/crypto/CHIPCryptoPAL.cpp ExtractVIDPIDFromAttributeString, ExtractVIDPIDFromX509Cert",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(matterCNHasPrefix, matterVIDPIDCNFallback))
}

// matterFirstCN returns the first commonName of the subject of c.
func matterFirstCN(c *x509.Certificate) (string, bool) {
	for _, a := range c.Subject.Names {
		if a.Type.Equal(oidAttrCommonName) {
			s, err := attrString(a)
			return s, err == nil
		}
	}
	return "", false
}

func matterCNHasPrefix(c *x509.Certificate) bool {
	cn, ok := matterFirstCN(c)
	return ok && (strings.Contains(cn, matter.CNVIDPrefix) || strings.Contains(cn, matter.CNPIDPrefix))
}

func matterVIDPIDCNFallback(c *x509.Certificate) *lint.LintResult {
	cn, _ := matterFirstCN(c)
	for _, p := range []string{matter.CNVIDPrefix, matter.CNPIDPrefix} {
		if v, ok := matter.CNValue(cn, p); ok && !matterHex4(v) {
			return failf(lint.Error, "commonName %q: %s is followed by %q, not 4 upper-case hexadecimal digits", cn, p, v)
		}
	}
	ids := matter.DNIDs(c.Subject.Names)
	if ids.FromCN {
		return pass()
	}
	if _, ok := matter.CNValue(cn, matter.CNVIDPrefix); ok && !ids.HasVID {
		return failf(lint.Error, "commonName %q carries the vendor ID, but the SDK ignores it because the subject has a Matter product ID attribute and no vendor ID attribute", cn)
	}
	if _, ok := matter.CNValue(cn, matter.CNPIDPrefix); ok && !ids.HasPID {
		return failf(lint.Error, "commonName %q carries the product ID, but the SDK ignores it because the subject has a Matter vendor ID attribute and no product ID attribute", cn)
	}
	return pass()
}
