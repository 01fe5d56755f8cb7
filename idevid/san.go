package idevid

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/iotcert/iotcert/internal/certder"
)

// OIDSubjectAltName is the subjectAltName extension (2.5.29.17).
var OIDSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

// GeneralName tags (RFC 5280 §4.2.1.6) of the choices this package writes.
const (
	TagOtherName  = 0
	TagRFC822Name = 1
	TagDNSName    = 2
	TagURI        = 6
	TagIPAddress  = 7
)

// A Name is one GeneralName of a subjectAltName: DNSName, URI, IPAddress,
// RFC822Name, HardwareModuleName, MACAddress, OtherName or RawName.
type Name interface {
	// GeneralName returns the DER GeneralName.
	GeneralName() (asn1.RawValue, error)
}

// DNSName is a dNSName GeneralName (an IA5String).
type DNSName string

// URI is a uniformResourceIdentifier GeneralName (an IA5String), e.g. a
// BACnet device URI "bacnet://1234".
type URI string

// RFC822Name is an rfc822Name GeneralName (an IA5String).
type RFC822Name string

// IPAddress is an iPAddress GeneralName: 4 octets for IPv4, 16 for IPv6.
type IPAddress net.IP

// MACAddress is a MACAddress otherName (draft-ietf-lamps-macaddress-on):
// an OCTET STRING of 6 (EUI-48) or 8 (EUI-64) octets. Its type-id is not
// assigned yet, so every MACAddress carries the OID the deployment uses.
type MACAddress struct {
	OID     asn1.ObjectIdentifier
	Address []byte
}

// OtherName is an otherName GeneralName this package does not decode
// further: its type-id and the DER of its [0] EXPLICIT value's content.
type OtherName struct {
	TypeID asn1.ObjectIdentifier
	Value  []byte
}

// RawName is any other GeneralName (x400Address, directoryName,
// ediPartyName, registeredID), kept as its context-specific tag and
// content octets. Compound is set for the constructed choices.
type RawName struct {
	Tag      int
	Compound bool
	Bytes    []byte
}

func ia5(tag int, kind, s string) (asn1.RawValue, error) {
	if s == "" {
		return asn1.RawValue{}, fmt.Errorf("idevid: empty %s", kind)
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return asn1.RawValue{}, fmt.Errorf("idevid: %s %q: not an IA5String (non-ASCII octet at %d)", kind, s, i)
		}
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag, Bytes: []byte(s)}, nil
}

// GeneralName returns the dNSName GeneralName. An empty name or one that
// is not ASCII is an error.
func (n DNSName) GeneralName() (asn1.RawValue, error) { return ia5(TagDNSName, "dNSName", string(n)) }

// GeneralName returns the uniformResourceIdentifier GeneralName. The URI
// must be ASCII and carry a scheme ("scheme:...").
func (n URI) GeneralName() (asn1.RawValue, error) {
	if i := strings.IndexByte(string(n), ':'); i <= 0 {
		return asn1.RawValue{}, fmt.Errorf("idevid: URI %q has no scheme", string(n))
	}
	return ia5(TagURI, "URI", string(n))
}

// GeneralName returns the rfc822Name GeneralName.
func (n RFC822Name) GeneralName() (asn1.RawValue, error) {
	return ia5(TagRFC822Name, "rfc822Name", string(n))
}

// GeneralName returns the iPAddress GeneralName: 4 octets for an IPv4
// address (also when held in 16-octet form), else 16.
func (n IPAddress) GeneralName() (asn1.RawValue, error) {
	ip := net.IP(n)
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	} else if len(ip) != net.IPv6len {
		return asn1.RawValue{}, fmt.Errorf("idevid: iPAddress of %d octets", len(n))
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: TagIPAddress, Bytes: append([]byte(nil), ip...)}, nil
}

