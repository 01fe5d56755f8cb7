package lints

import (
	"fmt"
	"strconv"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_r7925_table1_validity",
		Description: "Ambiguity A7: RFC 7925 Table 1 gives the validity as \"UTC time\", while RFC 5280 requires GeneralizedTime from 2050 on " +
			"(so also for 99991231235959Z). Every validity time that is not a UTCTime of the form YYMMDDHHMMSSZ is noted, since a DTLS 1.2 stack " +
			"built to Table 1 may not accept it; a GeneralizedTime before 2050 also breaks RFC 5280.",
		Citation: "RFC 7925 §4.4.4 (Table 1)",
		Source:   RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925Table1Validity{} })
}

type r7925Table1Validity struct{}

func (l *r7925Table1Validity) CheckApplies(c *x509.Certificate) bool {
	d, err := r7925Decode(c)
	if err != nil {
		return true
	}
	return r7925TimeProblem(d.NotBefore) != "" || r7925TimeProblem(d.NotAfter) != ""
}

func (l *r7925Table1Validity) Execute(c *x509.Certificate) *lint.LintResult {
	d, err := r7925Decode(c)
	if err != nil {
		return failf(lint.Notice, "%v", err)
	}
	for _, t := range []struct {
		name string
		v    asn1.RawValue
	}{{"notBefore", d.NotBefore}, {"notAfter", d.NotAfter}} {
		if p := r7925TimeProblem(t.v); p != "" {
			return failf(lint.Notice, "%s %s", t.name, p)
		}
	}
	return pass()
}

// r7925TimeProblem says how the encoded time v departs from a UTCTime
// YYMMDDHHMMSSZ, or "" when it does not.
func r7925TimeProblem(v asn1.RawValue) string {
	s := string(v.Bytes)
	switch {
	case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagUTCTime:
		if len(s) != 13 || s[12] != 'Z' {
			return fmt.Sprintf("UTCTime %q is not of the form YYMMDDHHMMSSZ", s)
		}
		return ""
	case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagGeneralizedTime:
		year := -1
		if len(s) >= 4 {
			if y, err := strconv.Atoi(s[:4]); err == nil {
				year = y
			}
		}
		if year >= 0 && year < 2050 {
			return fmt.Sprintf("is the GeneralizedTime %q for a year before 2050, not a UTC time (RFC 5280 requires UTCTime here)", s)
		}
		return fmt.Sprintf("is the GeneralizedTime %q, not a UTC time as Table 1 lists (RFC 5280 requires GeneralizedTime from 2050 on)", s)
	}
	return fmt.Sprintf("is encoded with ASN.1 tag %d, not as a UTC time", v.Tag)
}
