package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_ldevid_eku_tls",
		Description: "LDevID certificates used with TLS must carry an extendedKeyUsage containing id-kp-serverAuth, id-kp-clientAuth or both.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.4.4",
		Source:      IoTTLS13,
	}, role.LDevIDSet, func() lint.CertificateLintInterface { return &ldevidEKUTLS{} })
}

type ldevidEKUTLS struct{}

func (l *ldevidEKUTLS) CheckApplies(c *x509.Certificate) bool { return true }

func (l *ldevidEKUTLS) Execute(c *x509.Certificate) *lint.LintResult {
	oids, present, err := extKeyUsages(c)
	switch {
	case err != nil:
		return failf(lint.Error, "cannot decode extendedKeyUsage: %v", err)
	case !present:
		return failf(lint.Error, "extendedKeyUsage is absent")
	case !containsOID(oids, oidEKUServerAuth) && !containsOID(oids, oidEKUClientAuth):
		return failf(lint.Error, "extendedKeyUsage (%s) contains neither id-kp-serverAuth nor id-kp-clientAuth", ekuNames(oids))
	}
	return pass()
}
