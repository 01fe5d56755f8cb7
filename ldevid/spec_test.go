package ldevid

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/keys"
)

const minimalSpec = `
cas:
  root:
    subject: "CN=Root, O=Example, C=DE"
    validity: 20y
  sub:
    parent: root
    subject: "CN=Sub, O=Example, C=DE"
    validity: 10y
devices:
  sensor:
    kind: ldevid
    ca: sub
    profile: ldevid-8021ar
    validity: 365d
    subject: "CN=sensor {{.id}}, O=Example, serialNumber={{.serial}}"
    san:
      - dns: "sensor-{{.id}}.example.com"
    eku: [clientAuth]
`

// TestLoadSpecErrors checks that each mistake is reported with its line.
func TestLoadSpecErrors(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown top key", "cas:", "cass: {}\ncas:", `spec.yaml: line 2: unknown key "cass" (expected one of: cas, devices, macaddress_oid, profile, rules)`},
		{"unknown CA key", "    validity: 20y", "    validty: 20y", `spec.yaml: CA "root": line 5: unknown key "validty" (expected one of: curve, key_usage, parent, path_len, profile, subject, validity)`},
		{"wrong type", "    validity: 20y", "    validity: [20y]", `spec.yaml: CA "root": line 5: cannot unmarshal !!seq into string`},
		{"bad path_len type", "    parent: root", "    parent: root\n    path_len: one", "spec.yaml: CA \"sub\": line 8: cannot unmarshal !!str `one` into int"},
		{"unknown curve", "    validity: 20y", "    validity: 20y\n    curve: secp256k1", `spec.yaml: line 6: CA "root": unknown curve "secp256k1" (want P-256, P-384 or Ed25519)`},
		{"unknown parent", "parent: root", "parent: rot", `spec.yaml: line 6: CA "sub": parent "rot" is not a CA of this spec (CAs: root, sub)`},
		{"cycle", "    subject: \"CN=Root, O=Example, C=DE\"", "    parent: sub\n    subject: \"CN=Root, O=Example, C=DE\"", `spec.yaml: line 3: CA "root": its parents form a cycle and reach no root`},
		{"unknown CA of device", "    ca: sub", "    ca: subb", `spec.yaml: line 13: device profile "sensor": ca "subb" is not a CA of this spec`},
		{"bad kind", "kind: ldevid", "kind: devid", `spec.yaml: line 12: device profile "sensor": kind "devid": want idevid or ldevid`},
		{"bad validity", "validity: 365d", "validity: 12m", `spec.yaml: line 15: device profile "sensor": validity (a duration or forever): duration "12m": unit "m" is ambiguous (months or minutes?): want y (years), w (weeks), d (days) or h (hours)`},
		{"bad template", "sensor {{.id}}", "sensor {{.id}", `spec.yaml: line 16: device profile "sensor": subject: CN: template "sensor {{.id}, O=Example, serialNumber={{.serial}}": CN:1: bad character U+007D '}'`},
		{"unknown attribute", "O=Example, serialNumber", "Org=Example, serialNumber", `spec.yaml: line 16: device profile "sensor": subject: unknown attribute "Org" (want CN, serialNumber, C, L, ST, O, OU, DC or a dotted OID)`},
		{"san with two names", `      - dns: "sensor-{{.id}}.example.com"`, `      - {dns: a.example.com, uri: "x:y"}`, `spec.yaml: line 18: device profile "sensor": san: each entry holds exactly one of dns, uri, ip, email, hardwareModuleName, macaddress (found 2)`},
		{"unknown san key", `      - dns: "sensor-{{.id}}.example.com"`, `      - dnsname: a.example.com`, `spec.yaml: device profile "sensor": san: line 18: unknown key "dnsname" (expected one of: dns, email, hardwareModuleName, ip, macaddress, uri)`},
		{"macaddress without oid", `      - dns: "sensor-{{.id}}.example.com"`, `      - macaddress: "{{.mac}}"`, `spec.yaml: line 18: device profile "sensor": san: macaddress needs macaddress_oid at the top of the spec (the MACAddress OID is not assigned yet)`},
		{"bad eku", "eku: [clientAuth]", "eku: [clientAuthentication]", `spec.yaml: line 19: device profile "sensor": eku "clientAuthentication": want serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning or a dotted OID`},
		{"duplicate key", "    validity: 20y", "    validity: 20y\n    validity: 10y", `spec.yaml: line 6: mapping key "validity" already defined`},
		{"unknown CA key usage", "    validity: 20y", "    validity: 20y\n    key_usage: [keyEncipherment]", `spec.yaml: line 6: CA "root": key_usage "keyEncipherment": want keyCertSign, cRLSign or digitalSignature`},
		{"CA key usage without keyCertSign", "    validity: 20y", "    validity: 20y\n    key_usage: [cRLSign]", `spec.yaml: line 6: CA "root": key_usage: a CA needs keyCertSign`},
		{"CA key usage twice", "    validity: 20y", "    validity: 20y\n    key_usage: [keyCertSign, keyCertSign]", `spec.yaml: line 6: CA "root": key_usage: keyCertSign is listed twice`},
		{"bad OID attribute", "O=Example, serialNumber", "1.3.6.1.4.1.37244.2..1=FFF1, serialNumber", `spec.yaml: line 16: device profile "sensor": subject: attribute "1.3.6.1.4.1.37244.2..1" is not a dotted OID`},
		{"subject_key_id not a bool", "eku: [clientAuth]", "eku: [clientAuth]\n    subject_key_id: yes please", "spec.yaml: device profile \"sensor\": line 20: cannot unmarshal !!str `yes please` into bool"},
		{"CA subject template", `"CN=Sub, O=Example, C=DE"`, `"CN=Sub {{.id}}"`, `spec.yaml: line 8: CA "sub": subject: a CA subject cannot use templates`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(minimalSpec, tc.old) {
				t.Fatalf("test spec lacks %q", tc.old)
			}
			_, err := LoadSpec("spec.yaml", []byte(strings.Replace(minimalSpec, tc.old, tc.new, 1)))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error:\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestLoadSpec(t *testing.T) {
	s, err := LoadSpec("spec.yaml", []byte(minimalSpec))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.CAs) != 2 || s.CAs[0].Name != "root" || s.CAs[1].Parent != "root" || s.CAs[0].curve != keys.P256 || s.CAs[0].Profile != "tls13-iot" {
		t.Errorf("CAs %+v %+v", s.CAs[0], s.CAs[1])
	}
	d := s.Device("sensor")
	if d == nil || d.kind != kindLDevID || d.CA != "sub" || d.validity != (Validity{Days: 365}) || len(d.sans) != 1 || d.sans[0].Type != sanDNS || d.sans[0].Line != 18 || len(d.extKeyUsage) != 1 {
		t.Errorf("device %+v", d)
	}
	// A child before its parent is reordered; the error-free spec order stays.
	s, err = LoadSpec("spec.yaml", []byte(`
cas:
  sub: {parent: root, subject: "CN=Sub", validity: 1y}
  root: {subject: "CN=Root", validity: 2y}
`))
	if err != nil || s.CAs[0].Name != "root" || s.CAs[1].Name != "sub" {
		t.Errorf("order %v, %v", names(s.CAs), err)
	}
}

// TestInlineRules checks that a rules document in the spec keeps the
// spec's line numbers in its errors.
func TestInlineRules(t *testing.T) {
	spec := minimalSpec + `rules:
  profiles:
    mine:
      extends: ldevid-8021ar
      rules:
        e_no_such_lint: {disabled: true}
`
	s, err := LoadSpec("spec.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(s)
	if want := `spec.yaml: line 25: profile "mine": unknown lint "e_no_such_lint"`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	s, _ = LoadSpec("spec.yaml", []byte(strings.Replace(spec, "e_no_such_lint", "w_iot_ldevid_lifetime_limited", 1)+"profile: minee\n"))
	if _, err := New(s); err == nil || !strings.HasPrefix(err.Error(), `spec.yaml: line 3: CA "root": unknown profile "minee" (known: `) {
		t.Errorf("unknown profile: %v", err)
	}
	s, _ = LoadSpec("spec.yaml", []byte(strings.Replace(minimalSpec, "profile: ldevid-8021ar", "profile: idevid-8021ar", 1)))
	if _, err := New(s); err == nil || err.Error() != `spec.yaml: line 11: device profile "sensor" is kind ldevid, but lint profile "idevid-8021ar" lints idevids` {
		t.Errorf("kind mismatch: %v", err)
	}
}

func TestParseValidity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Validity
		err  bool
	}{
		{"forever", Validity{Forever: true}, false},
		{"20y", Validity{years: 20}, false},
		{"825d", Validity{Days: 825}, false},
		{"48h", Validity{hours: 48}, false},
		{"1y30d", Validity{years: 1, Days: 30}, false},
		{"3m", Validity{}, true},
		{"0d", Validity{}, true},
		{"-1y", Validity{}, true},
		{"y", Validity{}, true},
		{"10", Validity{}, true},
	} {
		got, err := ParseValidity(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%s: %+v, %v", tc.in, got, err)
		}
		if err == nil && got.String() != tc.in {
			t.Errorf("%s: String() = %s", tc.in, got.String())
		}
	}
}

