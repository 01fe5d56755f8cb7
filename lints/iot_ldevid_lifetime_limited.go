package lints

import (
	"errors"
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_ldevid_lifetime_limited",
		Description: "Operational (LDevID) certificates should have a bounded lifetime: a notAfter of 99991231235959Z is flagged, " +
			"and so is a validity period longer than max_days when rules.yaml sets it (no day limit by default: the draft names no number).",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.5",
		Source:   IoTTLS13,
	}, role.LDevIDSet, func() lint.CertificateLintInterface { return &ldevidLifetime{} })
}

// ldevidLifetime takes the longest validity period, in days, that an LDevID
// should have; 0, the default, sets no limit in days.
//
// draft-ietf-uta-tls13-iot-profile-23 §17.1.5 RECOMMENDS limiting the
// lifetime of LDevIDs but names no number, so by default only an LDevID
// that never expires (notAfter 99991231235959Z) is flagged; a deployment
// that has chosen its renewal interval sets max_days in rules.yaml.
type ldevidLifetime struct {
	MaxDays int `yaml:"max_days" toml:"max_days"`
}

func (l *ldevidLifetime) Configure() any { return l }

// Validate rejects a negative max_days.
func (l *ldevidLifetime) Validate() error {
	if l.MaxDays < 0 {
		return errors.New("max_days must be a positive number of days (or 0 for no limit)")
	}
	return nil
}

func (l *ldevidLifetime) CheckApplies(c *x509.Certificate) bool { return true }

func (l *ldevidLifetime) Execute(c *x509.Certificate) *lint.LintResult {
	if idevid.IsNoExpiry(c.NotAfter) {
		return failf(lint.Warn, "notAfter is %s: the certificate never expires", idevid.NoExpiryEncoding)
	}
	// RFC 5280 §4.1.2.5: the validity period includes both times.
	period := c.NotAfter.Sub(c.NotBefore) + time.Second
	if limit := time.Duration(l.MaxDays) * 24 * time.Hour; l.MaxDays > 0 && period > limit {
		return failf(lint.Warn, "validity period is %.1f days, longer than %d days", period.Hours()/24, l.MaxDays)
	}
	return pass()
}
