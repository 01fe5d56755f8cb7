package main

import (
	"crypto/x509"

	"github.com/iotcert/iotcert/internal/certgen"
)

// casesBACnet are the test certificates for the BACnet/SC lints (rules
// catalogue section 9): variants of the bacnet-sc operational certificate.
func casesBACnet() []Case {
	return []Case{
		{
			Name:    "n_bsc_san_uri_bacnet",
			Profile: "bacnet-sc",
			Role:    "ee",
			Breaks:  "bacnet://4194303: the wildcard instance, outside 0..4194302",
			Edit:    func(t *certgen.Template) { t.SetSAN(false, certgen.URI("bacnet://4194303")) },
		},
		{
			Name:    "n_bsc_san_uri_bacnet_two",
			Profile: "bacnet-sc",
			Role:    "ee",
			Breaks:  "two bacnet:// URIs; two URIs are also two names of one type (e_iot_ee_san_one_name_per_type) and more than one name (w_iot_ee_san_single_name)",
			Edit: func(t *certgen.Template) {
				t.SetSAN(false, certgen.URI("bacnet://1234"), certgen.URI("bacnet://1235"))
			},
			Want: []string{"n_bsc_san_uri_bacnet", "e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"},
		},
		{
			Name:    "n_bsc_dual_role_eku",
			Profile: "bacnet-sc",
			Role:    "ee",
			Breaks:  "operational certificate whose EKU holds clientAuth only",
			Edit:    func(t *certgen.Template) { t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} },
		},
	}
}