// GeneralName returns the MACAddress otherName. The OID must be set and
// the address must be 6 or 8 octets.
func (n MACAddress) GeneralName() (asn1.RawValue, error) {
	if len(n.OID) == 0 {
		return asn1.RawValue{}, errors.New("idevid: MACAddress without its otherName OID (it is not assigned yet: the deployment must choose one)")
	}
	if len(n.Address) != 6 && len(n.Address) != 8 {
		return asn1.RawValue{}, fmt.Errorf("idevid: MACAddress of %d octets, want 6 (EUI-48) or 8 (EUI-64)", len(n.Address))
	}
	value, err := asn1.Marshal(n.Address)
	if err != nil {
		return asn1.RawValue{}, err
	}
	return otherName(n.OID, value)
}

// String formats the address as colon-separated hexadecimal octets.
func (n MACAddress) String() string {
	parts := make([]string, len(n.Address))
	for i, b := range n.Address {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

// ParseMAC parses an EUI-48 or EUI-64 written as hexadecimal octets
// separated by ':' or '-' ("00:1b:63:84:45:e6", "00-1B-63-FF-FE-84-45-E6")
// or as 12 or 16 hexadecimal digits.
func ParseMAC(s string) ([]byte, error) {
	hex := strings.NewReplacer(":", "", "-", "").Replace(s)
	if strings.ContainsAny(s, ":-") {
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' }) {
			if len(p) != 2 {
				return nil, fmt.Errorf("MAC address %q: want two hexadecimal digits per octet", s)
			}
		}
	}
	if len(hex) != 12 && len(hex) != 16 {
		return nil, fmt.Errorf("MAC address %q: want 6 (EUI-48) or 8 (EUI-64) octets", s)
	}
	out := make([]byte, len(hex)/2)
	for i := range out {
		var b byte
		for _, c := range []byte(hex[2*i : 2*i+2]) {
			var v byte
			switch {
			case c >= '0' && c <= '9':
				v = c - '0'
			case c >= 'a' && c <= 'f':
				v = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				v = c - 'A' + 10
			default:
				return nil, fmt.Errorf("MAC address %q: %q is not a hexadecimal digit", s, c)
			}
			b = b<<4 | v
		}
		out[i] = b
	}
	return out, nil
}

// GeneralName returns the otherName with n's type-id and value.
func (n OtherName) GeneralName() (asn1.RawValue, error) {
	if len(n.TypeID) == 0 {
		return asn1.RawValue{}, errors.New("idevid: otherName without type-id")
	}
	return otherName(n.TypeID, n.Value)
}

// GeneralName returns the GeneralName as it was read.
func (n RawName) GeneralName() (asn1.RawValue, error) {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: n.Tag, IsCompound: n.Compound, Bytes: n.Bytes}, nil
}

// GeneralName returns the HardwareModuleName otherName; it is OtherName
// under the name the Name interface asks for.
func (h HardwareModuleName) GeneralName() (asn1.RawValue, error) { return h.OtherName() }

// otherName builds the otherName GeneralName of type typeID whose [0]
// EXPLICIT value holds valueDER.
func otherName(typeID asn1.ObjectIdentifier, valueDER []byte) (asn1.RawValue, error) {
	id, err := asn1.Marshal(typeID)
	if err != nil {
		return asn1.RawValue{}, fmt.Errorf("idevid: otherName type-id: %w", err)
	}
	explicit, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: valueDER})
	if err != nil {
		return asn1.RawValue{}, err
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: TagOtherName, IsCompound: true, Bytes: append(id, explicit...)}, nil
}

