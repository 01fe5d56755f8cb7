package lints

import (
	"fmt"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ldevid_eku_role",
		Description: "The TLS key purposes in an LDevID's extendedKeyUsage must match the device's TLS role, set by the tls_role parameter (client, server or both): " +
			"exactly id-kp-clientAuth, exactly id-kp-serverAuth, or both. Runs only when rules.yaml sets tls_role and the certificate has an extendedKeyUsage.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.4",
		Source:   IoTTLS13,
	}, role.LDevIDSet, func() lint.CertificateLintInterface { return &ldevidEKURole{} })
}

type ldevidEKURole struct {
	// TLSRole is the device's TLS role: "client", "server" or "both";
	// empty (the default) turns the lint off.
	TLSRole string `yaml:"tls_role" toml:"tls_role"`
}

func (l *ldevidEKURole) Configure() any { return l }

// Validate checks that tls_role is empty, client, server or both.
func (l *ldevidEKURole) Validate() error {
	switch l.TLSRole {
	case "", "client", "server", "both":
		return nil
	}
	return fmt.Errorf("tls_role %q: want client, server or both", l.TLSRole)
}

func (l *ldevidEKURole) CheckApplies(c *x509.Certificate) bool {
	return l.TLSRole != "" && hasExtension(c, oidExtExtendedKeyUsage)
}

func (l *ldevidEKURole) Execute(c *x509.Certificate) *lint.LintResult {
	if err := l.Validate(); err != nil {
		return failf(lint.Error, "parameter %v", err)
	}
	oids, _, err := extKeyUsages(c)
	if err != nil {
		return failf(lint.Error, "cannot decode extendedKeyUsage: %v", err)
	}
	wantClient := l.TLSRole == "client" || l.TLSRole == "both"
	wantServer := l.TLSRole == "server" || l.TLSRole == "both"
	hasClient, hasServer := containsOID(oids, oidEKUClientAuth), containsOID(oids, oidEKUServerAuth)
	if hasClient != wantClient || hasServer != wantServer {
		return failf(lint.Error, "extendedKeyUsage (%s) does not match the TLS role %q: want %s", ekuNames(oids), l.TLSRole, wantedTLSPurposes(l.TLSRole))
	}
	return pass()
}

func wantedTLSPurposes(tlsRole string) string {
	switch tlsRole {
	case "client":
		return "id-kp-clientAuth without id-kp-serverAuth"
	case "server":
		return "id-kp-serverAuth without id-kp-clientAuth"
	}
	return "both id-kp-clientAuth and id-kp-serverAuth"
}
