package certio_test

import (
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"
)

// certsOnly builds a PKCS#7 SignedData "certs-only" message (RFC 5652 §5.1)
// holding certs, as openssl crl2pkcs7 and EST /cacerts produce.
func certsOnly(t *testing.T, certs ...[]byte) []byte {
	t.Helper()
	var set []byte
	for _, c := range certs {
		set = append(set, c...)
	}
	sd, err := asn1.Marshal(struct {
		Version    int
		Digests    asn1.RawValue
		Encap      struct{ Type asn1.ObjectIdentifier }
		Certs      asn1.RawValue
		SignerInfo asn1.RawValue
	}{
		Version:    1,
		Digests:    asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
		Encap:      struct{ Type asn1.ObjectIdentifier }{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}},
		Certs:      asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: set},
		SignerInfo: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
	if err != nil {
		t.Fatal(err)
	}
	return ci
}

func TestDecodePKCS7(t *testing.T) {
	a, b := newCert(t), newCert(t)
	p7 := certsOnly(t, a, b)
	armoured := pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: p7})
	truncated := certsOnly(t, a, b[:len(b)-1])
	truncatedAt := strconv.Itoa(bytes.Index(truncated, b[:len(b)-1]))
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"DER .p7b", p7, []string{"ok", "ok"}},
		{"PEM PKCS7", armoured, []string{"ok", "ok"}},
		{"bare base64 (EST /cacerts)", []byte(base64.StdEncoding.EncodeToString(p7) + "\n"), []string{"ok", "ok"}},
		{"PEM PKCS7 then a certificate", append(append([]byte{}, armoured...), pemOf(a)...), []string{"ok", "ok", "ok"}},
		{"no certificates", certsOnly(t), []string{"err: in (certificate 0, byte 0): PKCS#7: the message holds no certificates"}},
		{"truncated certificate inside", truncated, []string{"ok", "err: in (certificate 1, byte " + truncatedAt + "): PKCS#7: certificate 1 is truncated or malformed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := collect(t, tc.data)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}
