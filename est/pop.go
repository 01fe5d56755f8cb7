package est

import (
	"bytes"
	"crypto/tls"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// oidChallengePassword is PKCS #9 challengePassword (RFC 2985 §5.4.1).
var oidChallengePassword = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 7}

// channelBinding returns the TLS channel binding a CSR proves possession
// with (RFC 7030 §3.5): under TLS 1.3 the tls-exporter binding of RFC
// 9266 (32 bytes of the exporter with label "EXPORTER-Channel-Binding"
// and no context), under TLS 1.2 tls-unique (RFC 5929).
func channelBinding(cs *tls.ConnectionState) ([]byte, error) {
	if cs.Version == tls.VersionTLS13 {
		return cs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
	}
	if len(cs.TLSUnique) == 0 {
		return nil, errors.New("the connection has no tls-unique value")
	}
	return cs.TLSUnique, nil
}

// challengePassword returns the challengePassword attribute of the DER
// CertificationRequestInfo tbs (RFC 2986 §4.1), and whether there is one.
func challengePassword(tbs []byte) (string, bool, error) {
	in := cryptobyte.String(tbs)
	var info, attrs cryptobyte.String
	var version int64
	if !in.ReadASN1(&info, cbasn1.SEQUENCE) || !info.ReadASN1Integer(&version) ||
		!info.SkipASN1(cbasn1.SEQUENCE) || !info.SkipASN1(cbasn1.SEQUENCE) {
		return "", false, errors.New("malformed CertificationRequestInfo")
	}
	if !info.ReadOptionalASN1(&attrs, nil, cbasn1.Tag(0).ContextSpecific().Constructed()) {
		return "", false, errors.New("malformed CSR attributes")
	}
	for !attrs.Empty() {
		var attr, values cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !attrs.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1ObjectIdentifier(&oid) || !attr.ReadASN1(&values, cbasn1.SET) {
			return "", false, errors.New("malformed CSR attribute")
		}
		if !oid.Equal(oidChallengePassword) {
			continue
		}
		var v cryptobyte.String
		var tag cbasn1.Tag
		if !values.ReadAnyASN1(&v, &tag) || !values.Empty() {
			return "", false, errors.New("challengePassword: want one value")
		}
		switch tag {
		case cbasn1.PrintableString, cbasn1.UTF8String, cbasn1.Tag(20), cbasn1.Tag(28), cbasn1.Tag(30): // Teletex, Universal, BMP
		default:
			return "", false, fmt.Errorf("challengePassword: tag %d is not a DirectoryString", tag)
		}
		return string(v), true, nil
	}
	return "", false, nil
}

// checkPoP checks the proof-of-possession linking of RFC 7030 §3.5: a
// CSR that carries a challengePassword must carry the base64 channel
// binding of the connection it is sent on; with require, a CSR without
// one is refused. It returns the reason to refuse, or "".
func checkPoP(cs *tls.ConnectionState, tbs []byte, require bool) string {
	pw, ok, err := challengePassword(tbs)
	switch {
	case err != nil:
		return "the CSR's attributes: " + err.Error()
	case !ok && require:
		return "proof-of-possession linking is required (RFC 7030 §3.5): put the base64 TLS channel binding (tls-exporter, RFC 9266, under TLS 1.3; tls-unique under TLS 1.2) in the CSR's challengePassword"
	case !ok:
		return ""
	}
	cb, err := channelBinding(cs)
	if err != nil {
		return "proof-of-possession linking: " + err.Error()
	}
	got, err := base64.StdEncoding.DecodeString(pw)
	if err != nil || !bytes.Equal(got, cb) {
		return "the CSR's challengePassword is not the channel binding of this TLS connection (RFC 7030 §3.5): the CSR was made for another connection"
	}
	return ""
}
