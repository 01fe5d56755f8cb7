package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	registerDelegate(lint.LintMetadata{
		Name:        "e_iot_all_time_zulu_seconds",
		Description: "The validity times must be expressed in Greenwich Mean Time (Zulu) and include seconds, as RFC 5280 §4.1.2.5.1 and §4.1.2.5.2 require; this runs zlint's UTCTime and GeneralizedTime Zulu and seconds lints.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.5",
		Source:      IoTTLS13,
	}, role.AllSet, lint.Error,
		"e_utc_time_not_in_zulu",
		"e_utc_time_does_not_include_seconds",
		"e_generalized_time_not_in_zulu",
		"e_generalized_time_does_not_include_seconds",
	)
}
