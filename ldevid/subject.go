package ldevid

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/internal/certder"
)

// Subject is a subject template: attributes written in RFC 4514 order
// ("CN=sensor {{.id}}, O=Example, serialNumber={{.serial}}"), each value a
// text/template. The certificate holds them in reverse order, one
// attribute per RDN, as RFC 4514 strings are written from the last RDN.
type Subject struct {
	attrs []subjectAttr
}

type subjectAttr struct {
	key   string
	oid   asn1.ObjectIdentifier
	value *template.Template
	plan  []templatePart // value's simplePlan
	text  string
	// oidDER is the DER OBJECT IDENTIFIER of oid.
	oidDER []byte
}

// subjectKeys are the attributes a subject template can hold, with the
// string type each is written as.
var subjectKeys = []struct {
	key string
	oid asn1.ObjectIdentifier
	tag int
}{
	{"CN", asn1.ObjectIdentifier{2, 5, 4, 3}, asn1.TagUTF8String},
	{"serialNumber", idevid.OIDSerialNumber, asn1.TagPrintableString},
	{"C", asn1.ObjectIdentifier{2, 5, 4, 6}, asn1.TagPrintableString},
	{"L", asn1.ObjectIdentifier{2, 5, 4, 7}, asn1.TagUTF8String},
	{"ST", asn1.ObjectIdentifier{2, 5, 4, 8}, asn1.TagUTF8String},
	{"O", asn1.ObjectIdentifier{2, 5, 4, 10}, asn1.TagUTF8String},
	{"OU", asn1.ObjectIdentifier{2, 5, 4, 11}, asn1.TagUTF8String},
	{"DC", asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, asn1.TagIA5String},
}

// subjectKey returns the canonical key and the OID of the attribute k:
// one of subjectKeys (any case), or a dotted OID (written as given, its
// value a UTF8String, as the Matter SDK writes its vendor and product
// IDs).
func subjectKey(k string) (string, asn1.ObjectIdentifier, bool) {
	for _, s := range subjectKeys {
		if strings.EqualFold(s.key, k) {
			return s.key, s.oid, true
		}
	}
	if k != "" && k[0] >= '0' && k[0] <= '9' {
		if oid, err := parseOID(k); err == nil {
			return oid.String(), oid, true
		}
	}
	return "", nil, false
}

// ParseSubject parses a subject template: comma-separated KEY=VALUE pairs
// in RFC 4514 order, KEY one of CN, serialNumber, C, L, ST, O, OU, DC (any
// case) or a dotted OID such as 1.3.6.1.4.1.37244.2.1 (the Matter vendor
// ID), whose value is a UTF8String. A comma inside a value is written "\,"; commas inside {{ }} need
// no escape. An empty string is the empty subject.
func ParseSubject(s string) (*Subject, error) {
	out := &Subject{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range splitSubject(s) {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return nil, fmt.Errorf("%q: want KEY=VALUE", strings.TrimSpace(part))
		}
		key, oid, known := subjectKey(k)
		if !known {
			if k != "" && k[0] >= '0' && k[0] <= '9' {
				_, err := parseOID(k)
				return nil, fmt.Errorf("attribute %v", err)
			}
			return nil, fmt.Errorf("unknown attribute %q (want CN, serialNumber, C, L, ST, O, OU, DC or a dotted OID)", k)
		}
		t, err := newTemplate(key, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", key, err)
		}
		oidDER, err := asn1.Marshal(oid)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %v", k, err)
		}
		out.attrs = append(out.attrs, subjectAttr{key: key, oid: oid, value: t, plan: simplePlan(t), text: v, oidDER: oidDER})
	}
	return out, nil
}

// splitSubject splits at commas outside {{ }} that are not escaped, and
// unescapes "\,".
func splitSubject(s string) []string {
	var parts []string
	var cur strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "{{"):
			depth++
			cur.WriteString("{{")
			i++
		case strings.HasPrefix(s[i:], "}}") && depth > 0:
			depth--
			cur.WriteString("}}")
			i++
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == ',' && depth == 0:
			cur.WriteByte(',')
			i++
		case s[i] == ',' && depth == 0:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(parts, cur.String())
}

// Empty reports whether the subject has no attribute.
func (s *Subject) Empty() bool { return len(s.attrs) == 0 }

// Constant reports whether no value uses a template action.
func (s *Subject) Constant() bool {
	for _, a := range s.attrs {
		if strings.Contains(a.text, "{{") {
			return false
		}
	}
	return true
}

// keys returns the attribute keys in the order written.
func (s *Subject) keys() []string {
	var k []string
	for _, a := range s.attrs {
		k = append(k, a.key)
	}
	return k
}

// Render executes the templates over fields and returns the DER Name
// (for a template's RawSubject). serialNumber and C are PrintableStrings,
// DC an IA5String, the others (OID attributes included) UTF8Strings; a value that does not fit its
// type, or an empty one, is an error.
func (s *Subject) Render(fields map[string]string) ([]byte, error) {
	// What asn1.Marshal makes of the pkix.RDNSequence of one attribute
	// per RDN, written without reflection and without a builder per
	// element: attribute values are universal string types (attribute
	// makes them).
	b, seq := certder.Begin(make([]byte, 0, 64*len(s.attrs)+8), certder.TagSequence)
	for i := len(s.attrs) - 1; i >= 0; i-- {
		a := s.attrs[i]
		v, err := render(a.value, a.plan, fields)
		if err != nil {
			return nil, fmt.Errorf("subject %s: %w", a.key, err)
		}
		atv, err := attribute(a.key, a.oid, v)
		if err != nil {
			return nil, fmt.Errorf("subject %s: %w", a.key, err)
		}
		rv, ok := atv.Value.(asn1.RawValue)
		if !ok || rv.Class != asn1.ClassUniversal || rv.IsCompound || rv.Tag >= 31 {
			return nil, fmt.Errorf("subject: attribute %v: not a universal string value", atv.Type)
		}
		var set, attr int
		b, set = certder.Begin(b, certder.TagSet)
		b, attr = certder.Begin(b, certder.TagSequence)
		b = append(b, a.oidDER...)
		b = certder.AppendTLV(b, byte(rv.Tag), rv.Bytes)
		b = certder.End(b, attr)
		b = certder.End(b, set)
	}
	return certder.End(b, seq), nil
}

func attribute(key string, oid asn1.ObjectIdentifier, v string) (pkix.AttributeTypeAndValue, error) {
	if v == "" {
		return pkix.AttributeTypeAndValue{}, fmt.Errorf("empty value")
	}
	tag := asn1.TagUTF8String
	for _, s := range subjectKeys {
		if s.key == key {
			tag = s.tag
		}
	}
	switch key {
	case "serialNumber":
		return idevid.SerialNumberAttribute(v)
	case "C":
		if len(v) != 2 || idevid.CheckPrintableString(v) != nil {
			return pkix.AttributeTypeAndValue{}, fmt.Errorf("%q is not a two-letter country code", v)
		}
	}
	if !utf8.ValidString(v) {
		return pkix.AttributeTypeAndValue{}, fmt.Errorf("%q is not valid UTF-8", v)
	}
	if tag == asn1.TagIA5String {
		for i := 0; i < len(v); i++ {
			if v[i] >= 0x80 {
				return pkix.AttributeTypeAndValue{}, fmt.Errorf("%q is not ASCII", v)
			}
		}
	}
	return pkix.AttributeTypeAndValue{Type: oid, Value: asn1.RawValue{Class: asn1.ClassUniversal, Tag: tag, Bytes: []byte(v)}}, nil
}
