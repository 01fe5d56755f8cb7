package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_ee_hwmodulename_info",
		Description: "Notes a HardwareModuleName otherName (RFC 4108 §5) in the subjectAltName of an end-entity certificate: " +
			"the TLS/DTLS 1.3 IoT profile does not follow IEEE 802.1AR's recommendation to use it (it is not prohibited).",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeHWModuleNameInfo{} })
}

type eeHWModuleNameInfo struct{}

func (l *eeHWModuleNameInfo) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtSubjectAltName)
}

func (l *eeHWModuleNameInfo) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := sanOtherNames(c)
	if err != nil {
		return failf(lint.Notice, "cannot decode subjectAltName: %v", err)
	}
	for _, on := range names {
		if !on.TypeID.Equal(oidOnHardwareModuleName) {
			continue
		}
		h, err := idevid.ParseHardwareModuleName(on.Value.Bytes)
		if err != nil {
			return failf(lint.Notice, "subjectAltName holds a HardwareModuleName otherName (undecodable: %v); this profile does not use it", err)
		}
		return failf(lint.Notice, "subjectAltName holds a HardwareModuleName otherName (hwType %s, hwSerialNum %q); this profile does not use it", h.Type, h.SerialNumber)
	}
	return pass()
}
