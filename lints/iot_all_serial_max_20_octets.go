package lints

import (
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	registerDelegate(lint.LintMetadata{
		Name:        "e_iot_all_serial_max_20_octets",
		Description: "The serial number must not be longer than 20 octets; this restates RFC 5280 §4.1.2.2 and runs zlint's e_serial_number_longer_than_20_octets.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.2",
		Source:      IoTTLS13,
	}, role.AllSet, lint.Error, "e_serial_number_longer_than_20_octets")
}
