package lints

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_all_sig_alg_device_supported",
		Description: "The CA should sign with an algorithm the validating devices support. This needs deployment knowledge: set the parameter algorithms " +
			"(e.g. [ecdsa-with-SHA256]) to the algorithms the devices verify; the lint then notes a certificate signed with any other, and does nothing while unset.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.3",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSigAlgDeviceSupported{} })
}

// allSigAlgDeviceSupported takes the signature algorithms the devices of a
// deployment support, by name (see sigAlgorithmNames). It has no default.
type allSigAlgDeviceSupported struct {
	Algorithms []string `yaml:"algorithms" toml:"algorithms"`
}

func (l *allSigAlgDeviceSupported) Configure() any { return l }

// Validate rejects an empty list and unknown algorithm names.
func (l *allSigAlgDeviceSupported) Validate() error {
	if len(l.Algorithms) == 0 {
		return errors.New("algorithms: name at least one signature algorithm")
	}
	for _, name := range l.Algorithms {
		if _, ok := sigAlgorithmByName(name); !ok {
			return fmt.Errorf("algorithms: unknown signature algorithm %q (known: %s)", name, strings.Join(sigAlgorithmNames(), ", "))
		}
	}
	return nil
}

func (l *allSigAlgDeviceSupported) CheckApplies(c *x509.Certificate) bool {
	return len(l.Algorithms) > 0
}

func (l *allSigAlgDeviceSupported) Execute(c *x509.Certificate) *lint.LintResult {
	for _, name := range l.Algorithms {
		if oid, ok := sigAlgorithmByName(name); ok && oid.Equal(c.SignatureAlgorithmOID) {
			return pass()
		}
	}
	return failf(lint.Notice, "signature algorithm %s is not one the devices support (%s)", sigAlgorithmName(c.SignatureAlgorithmOID), strings.Join(l.Algorithms, ", "))
}
