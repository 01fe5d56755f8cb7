package certio_test

import (
	"encoding/asn1"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
)

func TestParseDefectsTrailingData(t *testing.T) {
	der := newCert(t)
	in := append(append([]byte{}, der...), 0x00)
	if _, err := certio.Parse(in); err == nil {
		t.Fatal("Parse accepted trailing data")
	}
	c, defects, err := certio.ParseDefects(in)
	if err != nil {
		t.Fatalf("ParseDefects: %v", err)
	}
	if string(c.Raw) != string(der) {
		t.Error("Raw is not the certificate without the trailing byte")
	}
	want := certio.Defect{Kind: certio.DefectTrailingData, Offset: len(der),
		Msg: "1 byte(s) follow the certificate's DER encoding, from byte " + itoa(len(der)) + " of it: 00"}
	if len(defects) != 1 || defects[0].Kind != want.Kind || defects[0].Offset != want.Offset || defects[0].Msg != want.Msg {
		t.Errorf("defects = %+v, want [%+v]", defects, want)
	}
	if c2, d2, err := certio.ParseDefects(der); err != nil || len(d2) != 0 || c2 == nil {
		t.Errorf("a good certificate: %v, %v", d2, err)
	}
}

// TestParseDefectsUndecodableExtension gives a certificate one extension
// whose value is of the wrong type: it is judged, the extension is kept
// under its own ID with its value, and the defect names it.
func TestParseDefectsUndecodableExtension(t *testing.T) {
	notBitString := []byte{0x05, 0x00} // NULL: no extension value is that
	for _, tc := range []struct {
		name string
		oid  asn1.ObjectIdentifier
		msg  string
		// refused: zcrypto refuses the certificate (it ignores a bad
		// keyUsage or basicConstraints, leaving its fields empty).
		refused bool
	}{
		{"keyUsage", asn1.ObjectIdentifier{2, 5, 29, 15}, "the keyUsage extension does not decode", false},
		{"basicConstraints", asn1.ObjectIdentifier{2, 5, 29, 19}, "the basicConstraints extension does not decode", false},
		{"subjectKeyIdentifier", asn1.ObjectIdentifier{2, 5, 29, 14}, "the subjectKeyIdentifier extension does not decode", true},
		{"authorityKeyIdentifier", asn1.ObjectIdentifier{2, 5, 29, 35}, "the authorityKeyIdentifier extension does not decode", true},
		{"subjectAltName", asn1.ObjectIdentifier{2, 5, 29, 17}, "the subjectAltName extension does not decode", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, err := certgen.Issue(certgen.RootTemplate(), func(tbs *certgen.TBS) {
				tbs.SetExtension(pkixExtension(tc.oid, notBitString))
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := certio.Parse(root.DER()); (err != nil) != tc.refused {
				t.Fatalf("Parse error %v, want refused=%v", err, tc.refused)
			}
			c, defects, err := certio.ParseDefects(root.DER())
			if err != nil {
				t.Fatalf("ParseDefects: %v", err)
			}
			if len(defects) != 1 || defects[0].Kind != certio.DefectUndecodableExtension || defects[0].OID.String() != tc.oid.String() ||
				!strings.HasPrefix(defects[0].Msg, tc.msg+" (") || !strings.HasSuffix(defects[0].Msg, "): the other lints judged the certificate without its content") {
				t.Errorf("defects = %+v", defects)
			}
			if c.Subject.CommonName != "Example IoT Root CA" || string(c.Raw) != string(root.DER()) {
				t.Errorf("subject %q, raw kept %v", c.Subject.CommonName, string(c.Raw) == string(root.DER()))
			}
			found := false
			for _, e := range c.Extensions {
				if e.Id.String() == tc.oid.String() && string(e.Value) == string(notBitString) {
					found = true
				}
			}
			if !found {
				t.Errorf("the %s extension is not kept with its value", tc.name)
			}
			t.Log(defects[0].Msg)
		})
	}
}