// MarshalSubjectAltName returns the DER of a subjectAltName extension
// value (GeneralNames) holding names in order. An empty list is an error:
// RFC 5280 §4.2.1.6 requires at least one name.
func MarshalSubjectAltName(names []Name) ([]byte, error) {
	if len(names) == 0 {
		return nil, errors.New("idevid: subjectAltName without names")
	}
	// What asn1.Marshal makes of the []asn1.RawValue, without
	// reflection.
	b, seq := certder.Begin(make([]byte, 0, 64*len(names)), certder.TagSequence)
	for i, n := range names {
		if n == nil {
			return nil, fmt.Errorf("idevid: subjectAltName name %d is nil", i)
		}
		gn, err := n.GeneralName()
		if err != nil {
			return nil, fmt.Errorf("subjectAltName name %d: %w", i, err)
		}
		if b, err = appendRawValue(b, gn); err != nil {
			return nil, fmt.Errorf("subjectAltName name %d: %w", i, err)
		}
	}
	return certder.End(b, seq), nil
}

// appendRawValue appends v to b as asn1.Marshal encodes it: its
// FullBytes when set, else its identifier, length and Bytes.
func appendRawValue(b []byte, v asn1.RawValue) ([]byte, error) {
	switch {
	case len(v.FullBytes) > 0:
		return append(b, v.FullBytes...), nil
	case v.Tag < 31 && v.Class >= 0 && v.Class < 4:
		id := byte(v.Class<<6) | byte(v.Tag)
		if v.IsCompound {
			id |= 0x20
		}
		return certder.AppendTLV(b, id, v.Bytes), nil
	}
	der, err := asn1.Marshal(v) // a multi-octet tag
	return append(b, der...), err
}

// SubjectAltName returns the subjectAltName extension holding names. Put
// it in a crypto/x509 template's ExtraExtensions (crypto/x509 cannot write
// otherNames itself); it then replaces any SAN the template's DNSNames etc.
// would make. RFC 5280 §4.2.1.6 wants it critical when the subject is empty.
func SubjectAltName(critical bool, names ...Name) (pkix.Extension, error) {
	value, err := MarshalSubjectAltName(names)
	if err != nil {
		return pkix.Extension{}, err
	}
	return pkix.Extension{Id: OIDSubjectAltName, Critical: critical, Value: value}, nil
}

// ParseSubjectAltName decodes a subjectAltName extension value into typed
// names, strictly (no trailing data, every entry a GeneralName). otherNames
// of type id-on-hardwareModuleName become HardwareModuleName, those of type
// macAddressOID (when not nil) MACAddress, other otherNames OtherName;
// directoryName and the other choices RawName.
func ParseSubjectAltName(der []byte, macAddressOID asn1.ObjectIdentifier) ([]Name, error) {
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(der, &seq)
	if err != nil {
		return nil, fmt.Errorf("subjectAltName: %w", err)
	}
	if len(rest) != 0 {
		return nil, errors.New("subjectAltName: trailing data")
	}
	if seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence || !seq.IsCompound {
		return nil, errors.New("subjectAltName: not a SEQUENCE")
	}
	if len(seq.Bytes) == 0 {
		return nil, errors.New("subjectAltName: empty SEQUENCE")
	}
	var names []Name
	for inner := seq.Bytes; len(inner) > 0; {
		var v asn1.RawValue
		if inner, err = asn1.Unmarshal(inner, &v); err != nil {
			return nil, fmt.Errorf("subjectAltName entry %d: %w", len(names), err)
		}
		n, err := parseGeneralName(v, macAddressOID)
		if err != nil {
			return nil, fmt.Errorf("subjectAltName entry %d: %w", len(names), err)
		}
		names = append(names, n)
	}
	return names, nil
}

