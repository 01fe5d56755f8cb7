package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_root_ku_present",
		Description: "Root CA certificates should carry a keyUsage extension. Ambiguity A9: the editor's copy of the draft allows leaving it out only in " +
			"a closed deployment, where every relying party accepts the root as a trust anchor by local policy without processing " +
			"keyUsage: a deployment that is one sets closed_deployment: true in rules.yaml, and a root without keyUsage then passes. " +
			"Revision -23 made no such exception (profile tls13-iot-23 keeps closed_deployment false).",
		Citation: draftEditorsCopy + " §16.2.4 (-23 §17.2.4)",
		Source:   IoTTLS13,
	}, role.RootSet|role.LinkSet, func() lint.CertificateLintInterface { return &rootKUPresent{} })
}

// rootKUPresent says whether the deployment is closed, in the sense of
// draft-ietf-uta-tls13-iot-profile's editor's copy §16.2.4: "The extension
// MAY be omitted only in closed deployments where all relying parties are
// configured to accept the Root CA certificate as a trust anchor according
// to local policy without processing the Key Usage extension." The
// certificate cannot show it; false, the default, reads the SHOULD alone.
type rootKUPresent struct {
	ClosedDeployment bool `yaml:"closed_deployment" toml:"closed_deployment"`
}

func (l *rootKUPresent) Configure() any { return l }

func (l *rootKUPresent) CheckApplies(c *x509.Certificate) bool { return true }

func (l *rootKUPresent) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtKeyUsage) && !l.ClosedDeployment {
		return failf(lint.Warn, "keyUsage is absent (it may be left out only in a closed deployment: rules.yaml closed_deployment)")
	}
	return pass()
}
