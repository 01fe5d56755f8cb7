package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_devid_hwmodulename_tpm",
		Description: "The subjectAltName of an IDevID whose key resides in a TPM must hold a HardwareModuleName whose hwType is the TPM 2.0 OID 2.23.133.1.2.",
		Citation:    "TCG TPM 2.0 Keys for Device Identity and Attestation v1.00, IDevID certificate fields (subjectAltName)",
		Source:      TCGDevID,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidHWModuleNameTPM{} })
}

type devidHWModuleNameTPM struct{}

func (l *devidHWModuleNameTPM) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidHWModuleNameTPM) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtSubjectAltName) {
		return failf(lint.Error, "subjectAltName is absent, so there is no HardwareModuleName")
	}
	names, err := devidHardwareModuleNames(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if len(names) == 0 {
		return failf(lint.Error, "subjectAltName holds no HardwareModuleName")
	}
	var found []string
	for _, n := range names {
		if n.Err != nil {
			found = append(found, "an undecodable one")
			continue
		}
		if n.Name.Type.Equal(idevid.OIDTPM20) {
			return pass()
		}
		found = append(found, n.Name.Type.String())
	}
	return failf(lint.Error, "HardwareModuleName hwType is %s, not 2.23.133.1.2 (TPM 2.0)", strings.Join(found, ", "))
}
