package lints

import (
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_brski_no_ku_restriction",
		Description: "A BRSKI pledge's IDevID should carry no key usage restrictions. " +
			"Ambiguity A5: the TLS 1.3 IoT profile requires a critical keyUsage with digitalSignature and IEEE 802.1AR says keyUsage should be present; " +
			"by default any keyUsage is reported, and a profile that mandates a keyUsage names its bits in profile_key_usage so that only a keyUsage restricting the key further (without them) is reported.",
		Citation: "RFC 8995 §2.3",
		Source:   RFC8995,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &brskiNoKURestriction{} })
}

type brskiNoKURestriction struct {
	// ProfileKeyUsage names the keyUsage bits (RFC 5280 names, e.g.
	// digitalSignature) that the profile the lint runs in makes mandatory.
	// A keyUsage asserting all of them is the profile's requirement, not a
	// restriction of the issuer's choosing. Empty: every keyUsage is
	// reported, as RFC 8995 reads.
	ProfileKeyUsage []string `yaml:"profile_key_usage" toml:"profile_key_usage"`
}

func (l *brskiNoKURestriction) Configure() any { return l }

func (l *brskiNoKURestriction) Validate() error {
	_, err := l.mandated()
	return err
}

func (l *brskiNoKURestriction) mandated() (x509.KeyUsage, error) {
	var ku x509.KeyUsage
	for _, name := range l.ProfileKeyUsage {
		bit, ok := devidKeyUsageBit(name)
		if !ok {
			var known []string
			for _, b := range devidKeyUsageBits {
				known = append(known, b.name)
			}
			return 0, fmt.Errorf("profile_key_usage: unknown keyUsage bit %q (known: %s)", name, strings.Join(known, ", "))
		}
		ku |= bit
	}
	return ku, nil
}

func (l *brskiNoKURestriction) CheckApplies(c *x509.Certificate) bool { return true }

func (l *brskiNoKURestriction) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtKeyUsage) {
		return pass()
	}
	mandated, err := l.mandated()
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if mandated == 0 {
		return failf(lint.Warn, "keyUsage is present (%s): RFC 8995 recommends no key usage restrictions in an IDevID", devidKeyUsageNames(c.KeyUsage))
	}
	if missing := mandated &^ c.KeyUsage; missing != 0 {
		return failf(lint.Warn, "keyUsage asserts %s without %s: it restricts the IDevID key beyond the keyUsage the profile mandates", devidKeyUsageNames(c.KeyUsage), devidKeyUsageNames(missing))
	}
	return pass()
}
