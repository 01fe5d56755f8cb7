package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_bsc_dual_role_eku",
		Description: "A BACnet/SC node uses its operational certificate as TLS client (to its hub) and as TLS server (hub function, direct connections): " +
			"when extendedKeyUsage is present it should hold both clientAuth and serverAuth. Vendor practice (ambiguity A22), hence a notice.",
		Citation: "ASHRAE 135 Annex AB.7 (vendor documentation: Johnson Controls Metasys and Tridium Niagara BACnet/SC guides)",
		Source:   BACnetSC,
	}, role.EndEntitySet, funcLint(caHas(oidExtExtendedKeyUsage), bscDualRoleEKU))
}

func bscDualRoleEKU(c *x509.Certificate) *lint.LintResult {
	var client, server bool
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageClientAuth:
			client = true
		case x509.ExtKeyUsageServerAuth:
			server = true
		case x509.ExtKeyUsageAny:
			client, server = true, true
		}
	}
	switch {
	case !client && !server:
		return failf(lint.Notice, "extendedKeyUsage holds neither clientAuth nor serverAuth")
	case !client:
		return failf(lint.Notice, "extendedKeyUsage holds serverAuth but not clientAuth")
	case !server:
		return failf(lint.Notice, "extendedKeyUsage holds clientAuth but not serverAuth")
	}
	return pass()
}
