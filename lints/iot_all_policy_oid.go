package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_all_policy_oid",
		Description: "The profile defines no certificate policy OID; a deployment may add its own. " +
			"The notice names the policies of a certificate that has a certificatePolicies extension, so that they can be checked against the deployment's.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allPolicyOID{} })
}

type allPolicyOID struct{}

func (l *allPolicyOID) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtCertPolicies)
}

func (l *allPolicyOID) Execute(c *x509.Certificate) *lint.LintResult {
	if len(c.PolicyIdentifiers) == 0 {
		return failf(lint.Notice, "certificatePolicies is present but names no policy that decodes")
	}
	return failf(lint.Notice, "certificatePolicies names %s; the profile defines no policy OID, so these are the deployment's own", oidList(c.PolicyIdentifiers))
}