func TestSubjectTemplate(t *testing.T) {
	s, err := ParseSubject(`CN=a\, b {{.id}}, O={{printf "%s,%s" .x .y}}, serialNumber={{.serial}}, C=DE`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.keys(), " "); got != "CN O serialNumber C" {
		t.Errorf("keys %s", got)
	}
	raw, err := s.Render(map[string]string{"id": "7", "x": "1", "y": "2", "serial": "SN7"})
	if err != nil {
		t.Fatal(err)
	}
	if got := subjectString(raw); got != "SERIALNUMBER=SN7,CN=a\\, b 7,O=1\\,2,C=DE" {
		t.Errorf("subject %s", got)
	}
	if sn, err := idevidSerial(raw); err != nil || sn != "SN7" {
		t.Errorf("serialNumber %q, %v", sn, err)
	}
	for _, tc := range []struct {
		fields map[string]string
		want   string
	}{
		{map[string]string{"id": "7", "x": "1", "y": "2"}, `subject serialNumber: template "{{.serial}}": serialNumber:1:2: executing "serialNumber" at <.serial>: map has no entry for key "serial"`},
		{map[string]string{"id": "7", "x": "1", "y": "2", "serial": "SN_7"}, `subject serialNumber: subject serialNumber: "SN_7" is not a PrintableString: '_' at 2 is not allowed (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?)`},
	} {
		if _, err := s.Render(tc.fields); err == nil || err.Error() != tc.want {
			t.Errorf("error:\n got %v\nwant %s", err, tc.want)
		}
	}
}

