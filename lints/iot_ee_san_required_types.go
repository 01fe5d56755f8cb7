package lints

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_san_required_types",
		Description: "The subjectAltName of a device certificate must hold a name of each type the deployment requires " +
			"(rules.yaml parameter types: GeneralName types as named in RFC 5280 §4.2.1.6, e.g. dNSName, " +
			"uniformResourceIdentifier, iPAddress, or hardwareModuleName for the RFC 4108 otherName). " +
			"The profile leaves the identifier types to the deployment, so the lint runs only when types is set.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeSANRequiredTypes{} })
}

// hardwareModuleNameType is the name under which rules.yaml requires a
// HardwareModuleName otherName.
const hardwareModuleNameType = "hardwareModuleName"

type eeSANRequiredTypes struct {
	// Types are the name types every device certificate must carry; empty
	// (the default) turns the lint off.
	Types []string `yaml:"types" toml:"types"`
}

func (l *eeSANRequiredTypes) Configure() any { return l }

// Validate checks that every required type is a GeneralName type or
// hardwareModuleName.
func (l *eeSANRequiredTypes) Validate() error {
	for _, t := range l.Types {
		if t != hardwareModuleNameType && !slices.Contains(generalNameTypes[:], t) {
			return fmt.Errorf("types: unknown name type %q (known: %s, %s)", t, strings.Join(generalNameTypes[:], ", "), hardwareModuleNameType)
		}
	}
	return nil
}

func (l *eeSANRequiredTypes) CheckApplies(c *x509.Certificate) bool { return len(l.Types) > 0 }

func (l *eeSANRequiredTypes) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtSubjectAltName) {
		return failf(lint.Error, "subjectAltName is absent; the deployment requires %s", strings.Join(l.Types, ", "))
	}
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Error, "cannot decode subjectAltName: %v", err)
	}
	present := map[string]bool{}
	for _, n := range names {
		present[generalNameType(n.Tag)] = true
		if n.Tag == tagOtherName {
			if typeID, _, err := n.otherName(); err == nil && typeID.Equal(oidOnHardwareModuleName) {
				present[hardwareModuleNameType] = true
			}
		}
	}
	var missing []string
	for _, t := range l.Types {
		if !present[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return failf(lint.Error, "subjectAltName holds no %s, which the deployment requires", strings.Join(missing, " and no "))
	}
	return pass()
}
