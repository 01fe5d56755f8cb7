package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_devid_hwmodulename_syntax",
		Description: "A HardwareModuleName otherName (id-on-hardwareModuleName, 1.3.6.1.5.5.7.8.4) in the subjectAltName of a device identity must be a SEQUENCE of an hwType OBJECT IDENTIFIER and an hwSerialNum OCTET STRING.",
		Citation:    "RFC 4108 §5; IEEE 802.1AR-2018 §8.10.4",
		Source:      IEEE8021AR,
	}, role.IDevIDSet|role.LDevIDSet, func() lint.CertificateLintInterface { return &devidHWModuleNameSyntax{} })
}

type devidHWModuleNameSyntax struct{}

// CheckApplies: a HardwareModuleName is present, or the subjectAltName
// does not decode (then Execute says so).
func (l *devidHWModuleNameSyntax) CheckApplies(c *x509.Certificate) bool {
	names, err := devidHardwareModuleNames(c)
	return err != nil || len(names) > 0
}

func (l *devidHWModuleNameSyntax) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := devidHardwareModuleNames(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	for _, n := range names {
		if n.Err != nil {
			return failf(lint.Error, "%v", n.Err)
		}
	}
	return pass()
}
