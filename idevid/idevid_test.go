package idevid_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/idevid"
)

// An example MACAddress OID under the RFC 5612 documentation enterprise
// number; the real one is not assigned yet.
var testMACOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 9, 1}

var testHWType = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}

func TestSubjectAltNameRoundTrip(t *testing.T) {
	names := []idevid.Name{
		idevid.DNSName("sensor-1.example.com"),
		idevid.URI("bacnet://4194302"),
		idevid.IPAddress(net.ParseIP("192.0.2.7")),
		idevid.IPAddress(net.ParseIP("2001:db8::7")),
		idevid.RFC822Name("ops@example.com"),
		idevid.HardwareModuleName{Type: testHWType, SerialNumber: []byte("SN0001")},
		idevid.MACAddress{OID: testMACOID, Address: []byte{0, 0x1b, 0x63, 0x84, 0x45, 0xe6}},
		idevid.OtherName{TypeID: asn1.ObjectIdentifier{1, 2, 3}, Value: []byte{0x0c, 0x01, 'x'}},
	}
	ext, err := idevid.SubjectAltName(true, names...)
	if err != nil {
		t.Fatal(err)
	}
	if !ext.Id.Equal(idevid.OIDSubjectAltName) || !ext.Critical {
		t.Errorf("extension %v critical %v", ext.Id, ext.Critical)
	}
	got, err := idevid.ParseSubjectAltName(ext.Value, testMACOID)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]idevid.Name(nil), names...)
	want[2] = idevid.IPAddress(net.ParseIP("192.0.2.7").To4()) // written as 4 octets
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %#v\nwant %#v", got, want)
	}
	var types []string
	for _, n := range got {
		types = append(types, idevid.TypeName(n))
	}
	if s := strings.Join(types, ","); s != "dNSName,uniformResourceIdentifier,iPAddress,iPAddress,rfc822Name,hardwareModuleName,macAddress,otherName" {
		t.Errorf("type names %s", s)
	}

	// Without the MACAddress OID the same otherName stays generic.
	got, err = idevid.ParseSubjectAltName(ext.Value, nil)
	if err != nil {
		t.Fatal(err)
	}
	if on, ok := got[6].(idevid.OtherName); !ok || !on.TypeID.Equal(testMACOID) || hex.EncodeToString(on.Value) != "0406001b638445e6" {
		t.Errorf("MACAddress without its OID: %#v", got[6])
	}
	if !idevid.Equal(got[6], names[6]) {
		t.Error("the generic otherName does not encode like the MACAddress")
	}
}

// TestMarshalSubjectAltNameMatchesASN1 checks that MarshalSubjectAltName
// writes what encoding/asn1 writes for the same GeneralNames: every name
// type, a RawName with a multi-octet tag, and a value of more than 127
// octets (a length of two octets).
func TestMarshalSubjectAltNameMatchesASN1(t *testing.T) {
	names := []idevid.Name{
		idevid.DNSName("sensor-1.example.com"),
		idevid.URI("bacnet://4194302"),
		idevid.URI("urn:dev:" + strings.Repeat("x", 300)),
		idevid.IPAddress(net.ParseIP("192.0.2.7")),
		idevid.IPAddress(net.ParseIP("2001:db8::7")),
		idevid.RFC822Name("ops@example.com"),
		idevid.HardwareModuleName{Type: testHWType, SerialNumber: []byte("SN0001")},
		idevid.MACAddress{OID: testMACOID, Address: []byte{0, 0x1b, 0x63, 0x84, 0x45, 0xe6}},
		idevid.OtherName{TypeID: asn1.ObjectIdentifier{1, 2, 3}, Value: []byte{0x0c, 0x01, 'x'}},
		idevid.RawName{Tag: 4, Compound: true, Bytes: []byte{0x30, 0x00}},
		idevid.RawName{Tag: 40, Bytes: []byte{1, 2, 3}},
	}
	for i := range names {
		got, err := idevid.MarshalSubjectAltName(names[i:])
		if err != nil {
			t.Fatal(err)
		}
		var raw []asn1.RawValue
		for _, n := range names[i:] {
			gn, err := n.GeneralName()
			if err != nil {
				t.Fatal(err)
			}
			raw = append(raw, gn)
		}
		want, err := asn1.Marshal(raw)
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(got) != hex.EncodeToString(want) {
			t.Errorf("names %d..: got %x\nwant %x", i, got, want)
		}
	}
}

