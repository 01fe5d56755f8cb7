package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_bsc_san_uri_bacnet",
		Description: "A BACnet/SC operational certificate names its device by exactly one subjectAltName URI bacnet://<device-instance>, " +
			"the instance a decimal number 0..4194302; reports a certificate with none, with more than one, or with one that does not parse. " +
			"Ambiguity A22: Annex AB is not public and its default validation is the certificate chain only, so this stays a notice; " +
			"a deployment that binds identities to the URI raises it to error in rules.yaml.",
		Citation: "ASHRAE 135 Annex AB.7.4 (as implemented by bacnet-stack src/bacnet/datalink/bsc/bsc-hub-function.h)",
		Source:   BACnetSC,
	}, role.EndEntitySet, funcLint(nil, bscSANURIBACnet))
}

func bscSANURIBACnet(c *x509.Certificate) *lint.LintResult {
	uris, err := bacnetURIs(c)
	if err != nil {
		return failf(lint.Notice, "%v", err)
	}
	switch len(uris) {
	case 0:
		return failf(lint.Notice, "subjectAltName holds no bacnet://<device-instance> URI")
	case 1:
	default:
		return failf(lint.Notice, "subjectAltName holds %d bacnet: URIs (%v); a device has one", len(uris), uris)
	}
	if _, err := parseBACnetURI(uris[0]); err != nil {
		return failf(lint.Notice, "bacnet URI %v", err)
	}
	return pass()
}
