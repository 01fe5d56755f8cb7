package certio

import (
	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/internal/certparse"
)

// Parse parses one DER certificate for linting.
//
// A well-formed certificate whose public key zcrypto cannot decode (a curve
// such as secp256k1 or brainpoolP256r1, a malformed point) is still a
// certificate to judge: Parse then hands zcrypto a copy whose key is marked
// as of an unknown algorithm, so every lint still sees the certificate, and
// the lints that judge the key read the original one. The raw fields
// (Raw, RawTBSCertificate, RawSubjectPublicKeyInfo) are the input's. Only
// bytes that are not a certificate at all give an error.
func Parse(der []byte) (*x509.Certificate, error) {
	return certparse.Parse(der)
}
