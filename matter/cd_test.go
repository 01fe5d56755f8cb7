package matter_test

import (
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
	cd.FormatVersion, cd.CertificationType = 2, 3
	want = []string{"format_version is 2, not 1 (kAttestationElementsMalformed)", "certification_type 3 is reserved (kAttestationElementsMalformed)"}
	if got := cd.CheckContent(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("content: %q", got)
	}
}
