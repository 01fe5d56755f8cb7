package c509

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// makeCert signs tmpl with a fresh P-256 key (self-signed) or, when
// tmpl.Subject differs from issuer, with a separate issuer.
func makeCert(t *testing.T, tmpl *x509.Certificate, pub any) []byte {
	t.Helper()
	issuerKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	issuer := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"},
		NotBefore: tmpl.NotBefore, NotAfter: tmpl.NotAfter, SubjectKeyId: []byte{1, 2, 3, 4},
		BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, pub, issuerKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func baseTemplate() *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(0x1234),
		Subject:      pkix.Name{CommonName: "device 1"},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2051, 1, 1, 0, 0, 0, 0, time.UTC), // GeneralizedTime
	}
}

// items decodes a C509Certificate into its eleven elements in diagnostic
// notation.
func items(t *testing.T, c []byte) []string {
	t.Helper()
	var arr []cbor.RawMessage
	if err := cbor.Unmarshal(c, &arr); err != nil || len(arr) != 11 {
		t.Fatalf("not an 11-element array: %v", err)
	}
	out := make([]string, len(arr))
	for i, raw := range arr {
		d, err := cbor.Diagnose(raw)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = d
	}
	return out
}

// TestEncodeExtensionForms checks the encodings the draft's examples do
// not show: an unregistered extension, critical and not (OID and value,
// the critical one wrapped in an array), a subjectAltName with a URI and an
// IP address (an array of pairs), a single EKU (no array), a CA
// basicConstraints with a pathLen, an AKI with a key identifier only, a
// keyUsage that is not the only extension (in the array), a
// GeneralizedTime from 2050, an Ed25519 key and names in PrintableString
// (a negative attribute type, so not the bare text of a UTF8String
// commonName).
func TestEncodeExtensionForms(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := baseTemplate()
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign
	tmpl.BasicConstraintsValid, tmpl.IsCA, tmpl.MaxPathLenZero = true, true, true
	tmpl.SubjectKeyId = []byte{9, 9}
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	u, _ := url.Parse("bacnet://1234")
	tmpl.URIs = []*url.URL{u}
	tmpl.IPAddresses = []net.IP{net.IPv4(192, 0, 2, 1).To4()}
	tmpl.ExtraExtensions = []pkix.Extension{
		{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}},
		{Id: asn1.ObjectIdentifier{1, 2, 3, 5}, Value: []byte{4, 1, 7}},
	}
	der := makeCert(t, tmpl, pub)
	c, err := Encode(der)
	if err != nil {
		t.Fatal(err)
	}
	got := items(t, c)
	if got[5] != "2556144000" || got[7] != "12" || got[1] != "h'1234'" || got[3] != `[-1, "Test CA"]` || got[6] != `[-1, "device 1"]` {
		t.Errorf("notAfter %s, key algorithm %s, serial %s, issuer %s, subject %s", got[5], got[7], got[1], got[3], got[6])
	}
	const wantExts = `[-2, 33, 8, 2, -4, 0, 1, h'0909', 7, h'01020304', 3, [7, h'c0000201', 6, "bacnet://1234"], h'2a0304', [h'0500'], h'2a0305', h'040107']`
	if got[9] != wantExts {
		t.Errorf("extensions\n got %s\nwant %s", got[9], wantExts)
	}
	if back, err := Decode(c); err != nil || string(back) != string(der) {
		t.Errorf("Decode: %v", err)
	}
}

