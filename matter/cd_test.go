package matter_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	zx509 "github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/matter"
)

// signedCD signs cd with a new CD signing certificate and returns the CMS
// DER and that certificate.
func signedCD(t *testing.T, cd *certgen.MatterCD) ([]byte, *zx509.Certificate) {
	t.Helper()
	signer, err := certgen.Issue(certgen.MatterCDSignerTemplate())
	if err != nil {
		t.Fatal(err)
	}
	der, err := certgen.SignMatterCD(cd.TLV(), signer.Key, signer.Cert.SubjectKeyId)
	if err != nil {
		t.Fatal(err)
	}
	c, err := zx509.ParseCertificate(signer.DER())
	if err != nil {
		t.Fatal(err)
	}
	return der, c
}

func TestParseAndVerifySignedCD(t *testing.T) {
	tmpl := certgen.MatterCDTemplate()
	tmpl.ProductIDs = []uint16{0x8000, 0x8001}
	tmpl.DACOrigin = &[2]uint16{0xFFF2, 0x8002}
	tmpl.AuthorizedPAAs = [][]byte{make([]byte, 20)}
	der, signer := signedCD(t, tmpl)
	s, err := matter.ParseSignedCD(der)
	if err != nil {
		t.Fatal(err)
	}
	cd := s.CD
	if cd.FormatVersion != 1 || cd.VendorID != 0xFFF1 || len(cd.ProductIDs) != 2 || cd.ProductIDs[1] != 0x8001 ||
		cd.DeviceTypeID != 0x16 || cd.CertificateID != "ZIG20141ZB330001-24" || cd.VersionNumber != 1 ||
		!cd.HasDACOrigin || cd.DACOriginVID != 0xFFF2 || cd.DACOriginPID != 0x8002 ||
		!cd.HasAuthorizedPAAs || len(cd.AuthorizedPAAs) != 1 || len(cd.AuthorizedPAAs[0]) != 20 {
		t.Errorf("decoded %+v", cd)
	}
	if err := s.Verify([]*zx509.Certificate{signer}); err != nil {
		t.Errorf("Verify: %v", err)
	}
	_, other := signedCD(t, tmpl)
	if err := s.Verify([]*zx509.Certificate{other}); err == nil || !strings.HasPrefix(err.Error(), "no CD signing certificate has the signer's key ID ") {
		t.Errorf("Verify with another signer: %v", err)
	}
	s.Content[len(s.Content)-2] ^= 1
	if err := s.Verify([]*zx509.Certificate{signer}); err == nil || err.Error() != `the signature does not verify with the CD signing certificate "CN=Example Matter CD Signing Authority"` {
		t.Errorf("Verify of altered content: %v", err)
	}
}