// TestSubjectAltNameInCertificate checks the encoding against crypto/x509:
// Go reads the names it knows back from the certificate, and the
// HardwareModuleName survives byte for byte.
func TestSubjectAltNameInCertificate(t *testing.T) {
	ext, err := idevid.SubjectAltName(false,
		idevid.DNSName("a.example.com"), idevid.URI("bacnet://17"), idevid.IPAddress(net.ParseIP("192.0.2.1")),
		idevid.HardwareModuleName{Type: idevid.OIDTPM20, SerialNumber: []byte{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now(), NotAfter: idevid.NoExpiry, ExtraExtensions: []pkix.Extension{ext}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.DNSNames) != 1 || c.DNSNames[0] != "a.example.com" || len(c.URIs) != 1 || c.URIs[0].String() != "bacnet://17" || len(c.IPAddresses) != 1 || !c.IPAddresses[0].Equal(net.ParseIP("192.0.2.1")) {
		t.Errorf("crypto/x509 read %v %v %v", c.DNSNames, c.URIs, c.IPAddresses)
	}
	var sanValue []byte
	for _, e := range c.Extensions {
		if e.Id.Equal(idevid.OIDSubjectAltName) {
			sanValue = e.Value
		}
	}
	names, err := idevid.ParseSubjectAltName(sanValue, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := names[3].(idevid.HardwareModuleName)
	if !ok || !h.Type.Equal(idevid.OIDTPM20) || string(h.SerialNumber) != "\x01\x02\x03" {
		t.Errorf("HardwareModuleName read back as %#v", names[3])
	}
	// The NoExpiry convention comes out as GeneralizedTime 99991231235959Z.
	if err := idevid.CheckNoExpiry(c.RawTBSCertificate); err != nil {
		t.Error(err)
	}
	v, err := idevid.ParseValidity(c.RawTBSCertificate)
	if err != nil || v.NotBefore.Tag != asn1.TagUTCTime {
		t.Errorf("validity %+v, %v", v, err)
	}
	tmpl.NotAfter = time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC)
	der, _ = x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	c, _ = x509.ParseCertificate(der)
	if err := idevid.CheckNoExpiry(c.RawTBSCertificate); err == nil {
		t.Error("UTCTime 491231235959Z accepted as no expiry")
	}
}

func TestSubjectAltNameErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []idevid.Name
		want  string
	}{
		{"empty", nil, "idevid: subjectAltName without names"},
		{"empty dns", []idevid.Name{idevid.DNSName("")}, "subjectAltName name 0: idevid: empty dNSName"},
		{"non-ascii dns", []idevid.Name{idevid.DNSName("bü.example")}, `subjectAltName name 0: idevid: dNSName "bü.example": not an IA5String (non-ASCII octet at 1)`},
		{"uri without scheme", []idevid.Name{idevid.URI("1234")}, `subjectAltName name 0: idevid: URI "1234" has no scheme`},
		{"bad ip", []idevid.Name{idevid.IPAddress{1, 2, 3}}, "subjectAltName name 0: idevid: iPAddress of 3 octets"},
		{"mac without oid", []idevid.Name{idevid.MACAddress{Address: make([]byte, 6)}}, "subjectAltName name 0: idevid: MACAddress without its otherName OID (it is not assigned yet: the deployment must choose one)"},
		{"mac of 7", []idevid.Name{idevid.MACAddress{OID: testMACOID, Address: make([]byte, 7)}}, "subjectAltName name 0: idevid: MACAddress of 7 octets, want 6 (EUI-48) or 8 (EUI-64)"},
		{"hwmn without type", []idevid.Name{idevid.DNSName("a"), idevid.HardwareModuleName{}}, "subjectAltName name 1: idevid: HardwareModuleName without hwType"},
		{"nil", []idevid.Name{nil}, "idevid: subjectAltName name 0 is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := idevid.MarshalSubjectAltName(tc.names)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseSubjectAltNameErrors(t *testing.T) {
	mac, _ := idevid.MACAddress{OID: testMACOID, Address: make([]byte, 8)}.GeneralName()
	mac.Bytes[len(mac.Bytes)-1-8] = 7 // OCTET STRING length 8 -> 7: inner trailing octet
	macDER, _ := asn1.Marshal([]asn1.RawValue{mac})
	for _, tc := range []struct {
		name, hex, want string
	}{
		{"not a sequence", "0400", "subjectAltName: not a SEQUENCE"},
		{"empty sequence", "3000", "subjectAltName: empty SEQUENCE"},
		{"trailing", "3004820161" + "00" + "00", "subjectAltName: trailing data"},
		{"universal entry", "30030c0161", "subjectAltName entry 0: not a GeneralName (class 0, tag 12)"},
		{"ip of 5", "300787050102030405", "subjectAltName entry 0: iPAddress of 5 octets, want 4 or 16"},
		{"non-ascii uri", "30038601ff", "subjectAltName entry 0: GeneralName [6] holds the non-ASCII octet 0xff"},
		{"bad mac", hex.EncodeToString(macDER), "subjectAltName entry 0: MACAddress: trailing data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			der, err := hex.DecodeString(strings.ReplaceAll(tc.hex, " ", ""))
			if err != nil {
				t.Fatal(err)
			}
			_, err = idevid.ParseSubjectAltName(der, testMACOID)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseMAC(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "00:1b:63:84:45:e6", want: "001b638445e6"},
		{in: "00-1B-63-FF-FE-84-45-E6", want: "001b63fffe8445e6"},
		{in: "001b638445e6", want: "001b638445e6"},
		{in: "00:1b:63:84:45", err: `MAC address "00:1b:63:84:45": want 6 (EUI-48) or 8 (EUI-64) octets`},
		{in: "0:01b:63:84:45:e6", err: `MAC address "0:01b:63:84:45:e6": want two hexadecimal digits per octet`},
		{in: "zz1b638445e6", err: `MAC address "zz1b638445e6": 'z' is not a hexadecimal digit`},
	} {
		got, err := idevid.ParseMAC(tc.in)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
		case err != nil || hex.EncodeToString(got) != tc.want:
			t.Errorf("%s: %x, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	if s := (idevid.MACAddress{Address: []byte{0, 0x1b, 0x63, 0x84, 0x45, 0xe6}}).String(); s != "00:1b:63:84:45:e6" {
		t.Errorf("String() = %s", s)
	}
}

func TestSerialNumberAttribute(t *testing.T) {
	for _, tc := range []struct{ serial, err string }{
		{serial: "SN0001"},
		{serial: "AB-12:34/5 (x)"},
		{serial: "", err: "subject serialNumber: empty PrintableString"},
		{serial: "SN_0001", err: `subject serialNumber: "SN_0001" is not a PrintableString: '_' at 2 is not allowed (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?)`},
		{serial: strings.Repeat("1", 65), err: `subject serialNumber "` + strings.Repeat("1", 65) + `": 65 characters, at most 64`},
	} {
		atv, err := idevid.SerialNumberAttribute(tc.serial)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.serial, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.serial, err)
		}
		name := pkix.Name{CommonName: "sensor", ExtraNames: []pkix.AttributeTypeAndValue{atv}}
		raw, err := asn1.Marshal(name.ToRDNSequence())
		if err != nil {
			t.Fatal(err)
		}
		got, err := idevid.SubjectSerialNumber(raw)
		if err != nil || got != tc.serial {
			t.Errorf("%q read back as %q, %v", tc.serial, got, err)
		}
	}

	// crypto/x509 writes a UTF8String for a serial with '_': read back, it
	// is refused.
	raw, _ := asn1.Marshal(pkix.Name{SerialNumber: "SN_1"}.ToRDNSequence())
	if _, err := idevid.SubjectSerialNumber(raw); err == nil || err.Error() != "subject serialNumber is not a PrintableString (tag 12)" {
		t.Errorf("UTF8String serialNumber: %v", err)
	}
	raw, _ = asn1.Marshal(pkix.Name{CommonName: "x"}.ToRDNSequence())
	if _, err := idevid.SubjectSerialNumber(raw); err == nil || err.Error() != "subject has no serialNumber" {
		t.Errorf("no serialNumber: %v", err)
	}
}

func TestCheckCertificateSerial(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 159), big.NewInt(1)) // 20 octets
	for _, tc := range []struct {
		n   *big.Int
		err string
	}{
		{n: big.NewInt(1)},
		{n: max},
		{n: nil, err: "certificate serial number is not positive"},
		{n: big.NewInt(0), err: "certificate serial number is not positive"},
		{n: big.NewInt(-5), err: "certificate serial number is not positive"},
		{n: new(big.Int).Lsh(big.NewInt(1), 159), err: "certificate serial number is 21 octets, more than 20"},
	} {
		err := idevid.CheckCertificateSerial(tc.n)
		if (tc.err == "" && err != nil) || (tc.err != "" && (err == nil || err.Error() != tc.err)) {
			t.Errorf("%v: error %v, want %q", tc.n, err, tc.err)
		}
	}
}