// TestEncodeRefusals checks refusals the generated certificates do not
// show, each with its reason.
func TestEncodeRefusals(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	bmp := baseTemplate()
	bmp.Subject.ExtraNames = []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 10}, Value: asn1.RawValue{Tag: 30, Bytes: []byte{0, 'A'}}}}
	for _, tc := range []struct {
		name string
		tmpl *x509.Certificate
		want string
	}{
		{"BMPString", bmp, "c509: cannot represent subject: an attribute in a BMPString, which C509 does not support"},
	} {
		_, err := Encode(makeCert(t, tc.tmpl, &key.PublicKey))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestDecodeErrors checks that garbage is located: the field and the
// byte offset, and that a type 2 certificate is refused.
func TestDecodeErrors(t *testing.T) {
	// pad completes a C509Certificate of which the first n items are
	// given with null items, so that the field at fault is the one tested.
	pad := func(n int, b ...byte) []byte {
		for ; n < 11; n++ {
			b = append(b, 0xf6)
		}
		return b
	}
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{nil, "c509: malformed C509Certificate at byte 0: empty input"},
		{[]byte{0x83, 3}, "c509: malformed C509Certificate at byte 0: an array header 0x83, want 0x8b (11 elements)"},
		{[]byte{0x8b, 3, 0x41}, "c509: malformed certificateSerialNumber at byte 2: unexpected EOF"},
		{[]byte{0x8b, 3, 0x40}, "c509: malformed issuerSignatureAlgorithm at byte 3: missing: the input ends"},
		{pad(3, 0x8b, 3, 0x40, 0x19, 0x01, 0x00), "c509: malformed issuerSignatureAlgorithm at byte 3: algorithm 256 is not registered"},
		{pad(1, 0x8b, 7), "c509: malformed c509CertificateType at byte 1: type 7, want 3 (CBOR re-encoded X.509 v3)"},
		{pad(1, 0x8b, 2), "c509: cannot represent c509CertificateType: a natively signed C509 certificate (type 2) has no DER form"},
		{append(pad(1, 0x8b, 3), 0), "c509: malformed C509Certificate at byte 12: 1 bytes after the last element"},
	} {
		_, err := Decode(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Decode(% x) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestEncodeNameConstraints checks nameConstraints: GeneralSubtrees as
// (type, value) pairs, an iPAddress subtree as address and prefix length
// (192.0.2.0/24 is C0 00 02 00 18, the draft's own example), null for an
// absent list; a non-contiguous mask falls back to the OID form.
func TestEncodeNameConstraints(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := baseTemplate()
	tmpl.BasicConstraintsValid, tmpl.IsCA = true, true
	tmpl.SubjectKeyId = []byte{9}
	tmpl.PermittedDNSDomains = []string{"example.com", ".iot.example"}
	_, v4, _ := net.ParseCIDR("192.0.2.0/24")
	_, v6, _ := net.ParseCIDR("2001:db8::/32")
	tmpl.ExcludedIPRanges = []*net.IPNet{v4, v6}
	der := makeCert(t, tmpl, &key.PublicKey)
	c, err := Encode(der)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[-4, -1, 1, h'09', 7, h'01020304', 26, [[2, "example.com", 2, ".iot.example"], [7, h'c000020018', 7, h'20010db800000000000000000000000020']]]`
	if got := items(t, c)[9]; got != want {
		t.Errorf("extensions\n got %s\nwant %s", got, want)
	}
	tmpl.PermittedDNSDomains = nil
	tmpl.ExcludedIPRanges = []*net.IPNet{{IP: net.IPv4(10, 0, 0, 0).To4(), Mask: net.IPMask{255, 0, 255, 0}}}
	c, err = Encode(makeCert(t, tmpl, &key.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	const wantGeneric = `[-4, -1, 1, h'09', 7, h'01020304', h'551d1e', h'300ea10c300a87080a000000ff00ff00']`
	if got := items(t, c)[9]; got != wantGeneric {
		t.Errorf("non-contiguous mask\n got %s\nwant %s", got, wantGeneric)
	}
	tmpl.ExcludedIPRanges = []*net.IPNet{{IP: net.IPv4(10, 0, 0, 0).To4(), Mask: net.CIDRMask(8, 32)}}
	der = makeCert(t, tmpl, &key.PublicKey)
	if c, err = Encode(der); err != nil {
		t.Fatal(err)
	}
	const wantExcludedOnly = `[-4, -1, 1, h'09', 7, h'01020304', 26, [null, [7, h'0a00000008']]]`
	if got := items(t, c)[9]; got != wantExcludedOnly {
		t.Errorf("excluded only\n got %s\nwant %s", got, wantExcludedOnly)
	}
	if back, err := Decode(c); err != nil || string(back) != string(der) {
		t.Errorf("Decode: %v", err)
	}
}

// TestEncodeASIdentifiers checks AS Identifiers: ASIds as differences from
// the one before (range bounds included), inherit as null, and an rdi
// (which has no specific encoding) in the OID form.
func TestEncodeASIdentifiers(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	asIDs := func(asnum, rdi func(b *cryptobyte.Builder)) []byte {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), asnum)
			if rdi != nil {
				b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), rdi)
			}
		})
		return b.BytesOrPanic()
	}
	ids := func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Uint64(64496)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Uint64(64500)
				b.AddASN1Uint64(64511)
			})
			b.AddASN1Uint64(65536)
		})
	}
	inherit := func(b *cryptobyte.Builder) { b.AddASN1NULL() }
	for _, tc := range []struct {
		value []byte
		want  string
	}{
		{asIDs(ids, nil), `[7, h'01020304', 33, [64496, [4, 11], 1025]]`},
		{asIDs(inherit, nil), `[7, h'01020304', 33, null]`},
		{asIDs(ids, inherit), `[7, h'01020304', h'2b06010505070108', h'301ea0183016020300fbf0300a020300fbf4020300fbff0203010000a1020500']`},
	} {
		tmpl := baseTemplate()
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 8}, Value: tc.value}}
		der := makeCert(t, tmpl, &key.PublicKey)
		c, err := Encode(der)
		if err != nil {
			t.Fatal(err)
		}
		// Go adds an authorityKeyIdentifier first.
		if got := items(t, c)[9]; got != tc.want {
			t.Errorf("extensions\n got %s\nwant %s", got, tc.want)
		}
		if back, err := Decode(c); err != nil || string(back) != string(der) {
			t.Errorf("Decode: %v", err)
		}
	}
}

// TestEncodeSubjectDirectoryAttributes checks subjectDirectoryAttributes:
// a registered attribute as its integer and its values as text, an
// unregistered one as its OID and the DER of each value.
func TestEncodeSubjectDirectoryAttributes(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{2, 5, 4, 12}) // title
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte("engineer")) })
			})
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 9, 4}) // countryOfCitizenship
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.Tag(19), func(b *cryptobyte.Builder) { b.AddBytes([]byte("DE")) })
				b.AddASN1(cbasn1.Tag(19), func(b *cryptobyte.Builder) { b.AddBytes([]byte("FR")) })
			})
		})
	})
	tmpl := baseTemplate()
	tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 9}, Value: b.BytesOrPanic()}}
	der := makeCert(t, tmpl, &key.PublicKey)
	c, err := Encode(der)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[7, h'01020304', 24, [10, ["engineer"], h'2b06010505070904', [h'13024445', h'13024652']]]`
	if got := items(t, c)[9]; got != want {
		t.Errorf("extensions\n got %s\nwant %s", got, want)
	}
	if back, err := Decode(c); err != nil || string(back) != string(der) {
		t.Errorf("Decode: %v", err)
	}
}

// TestEd25519KeyLikeACompressedMarker: an Ed25519 key is its 32 bytes in
// C509 whatever its first byte; 0xfe and 0xfd mark compressed points only
// for EC algorithms. A key starting with either (1 key in 128) was taken
// for a compressed point and the certificate refused. Keys with each first
// byte are searched for, so the test does not depend on chance; the
// certificate round-trips, and its natively signed form keeps the key and
// verifies.
func TestEd25519KeyLikeACompressedMarker(t *testing.T) {
	for _, first := range []byte{0xfe, 0xfd, 0x02, 0x04} {
		var pub ed25519.PublicKey
		for pub == nil || pub[0] != first {
			var err error
			if pub, _, err = ed25519.GenerateKey(rand.Reader); err != nil {
				t.Fatal(err)
			}
		}
		der := makeCert(t, baseTemplate(), pub)
		c, err := Encode(der)
		if err != nil {
			t.Fatalf("key starting 0x%02x: %v", first, err)
		}
		if got := items(t, c)[8]; got != fmt.Sprintf("h'%x'", []byte(pub)) {
			t.Errorf("key starting 0x%02x: subjectPublicKey %s", first, got)
		}
		if back, err := Decode(c); err != nil || !bytes.Equal(back, der) {
			t.Errorf("key starting 0x%02x: Decode: %v", first, err)
		}
		issuerKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		native, err := SignNative(der, issuerKey)
		if err != nil {
			t.Fatalf("key starting 0x%02x: SignNative: %v", first, err)
		}
		if got := items(t, native)[8]; got != fmt.Sprintf("h'%x'", []byte(pub)) {
			t.Errorf("key starting 0x%02x: native subjectPublicKey %s", first, got)
		}
		if err := VerifyNative(native, &issuerKey.PublicKey); err != nil {
			t.Errorf("key starting 0x%02x: VerifyNative: %v", first, err)
		}
		if err := MatchesX509(native, der); err != nil {
			t.Errorf("key starting 0x%02x: MatchesX509: %v", first, err)
		}
	}
}