func parseGeneralName(v asn1.RawValue, macOID asn1.ObjectIdentifier) (Name, error) {
	if v.Class != asn1.ClassContextSpecific {
		return nil, fmt.Errorf("not a GeneralName (class %d, tag %d)", v.Class, v.Tag)
	}
	switch v.Tag {
	case TagDNSName, TagURI, TagRFC822Name:
		if v.IsCompound {
			return nil, fmt.Errorf("GeneralName [%d] is constructed", v.Tag)
		}
		for _, b := range v.Bytes {
			if b >= 0x80 {
				return nil, fmt.Errorf("GeneralName [%d] holds the non-ASCII octet 0x%02x", v.Tag, b)
			}
		}
		switch v.Tag {
		case TagDNSName:
			return DNSName(v.Bytes), nil
		case TagURI:
			return URI(v.Bytes), nil
		}
		return RFC822Name(v.Bytes), nil
	case TagIPAddress:
		if v.IsCompound || (len(v.Bytes) != net.IPv4len && len(v.Bytes) != net.IPv6len) {
			return nil, fmt.Errorf("iPAddress of %d octets, want 4 or 16", len(v.Bytes))
		}
		return IPAddress(append([]byte(nil), v.Bytes...)), nil
	case TagOtherName:
		return parseOtherName(v, macOID)
	}
	return RawName{Tag: v.Tag, Compound: v.IsCompound, Bytes: append([]byte(nil), v.Bytes...)}, nil
}

func parseOtherName(v asn1.RawValue, macOID asn1.ObjectIdentifier) (Name, error) {
	if !v.IsCompound {
		return nil, errors.New("otherName is not constructed")
	}
	var typeID asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(v.Bytes, &typeID)
	if err != nil {
		return nil, fmt.Errorf("otherName type-id: %w", err)
	}
	var value asn1.RawValue
	if rest, err = asn1.Unmarshal(rest, &value); err != nil {
		return nil, fmt.Errorf("otherName value: %w", err)
	}
	if len(rest) != 0 {
		return nil, errors.New("otherName: trailing data after the value")
	}
	if value.Class != asn1.ClassContextSpecific || value.Tag != 0 || !value.IsCompound {
		return nil, errors.New("otherName value is not [0] EXPLICIT")
	}
	switch {
	case typeID.Equal(OIDHardwareModuleName):
		return ParseHardwareModuleName(value.Bytes)
	case macOID != nil && typeID.Equal(macOID):
		var addr []byte
		rest, err := asn1.Unmarshal(value.Bytes, &addr)
		if err != nil {
			return nil, fmt.Errorf("MACAddress: %w", err)
		}
		if len(rest) != 0 {
			return nil, errors.New("MACAddress: trailing data")
		}
		if len(addr) != 6 && len(addr) != 8 {
			return nil, fmt.Errorf("MACAddress of %d octets, want 6 (EUI-48) or 8 (EUI-64)", len(addr))
		}
		return MACAddress{OID: append(asn1.ObjectIdentifier(nil), macOID...), Address: addr}, nil
	}
	return OtherName{TypeID: typeID, Value: append([]byte(nil), value.Bytes...)}, nil
}

// Equal reports whether a and b encode to the same GeneralName.
func Equal(a, b Name) bool {
	ra, errA := a.GeneralName()
	rb, errB := b.GeneralName()
	if errA != nil || errB != nil {
		return false
	}
	ea, errA := asn1.Marshal(ra)
	eb, errB := asn1.Marshal(rb)
	return errA == nil && errB == nil && bytes.Equal(ea, eb)
}

// TypeName returns the RFC 5280 name of n's GeneralName choice
// ("dNSName", "uniformResourceIdentifier", "iPAddress", "rfc822Name",
// "otherName") or, for the otherNames this package knows,
// "hardwareModuleName" and "macAddress".
func TypeName(n Name) string {
	switch v := n.(type) {
	case DNSName:
		return "dNSName"
	case URI:
		return "uniformResourceIdentifier"
	case IPAddress:
		return "iPAddress"
	case RFC822Name:
		return "rfc822Name"
	case HardwareModuleName:
		return "hardwareModuleName"
	case MACAddress:
		return "macAddress"
	case OtherName:
		return "otherName"
	case RawName:
		switch v.Tag {
		case 3:
			return "x400Address"
		case 4:
			return "directoryName"
		case 5:
			return "ediPartyName"
		case 8:
			return "registeredID"
		}
	}
	return fmt.Sprintf("GeneralName(%T)", n)
}
