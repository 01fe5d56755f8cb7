package est

import (
	"encoding/asn1"
	"fmt"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
)

// OIDs of the CSR attributes (RFC 7030 §4.5.2; RFC 5480; RFC 5758;
// RFC 8410).
var (
	oidECPublicKey    = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256r1      = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidSecp384r1      = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidECDSAWithSHA25 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA38 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidEd25519        = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// attribute is an Attribute of RFC 7030 §4.5.2 (RFC 5912).
type attribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.ObjectIdentifier `asn1:"set"`
}

// CSRAttrs returns the DER CsrAttrs (RFC 7030 §4.5.2) of device profile
// d: the key it wants, as RFC 7030's example asks for one (an
// id-ecPublicKey attribute whose value is the curve, or the id-Ed25519
// OID), and the signature algorithm (ecdsa-with-SHA256 for P-256,
// ecdsa-with-SHA384 for P-384).
func CSRAttrs(d *ldevid.DeviceSpec) ([]byte, error) {
	var seq []any
	switch d.Curve {
	case keys.P256:
		seq = append(seq, attribute{Type: oidECPublicKey, Values: []asn1.ObjectIdentifier{oidSecp256r1}}, oidECDSAWithSHA25)
	case keys.P384:
		seq = append(seq, attribute{Type: oidECPublicKey, Values: []asn1.ObjectIdentifier{oidSecp384r1}}, oidECDSAWithSHA38)
	case keys.Ed25519:
		seq = append(seq, oidEd25519)
	default:
		return nil, fmt.Errorf("curve %q has no CSR attribute", d.Curve)
	}
	return asn1.Marshal(seq)
}