func TestParseSignedCDErrors(t *testing.T) {
	good := certgen.MatterCDTemplate().TLV()
	key := certgen.NewKey("P-256")
	cms := func(content []byte) []byte {
		der, err := certgen.SignMatterCD(content, key, make([]byte, 20))
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	for _, tc := range []struct {
		name string
		der  []byte
		want string
	}{
		{"not CMS", []byte{0x04, 0x00}, "certification declaration: not a CMS ContentInfo: "},
		{"trailing data", append(cms(good), 0), "certification declaration: trailing data after the CMS ContentInfo"},
		{"truncated TLV", cms(good[:len(good)-1]), "certification declaration content: TLV truncated at byte " + strconv.Itoa(len(good)-1)},
		{"no vendor_id", cms(append([]byte{0x15, 0x24, 0x00, 0x01}, good[8:]...)), "certification declaration content: vendor_id (tag 1) is missing"},
		{"vendor_id as 4 octets", cms(append([]byte{0x15, 0x24, 0x00, 0x01, 0x26, 0x01, 0xf1, 0xff, 0xff, 0xff}, good[8:]...)), "certification declaration content: field 1: want an unsigned integer up to 65535"},
		{"empty product_id_array", cms(emptyProducts(t)), "certification declaration content: product_id_array is empty"},
	} {
		_, err := matter.ParseSignedCD(tc.der)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func emptyProducts(t *testing.T) []byte {
	t.Helper()
	cd := certgen.MatterCDTemplate()
	cd.ProductIDs = []uint16{}
	return cd.TLV()
}

func ids(vid, pid string) matter.IDs {
	return matter.IDs{VID: vid, PID: pid, HasVID: vid != "", HasPID: pid != ""}
}

func TestCDCheckChain(t *testing.T) {
	paa := make([]byte, 20)
	paa[0] = 1
	base := func() *matter.CD {
		return &matter.CD{FormatVersion: 1, VendorID: 0xFFF1, ProductIDs: []uint16{0x8000, 0x8001}}
	}
	for _, tc := range []struct {
		name     string
		cd       func() *matter.CD
		dac, pai matter.IDs
		want     []string
	}{
		{"conforming", base, ids("FFF1", "8000"), ids("FFF1", ""), nil},
		{"DAC VID", base, ids("FFF2", "8000"), ids("FFF1", ""), []string{`the DAC's vendor ID "FFF2" is not the CD's vendor_id FFF1 (kCertificationDeclarationInvalidVendorId)`}},
		{"PAI VID", base, ids("FFF1", "8000"), ids("FFF2", ""), []string{`the PAI's vendor ID "FFF2" is not the CD's vendor_id FFF1 (kCertificationDeclarationInvalidVendorId)`}},
		{"DAC PID", base, ids("FFF1", "8002"), ids("FFF1", ""), []string{`the DAC's product ID "8002" is not in the CD's product_id_array [8000 8001] (kCertificationDeclarationInvalidProductId)`}},
		{"PAI PID", base, ids("FFF1", "8000"), ids("FFF1", "8003"), []string{`the PAI's product ID "8003" is not in the CD's product_id_array [8000 8001] (kCertificationDeclarationInvalidProductId)`}},
		{"DAC origin", func() *matter.CD {
			cd := base()
			cd.HasDACOrigin, cd.DACOriginVID, cd.DACOriginPID = true, 0xFFF2, 0x8005
			return cd
		}, ids("FFF2", "8005"), ids("FFF2", ""), nil},
		{"DAC origin mismatch", func() *matter.CD {
			cd := base()
			cd.HasDACOrigin, cd.DACOriginVID, cd.DACOriginPID = true, 0xFFF2, 0x8005
			return cd
		}, ids("FFF1", "8000"), ids("FFF1", "8000"), []string{
			`the DAC's vendor ID "FFF1" is not the CD's dac_origin_vendor_id FFF2 (kCertificationDeclarationInvalidVendorId)`,
			`the PAI's vendor ID "FFF1" is not the CD's dac_origin_vendor_id FFF2 (kCertificationDeclarationInvalidVendorId)`,
			`the DAC's product ID "8000" is not the CD's dac_origin_product_id 8005 (kCertificationDeclarationInvalidProductId)`,
			`the PAI's product ID "8000" is not the CD's dac_origin_product_id 8005 (kCertificationDeclarationInvalidProductId)`}},
		{"authorized PAA", func() *matter.CD {
			cd := base()
			cd.HasAuthorizedPAAs, cd.AuthorizedPAAs = true, [][]byte{paa}
			return cd
		}, ids("FFF1", "8000"), ids("FFF1", ""), nil},
		{"PAA not authorized", func() *matter.CD {
			cd := base()
			cd.HasAuthorizedPAAs, cd.AuthorizedPAAs = true, [][]byte{make([]byte, 20)}
			return cd
		}, ids("FFF1", "8000"), ids("FFF1", ""), []string{"the PAA's subject key ID 0100000000000000000000000000000000000000 is not in the CD's authorized_paa_list (kCertificationDeclarationInvalidPAA)"}},
	} {
		got := tc.cd().CheckChain(tc.dac, tc.pai, paa)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestCDCheckProductAndContent(t *testing.T) {
	cd := &matter.CD{FormatVersion: 1, VendorID: 0xFFF1, ProductIDs: []uint16{0x8000}}
	p, err := matter.ParseProduct("0xFFF1:0x8000")
	if err != nil || p != (matter.Product{VID: 0xFFF1, PID: 0x8000}) {
		t.Fatalf("ParseProduct: %v, %v", p, err)
	}
	if got := cd.CheckProduct(p); got != nil {
		t.Errorf("conforming: %q", got)
	}
	want := []string{
		"the Basic Information vendor ID FFF2 is not the CD's vendor_id FFF1 (kCertificationDeclarationInvalidVendorId)",
		"the Basic Information product ID 8001 is not in the CD's product_id_array [8000] (kCertificationDeclarationInvalidProductId)",
	}
	if got := cd.CheckProduct(matter.Product{VID: 0xFFF2, PID: 0x8001}); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("mismatch: %q", got)
	}
	for _, bad := range []string{"FFF1", "0xFFF1:", "0x1FFF1:8000", "G:1"} {
		if _, err := matter.ParseProduct(bad); err == nil {
			t.Errorf("ParseProduct(%q) accepted", bad)
		}
	}
	cd.FormatVersion, cd.CertificationType, cd.SecurityLevel, cd.SecurityInformation = 2, 3, 1, 2
	want = []string{"format_version is 2, not 1 (kAttestationElementsMalformed)",
		"security_level is 1, not 0 (Matter Core Specification §6.3.1)",
		"security_information is 2, not 0 (Matter Core Specification §6.3.1)",
		"certification_type 3 is reserved (kAttestationElementsMalformed)"}
	if got := cd.CheckContent(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("content: %q", got)
	}
}

// TestParseSignedCDAsTheSDK checks what the SDK's own test CDs need: a
// signed integer where the CD has an unsigned one (TLVReader::Get takes
// both), version_number required (DecodeCertificationElements reads it;
// struct_cd_version_number_missing fails),
// and a signer naming another digest or signature algorithm refused
// (struct_cd_signer_info_digest_algo_sha1, struct_cd_cms_sig_algo_ecdsa_with_sha1).
func TestParseSignedCDAsTheSDK(t *testing.T) {
	good := certgen.MatterCDTemplate().TLV()
	if !bytes.HasPrefix(good, []byte{0x15, 0x24, 0x00, 0x01}) {
		t.Fatalf("the template's CD starts % x, want format_version as an unsigned integer", good[:4])
	}
	key := certgen.NewKey("P-256")
	cms := func(content []byte) []byte {
		der, err := certgen.SignMatterCD(content, key, make([]byte, 20))
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	signed := append([]byte{0x15, 0x20, 0x00, 0x01}, good[4:]...)
	if s, err := matter.ParseSignedCD(cms(signed)); err != nil || s.CD.FormatVersion != 1 {
		t.Errorf("format_version as a signed integer: %+v, %v", s, err)
	}
	negative := append([]byte{0x15, 0x20, 0x00, 0xFF}, good[4:]...)
	if _, err := matter.ParseSignedCD(cms(negative)); err == nil || !strings.Contains(err.Error(), "field 0: want an unsigned integer") {
		t.Errorf("format_version -1: %v", err)
	}
	i := bytes.Index(good, []byte{0x24, 0x07})
	if i < 0 {
		t.Fatal("no version_number in the template's CD")
	}
	noVersion := append(append([]byte{}, good[:i]...), good[i+3:]...)
	if _, err := matter.ParseSignedCD(cms(noVersion)); err == nil || err.Error() != "certification declaration content: version_number (tag 7) is missing" {
		t.Errorf("no version_number: %v", err)
	}
	sha256OID := []byte{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}
	ecdsaSHA256OID := []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}
	for _, tc := range []struct {
		name      string
		old, new_ []byte
		want      string
	}{
		{"SHA-512 digest", sha256OID, append(bytes.Clone(sha256OID[:10]), 0x03), "certification declaration: the signer's digest algorithm is not SHA-256"},
		{"ecdsa-with-SHA384", ecdsaSHA256OID, append(bytes.Clone(ecdsaSHA256OID[:9]), 0x03), "certification declaration: the signer's signature algorithm is not ecdsa-with-SHA256"},
		// The SignerInfo's version is the last "INTEGER 3" (the SignedData's
		// is the first).
		{"SignerInfo v2", []byte{0x02, 0x01, 0x03}, []byte{0x02, 0x01, 0x02}, "certification declaration: SignerInfo version 2, want 3"},
	} {
		der := cms(good)
		j := bytes.LastIndex(der, tc.old)
		if j < 0 {
			t.Fatalf("%s: algorithm not found in the CMS", tc.name)
		}
		copy(der[j:], tc.new_)
		if _, err := matter.ParseSignedCD(der); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestParseSignedCDEnvelopeAsTheSDK: CMS_Verify takes SignedData version 3
// only and a first digestAlgorithms entry of SHA-256 only
// (struct_cd_cms_v2, struct_cd_cms_digest_algo_sha1), and
// DecodeCertificationElements a 19-character certificate_id only
// (struct_cd_cert_id_len_wrong); the template's CD passes all three.
func TestParseSignedCDEnvelopeAsTheSDK(t *testing.T) {
	key := certgen.NewKey("P-256")
	cms := func(cd *certgen.MatterCD) []byte {
		der, err := certgen.SignMatterCD(cd.TLV(), key, make([]byte, 20))
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	good := cms(certgen.MatterCDTemplate())
	if _, err := matter.ParseSignedCD(good); err != nil {
		t.Fatalf("the template's CD: %v", err)
	}
	edit := func(old, new_ []byte, first bool) []byte {
		der := bytes.Clone(good)
		j := bytes.Index(der, old)
		if !first {
			j = bytes.LastIndex(der, old)
		}
		if j < 0 {
			t.Fatalf("% x not found in the CMS", old)
		}
		copy(der[j:], new_)
		return der
	}
	longID := certgen.MatterCDTemplate()
	longID.CertificateID = "ZIG20141ZB330001-241234"
	for _, tc := range []struct {
		name string
		der  []byte
		want string
	}{
		{"SignedData v2", edit([]byte{0x02, 0x01, 0x03}, []byte{0x02, 0x01, 0x02}, true), "certification declaration: SignedData version 2, want 3"},
		{"SHA-512 in digestAlgorithms", edit([]byte{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, []byte{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}, true), "certification declaration: the SignedData's digestAlgorithms is not SHA-256"},
		{"certificate_id of 23 characters", cms(longID), `certification declaration content: certificate_id "ZIG20141ZB330001-241234": 23 characters, want 19`},
	} {
		if _, err := matter.ParseSignedCD(tc.der); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
