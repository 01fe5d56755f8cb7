package certio

import (
	"fmt"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"

	"github.com/iotcert/iotcert/internal/certparse"
)

// Kinds of Defect.
const (
	// DefectTrailingData is bytes after the certificate's DER SEQUENCE.
	DefectTrailingData = "trailing-data"
	// DefectUndecodableExtension is an extension whose value the parser
	// cannot decode.
	DefectUndecodableExtension = "undecodable-extension"
)

// A Defect is a fault of a certificate's encoding that ParseDefects worked
// around so that the rest of the certificate could still be judged.
type Defect struct {
	// Kind is DefectTrailingData or DefectUndecodableExtension.
	Kind string
	// Offset is, for trailing data, the offset in the DER given to
	// ParseDefects of the first byte after the certificate.
	Offset int
	// OID is, for an undecodable extension, its extension ID.
	OID asn1.ObjectIdentifier
	// Msg describes the defect.
	Msg string
}

// ParseDefects parses one DER certificate for linting, as Parse does, and
// also judges a certificate that Parse refuses for one of two defects:
//
//   - bytes after the certificate's SEQUENCE (a stray 0x00, say): the
//     certificate is parsed without them;
//   - extensions whose value does not decode (a malformed keyUsage,
//     basicConstraints, SKID or AKID): the certificate is parsed with their
//     IDs hidden from zcrypto, then the extensions are put back under their
//     own IDs with their values as they are. Lints that look an extension
//     up find it, and the fields zcrypto would have decoded from it are
//     empty.
//
// Each such defect is returned, for a finding of its own. The raw fields of
// the certificate are those of the input (without the trailing bytes).
func ParseDefects(der []byte) (*x509.Certificate, []Defect, error) {
	c, defects, err := parseDefects(der)
	if err != nil {
		return nil, nil, err
	}
	return c, append(defects, toleratedDefects(c)...), nil
}

// parseDefects is ParseDefects without toleratedDefects.
func parseDefects(der []byte) (*x509.Certificate, []Defect, error) {
	c, err := Parse(der)
	if err == nil {
		return c, nil, nil
	}
	var defects []Defect
	body := der
	var seq asn1.RawValue
	if rest, uerr := asn1.Unmarshal(der, &seq); uerr == nil && len(rest) > 0 && seq.Tag == asn1.TagSequence && seq.Class == asn1.ClassUniversal {
		body = der[:len(der)-len(rest)]
		defects = append(defects, Defect{Kind: DefectTrailingData, Offset: len(body),
			Msg: fmt.Sprintf("%d byte(s) follow the certificate's DER encoding, from byte %d of it: % x", len(rest), len(body), head(rest, 8))})
		if c, err2 := Parse(body); err2 == nil {
			return c, defects, nil
		}
	}
	c, bad := parseHidingExtensions(body)
	if c == nil {
		return nil, nil, err
	}
	for _, u := range bad {
		defects = append(defects, undecodableDefect(u.ext.Id, u.err))
	}
	return c, defects, nil
}

// toleratedDefects returns the defects of the extensions whose value
// zcrypto decodes leniently: a keyUsage or basicConstraints that does not
// decode leaves its fields empty without an error.
func toleratedDefects(c *x509.Certificate) []Defect {
	var defects []Defect
	for _, e := range c.Extensions {
		var err error
		switch e.Id.String() {
		case "2.5.29.15":
			var bits asn1.BitString
			err = decodeWhole(e.Value, &bits)
		case "2.5.29.19":
			var bc struct {
				IsCA       bool `asn1:"optional"`
				MaxPathLen int  `asn1:"optional,default:-1"`
			}
			err = decodeWhole(e.Value, &bc)
		default:
			continue
		}
		if err != nil {
			defects = append(defects, undecodableDefect(e.Id, err))
		}
	}
	return defects
}

// decodeWhole decodes der into v and requires nothing after it.
func decodeWhole(der []byte, v any) error {
	rest, err := asn1.Unmarshal(der, v)
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("%d byte(s) of trailing data", len(rest))
	}
	return err
}