// TestSubjectOIDAttribute checks that a dotted-OID attribute is written
// as a UTF8String under that OID, in the order of the template.
func TestSubjectOIDAttribute(t *testing.T) {
	s, err := ParseSubject("CN=DAC {{.id}}, 1.3.6.1.4.1.37244.2.1={{.vid}}, 1.3.6.1.4.1.37244.2.2=8000")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.keys(), " "); got != "CN 1.3.6.1.4.1.37244.2.1 1.3.6.1.4.1.37244.2.2" {
		t.Errorf("keys %s", got)
	}
	raw, err := s.Render(map[string]string{"id": "7", "vid": "FFF1"})
	if err != nil {
		t.Fatal(err)
	}
	// RDNs in reverse order of the template: PID, VID, CN.
	want := "303c" +
		"3114" + "3012" + "060a2b0601040182a27c0202" + "0c04" + "38303030" +
		"3114" + "3012" + "060a2b0601040182a27c0201" + "0c04" + "46464631" +
		"310e" + "300c" + "0603550403" + "0c05" + "4441432037"
	if got := fmt.Sprintf("%x", raw); got != want {
		t.Errorf("subject\n got %s\nwant %s", got, want)
	}
}

func idevidSerial(raw []byte) (string, error) { return idevid.SubjectSerialNumber(raw) }
