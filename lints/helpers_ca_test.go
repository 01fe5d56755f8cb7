package lints

import (
	"crypto/sha1" //nolint:gosec // RFC 5280 key identifiers are SHA-1 by definition.
	"crypto/sha256"
	"crypto/sha512"
	"strings"
	"testing"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
	"github.com/zmap/zlint/v3/lint"
)

// caLintNames are the lints of the root and subordinate CA sections.
func caLintNames() []string {
	var names []string
	for _, name := range lint.GlobalRegistry().Names() {
		if strings.Contains(name, "_iot_root_") || strings.Contains(name, "_iot_sub_") {
			names = append(names, name)
		}
	}
	return names
}

func TestCAKeyIDMethod(t *testing.T) {
	for _, file := range []string{"tls13-iot/root.pem", "tls13-iot/sub.pem"} {
		c := loadCert(t, file)
		var spki struct {
			Algorithm pkix.AlgorithmIdentifier
			PublicKey asn1.BitString
		}
		if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
			t.Fatal(err)
		}
		key := spki.PublicKey.Bytes
		s1 := sha1.Sum(key) //nolint:gosec // RFC 5280 method 1.
		m2 := append([]byte{0x40 | s1[12]&0x0f}, s1[13:]...)
		s256, s384, s512 := sha256.Sum256(key), sha512.Sum384(key), sha512.Sum512(key)
		for _, tc := range []struct {
			id   []byte
			want string
		}{
			{s1[:], "RFC 5280 method 1"},
			{m2, "RFC 5280 method 2"},
			{s256[:20], "RFC 7093 method 1"},
			{s384[:20], "RFC 7093 method 2"},
			{s512[:20], "RFC 7093 method 3"},
			{s256[:], ""},                          // the whole SHA-256 is none of the methods
			{s1[:19], ""},                          // truncated
			{append([]byte{0x50}, s1[13:]...), ""}, // method 2 with a wrong type nibble
		} {
			got, err := caKeyIDMethod(c, tc.id)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("%s: caKeyIDMethod(%x) = %q, want %q", file, tc.id, got, tc.want)
			}
		}
	}
}

func TestCADecodeBasicConstraints(t *testing.T) {
	for _, tc := range []struct {
		der     []byte
		want    caBasicConstraints
		wantErr bool
	}{
		{[]byte{0x30, 0x00}, caBasicConstraints{}, false},
		{[]byte{0x30, 0x03, 0x01, 0x01, 0xff}, caBasicConstraints{CA: true}, false},
		{[]byte{0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00}, caBasicConstraints{CA: true, HasPathLen: true}, false},
		{[]byte{0x30, 0x03, 0x02, 0x01, 0x03}, caBasicConstraints{HasPathLen: true, PathLen: 3}, false},
		{[]byte{0x30, 0x03, 0x04, 0x01, 0x00}, caBasicConstraints{}, true},
		{[]byte{0x31, 0x00}, caBasicConstraints{}, true},
		{[]byte{0x30}, caBasicConstraints{}, true},
		{nil, caBasicConstraints{}, true},
	} {
		got, err := caDecodeBasicConstraints(tc.der)
		if (err != nil) != tc.wantErr || (err == nil && got != tc.want) {
			t.Errorf("caDecodeBasicConstraints(%x) = %+v, %v; want %+v, error %v", tc.der, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestCALintsGarbledExtensions replaces the value of each extension a CA
// lint reads with bytes that do not decode: no lint may panic, and a lint
// that decodes the extension must fail with details.
func TestCALintsGarbledExtensions(t *testing.T) {
	decoders := map[string]asn1.ObjectIdentifier{
		"e_iot_root_aki_equals_ski":        oidExtSubjectKeyID,
		"w_iot_root_ski_matches_key":       oidExtSubjectKeyID,
		"w_iot_sub_ski_matches_key":        oidExtSubjectKeyID,
		"e_iot_root_bc":                    oidExtBasicConstraints,
		"e_iot_sub_bc":                     oidExtBasicConstraints,
		"e_iot_root_no_pathlen":            oidExtBasicConstraints,
		"w_iot_sub_pathlen_omitted":        oidExtBasicConstraints,
		"e_iot_root_ku_critical_certsign":  oidExtKeyUsage,
		"e_iot_sub_ku_critical_certsign":   oidExtKeyUsage,
		"n_iot_root_ku_crlsign":            oidExtKeyUsage,
		"n_iot_root_ku_digsig":             oidExtKeyUsage,
		"n_iot_sub_ku_crlsign":             oidExtKeyUsage,
		"w_iot_sub_ku_digsig":              oidExtKeyUsage,
		"w_iot_sub_aia_caissuers_and_ocsp": oidExtAuthorityInfo,
		"n_iot_root_san_consistent":        oidExtSubjectAltName,
	}
	files := []string{
		"tls13-iot/root.pem", "tls13-iot/sub.pem",
		"cases/w_iot_sub_aia_absent.pem", "cases/n_iot_root_san_consistent.pem",
	}
	names := caLintNames()
	if len(names) != 31 {
		t.Fatalf("found %d CA lints, want 31", len(names))
	}
	for _, file := range files {
		for i := range loadCert(t, file).Extensions {
			for _, garbage := range [][]byte{nil, {0x05, 0x00}, {0x30, 0x05, 0x01}} {
				c := loadCert(t, file)
				c.Extensions[i].Value = garbage
				for _, name := range names {
					res := runGarbled(t, name, c)
					if oid, ok := decoders[name]; ok && oid.Equal(c.Extensions[i].Id) && res.Status <= lint.Pass && res.Status != lint.NA {
						t.Errorf("%s on %s with extension %s = %x: %s, want a failure", name, file, c.Extensions[i].Id, garbage, res.Status)
					}
					if res.Status > lint.Pass && res.Details == "" {
						t.Errorf("%s on %s: %s without details", name, file, res.Status)
					}
				}
			}
		}
	}
}

func runGarbled(t *testing.T, name string, c *x509.Certificate) (res *lint.LintResult) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", name, r)
			res = &lint.LintResult{Status: lint.Fatal, Details: "panic"}
		}
	}()
	return runLint(t, name, c, nil)
}

func TestCASANInconsistent(t *testing.T) {
	c := loadCert(t, "tls13-iot/root.pem")
	san := func(names ...asn1.RawValue) {
		value, err := asn1.Marshal(names)
		if err != nil {
			t.Fatal(err)
		}
		c.Extensions = append(c.Extensions[:0:0], c.Extensions...)
		c.Extensions = append(c.Extensions, pkix.Extension{Id: oidExtSubjectAltName, Value: value})
	}
	gn := func(tag int, b []byte) asn1.RawValue {
		return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag, Bytes: b}
	}
	base := c.Extensions
	for _, tc := range []struct {
		names []asn1.RawValue
		want  string
	}{
		{[]asn1.RawValue{gn(tagDNSName, []byte("example iot root ca"))}, ""},
		{[]asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: tagDirectoryName, IsCompound: true, Bytes: c.RawSubject}}, ""},
		{[]asn1.RawValue{gn(tagDNSName, []byte("ca.example.com"))}, `dNSName "ca.example.com"`},
		{[]asn1.RawValue{gn(tagIPAddress, []byte{192, 0, 2, 1})}, "iPAddress 192.0.2.1"},
		{[]asn1.RawValue{gn(tagRegisteredID, []byte{0x2a})}, "registeredID"},
	} {
		c.Extensions = base
		san(tc.names...)
		got, err := caSANInconsistent(c)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ", ") != tc.want {
			t.Errorf("caSANInconsistent = %q, want %q", got, tc.want)
		}
	}
}