// undecodableDefect is the defect of the extension oid, which does not
// decode with err.
func undecodableDefect(oid asn1.ObjectIdentifier, err error) Defect {
	return Defect{Kind: DefectUndecodableExtension, OID: oid,
		Msg: fmt.Sprintf("the %s extension does not decode (%s): the other lints judged the certificate without its content", ExtensionName(oid), certparse.DescribeError(err))}
}

// head returns at most n bytes of b.
func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// parseHidingExtensions parses der with the IDs of the extensions that
// zcrypto cannot decode replaced by certparse.OIDUndecodedExtension, and returns the
// certificate with those extensions restored, and the extensions with
// their errors. It returns nil when der is not a certificate structure, or when hiding
// extensions does not make it parse.
func parseHidingExtensions(der []byte) (*x509.Certificate, []undecodable) {
	var cert certparse.RawCertificate
	if rest, err := asn1.Unmarshal(der, &cert); err != nil || len(rest) != 0 {
		return nil, nil
	}
	var tbs certparse.RawTBSCertificate
	if rest, err := asn1.Unmarshal(cert.TBSCertificate.FullBytes, &tbs); err != nil || len(rest) != 0 || len(tbs.Extensions) == 0 {
		return nil, nil
	}
	exts := tbs.Extensions
	parse := func(hide func(i int) bool) (*x509.Certificate, error) {
		t := tbs
		t.Extensions = make([]pkix.Extension, len(exts))
		for i, e := range exts {
			t.Extensions[i] = e
			if hide(i) {
				t.Extensions[i].Id = certparse.OIDUndecodedExtension
			}
		}
		tbsDER, err := asn1.Marshal(t)
		if err != nil {
			return nil, err
		}
		cc := cert
		cc.TBSCertificate = asn1.RawValue{FullBytes: tbsDER}
		out, err := asn1.Marshal(cc)
		if err != nil {
			return nil, err
		}
		return Parse(out)
	}
	// With every extension hidden the rest must parse; then each extension
	// shown alone says whether it is one that does not decode.
	if _, err := parse(func(int) bool { return true }); err != nil {
		return nil, nil
	}
	var bad []undecodable
	isBad := map[int]bool{}
	for i, e := range exts {
		if _, err := parse(func(j int) bool { return j != i }); err != nil {
			bad = append(bad, undecodable{e, err})
			isBad[i] = true
		}
	}
	if len(bad) == 0 {
		return nil, nil
	}
	c, err := parse(func(i int) bool { return isBad[i] })
	if err != nil {
		return nil, nil
	}
	// zcrypto keeps the extensions in order: put the hidden ones back
	// under their own IDs.
	for i := range exts {
		if isBad[i] && i < len(c.Extensions) && c.Extensions[i].Id.Equal(certparse.OIDUndecodedExtension) {
			c.Extensions[i].Id = exts[i].Id
		}
	}
	c.Raw, c.RawTBSCertificate = der, cert.TBSCertificate.FullBytes
	return c, bad
}

// undecodable is an extension that zcrypto cannot decode, with its error.
type undecodable struct {
	ext pkix.Extension
	err error
}

// extensionNames names the extensions that messages mention.
var extensionNames = map[string]string{
	"2.5.29.14":         "subjectKeyIdentifier",
	"2.5.29.15":         "keyUsage",
	"2.5.29.17":         "subjectAltName",
	"2.5.29.18":         "issuerAltName",
	"2.5.29.19":         "basicConstraints",
	"2.5.29.30":         "nameConstraints",
	"2.5.29.31":         "cRLDistributionPoints",
	"2.5.29.32":         "certificatePolicies",
	"2.5.29.35":         "authorityKeyIdentifier",
	"2.5.29.37":         "extendedKeyUsage",
	"1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
}

// ExtensionName returns the name of the extension oid, or its dotted form.
func ExtensionName(oid asn1.ObjectIdentifier) string {
	if n, ok := extensionNames[oid.String()]; ok {
		return n
	}
	return oid.String()
}
