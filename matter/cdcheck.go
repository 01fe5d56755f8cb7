package matter

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Product is the vendor and product ID a device reports in its Basic
// Information cluster.
type Product struct {
	VID, PID uint16
}

// ParseProduct reads "VID:PID" in hexadecimal, as 0xFFF1:0x8000 or
// FFF1:8000.
func ParseProduct(s string) (Product, error) {
	v, p, ok := strings.Cut(s, ":")
	if !ok {
		return Product{}, fmt.Errorf("%q: want VID:PID in hexadecimal, e.g. 0xFFF1:0x8000", s)
	}
	vid, err1 := parseHex16(v)
	pid, err2 := parseHex16(p)
	if err1 != nil || err2 != nil {
		return Product{}, fmt.Errorf("%q: want VID:PID in hexadecimal, e.g. 0xFFF1:0x8000", s)
	}
	return Product{VID: vid, PID: pid}, nil
}

func parseHex16(s string) (uint16, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if s == "" || len(s) > 4 {
		return 0, fmt.Errorf("%q is not a 16-bit hexadecimal number", s)
	}
	v, err := strconv.ParseUint(s, 16, 16)
	return uint16(v), err
}

// id16 returns the 16-bit value of a DN ID (4 hexadecimal digits).
func id16(s string, has bool) (uint16, bool) {
	if !has || len(s) != 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 16)
	return uint16(v), err == nil
}

// CheckContent returns what the SDK's ValidateCertificateDeclarationPayload
// (src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp)
// finds wrong with the CD itself: format_version must be 1 and
// certification_type below 3 (kAttestationElementsMalformed); and what the
// Matter Core Specification §6.3.1 fixes that the SDK's test vectors refuse
// (struct_cd_security_info_wrong): security_level and
// security_information must be 0.
func (cd *CD) CheckContent() []string {
	var out []string
	if cd.FormatVersion != 1 {
		out = append(out, fmt.Sprintf("format_version is %d, not 1 (kAttestationElementsMalformed)", cd.FormatVersion))
	}
	if cd.SecurityLevel != 0 {
		out = append(out, fmt.Sprintf("security_level is %d, not 0 (Matter Core Specification §6.3.1)", cd.SecurityLevel))
	}
	if cd.SecurityInformation != 0 {
		out = append(out, fmt.Sprintf("security_information is %d, not 0 (Matter Core Specification §6.3.1)", cd.SecurityInformation))
	}
	if cd.CertificationType >= 3 {
		out = append(out, fmt.Sprintf("certification_type %d is reserved (kAttestationElementsMalformed)", cd.CertificationType))
	}
	return out
}

// CheckChain returns what ValidateCertificateDeclarationPayload finds wrong
// with a DAC chain under the CD. With dac_origin_vendor_id and
// dac_origin_product_id: the DAC's and the PAI's vendor ID must be the
// former, the DAC's product ID and the PAI's (when it has one) the latter.
// Without them: the DAC's and the PAI's vendor ID must be vendor_id, the
// DAC's product ID and the PAI's (when it has one) in product_id_array.
// With authorized_paa_list, the PAA's subject key ID must be in it
// (paaKeyID nil: the PAA is not known, not checked).
func (cd *CD) CheckChain(dac, pai IDs, paaKeyID []byte) []string {
	var out []string
	dacVID, okDV := id16(dac.VID, dac.HasVID)
	dacPID, okDP := id16(dac.PID, dac.HasPID)
	paiVID, okPV := id16(pai.VID, pai.HasVID)
	paiPID, okPP := id16(pai.PID, pai.HasPID)
	const badVID, badPID = "kCertificationDeclarationInvalidVendorId", "kCertificationDeclarationInvalidProductId"
	if cd.HasDACOrigin {
		if !okDV || dacVID != cd.DACOriginVID {
			out = append(out, fmt.Sprintf("the DAC's vendor ID %q is not the CD's dac_origin_vendor_id %04X (%s)", dac.VID, cd.DACOriginVID, badVID))
		}
		if !okPV || paiVID != cd.DACOriginVID {
			out = append(out, fmt.Sprintf("the PAI's vendor ID %q is not the CD's dac_origin_vendor_id %04X (%s)", pai.VID, cd.DACOriginVID, badVID))
		}
		if !okDP || dacPID != cd.DACOriginPID {
			out = append(out, fmt.Sprintf("the DAC's product ID %q is not the CD's dac_origin_product_id %04X (%s)", dac.PID, cd.DACOriginPID, badPID))
		}
		if pai.HasPID && (!okPP || paiPID != cd.DACOriginPID) {
			out = append(out, fmt.Sprintf("the PAI's product ID %q is not the CD's dac_origin_product_id %04X (%s)", pai.PID, cd.DACOriginPID, badPID))
		}
	} else {
		if !okDV || dacVID != cd.VendorID {
			out = append(out, fmt.Sprintf("the DAC's vendor ID %q is not the CD's vendor_id %04X (%s)", dac.VID, cd.VendorID, badVID))
		}
		if !okPV || paiVID != cd.VendorID {
			out = append(out, fmt.Sprintf("the PAI's vendor ID %q is not the CD's vendor_id %04X (%s)", pai.VID, cd.VendorID, badVID))
		}
		if !okDP || !cd.HasProduct(dacPID) {
			out = append(out, fmt.Sprintf("the DAC's product ID %q is not in the CD's product_id_array %s (%s)", dac.PID, hexList(cd.ProductIDs), badPID))
		}
		if pai.HasPID && (!okPP || !cd.HasProduct(paiPID)) {
			out = append(out, fmt.Sprintf("the PAI's product ID %q is not in the CD's product_id_array %s (%s)", pai.PID, hexList(cd.ProductIDs), badPID))
		}
	}
	if cd.HasAuthorizedPAAs && paaKeyID != nil {
		found := false
		for _, k := range cd.AuthorizedPAAs {
			found = found || bytes.Equal(k, paaKeyID)
		}
		if !found {
			out = append(out, fmt.Sprintf("the PAA's subject key ID %X is not in the CD's authorized_paa_list (kCertificationDeclarationInvalidPAA)", paaKeyID))
		}
	}
	return out
}

// CheckProduct returns what ValidateCertificateDeclarationPayload finds
// wrong with the Basic Information vendor and product ID p: the CD's
// vendor_id must be p.VID, and p.PID must be in its product_id_array.
func (cd *CD) CheckProduct(p Product) []string {
	var out []string
	if p.VID != cd.VendorID {
		out = append(out, fmt.Sprintf("the Basic Information vendor ID %04X is not the CD's vendor_id %04X (kCertificationDeclarationInvalidVendorId)", p.VID, cd.VendorID))
	}
	if !cd.HasProduct(p.PID) {
		out = append(out, fmt.Sprintf("the Basic Information product ID %04X is not in the CD's product_id_array %s (kCertificationDeclarationInvalidProductId)", p.PID, hexList(cd.ProductIDs)))
	}
	return out
}

// SDKTestCDSigningKeyID is the subject key ID of the SDK's test CD signing
// certificate (credentials/test/certification-declaration/Chip-Test-CD-Signing-Cert.pem
// in connectedhomeip; gTestCdPubkeyKid in
// src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp),
// the one key CsaCdKeysTrustStore::IsCdTestKey calls a test key.
var SDKTestCDSigningKeyID = []byte{
	0x62, 0xfa, 0x82, 0x33, 0x59, 0xac, 0xfa, 0xa9, 0x96, 0x3e,
	0x1c, 0xfa, 0x14, 0x0a, 0xdd, 0xf5, 0x04, 0xf3, 0x71, 0x60,
}

// Values of certification_type (Matter Core Specification §6.3.1).
const (
	CertificationDevelopmentAndTest = 0
	CertificationProvisional        = 1
	CertificationOfficial           = 2
)

// SignedByTestKey reports whether s is signed with the SDK's test CD
// signing key: its signer's key ID is SDKTestCDSigningKeyID.
func (s *SignedCD) SignedByTestKey() bool {
	return bytes.Equal(s.SignerKeyID, SDKTestCDSigningKeyID)
}

// CheckTestKey returns what the SDK's ValidateCertificationDeclarationSignature
// refuses about a CD signed with its test key (SignedByTestKey): any
// certification_type other than development_and_test (0) and provisional
// (1) is refused with kCertificationDeclarationNoCertificateFound, so an
// official CD (2) must be signed with a CSA CD signing key. Provisional CDs
// signed with the test key are allowed while the SDK's
// kEnableCdTestKeysForProvisionalCds is set (as it is by default); see
// CheckTestKeyProvisional.
func (s *SignedCD) CheckTestKey() []string {
	if !s.SignedByTestKey() || s.CD.CertificationType == CertificationDevelopmentAndTest || s.CD.CertificationType == CertificationProvisional {
		return nil
	}
	return []string{fmt.Sprintf("certification_type %d (%s) but signed with the SDK's test CD signing key %X: only development_and_test CDs may be (kCertificationDeclarationNoCertificateFound)",
		s.CD.CertificationType, certificationTypeName(s.CD.CertificationType), s.SignerKeyID)}
}

// CheckTestKeyProvisional returns a message when s is a provisional CD
// signed with the SDK's test key: the SDK accepts it today
// (kEnableCdTestKeysForProvisionalCds) and means to refuse it after a
// notice period (connectedhomeip issue 42460).
func (s *SignedCD) CheckTestKeyProvisional() []string {
	if !s.SignedByTestKey() || s.CD.CertificationType != CertificationProvisional {
		return nil
	}
	return []string{fmt.Sprintf("a provisional CD signed with the SDK's test CD signing key %X: accepted by the SDK only while kEnableCdTestKeysForProvisionalCds is set", s.SignerKeyID)}
}

func certificationTypeName(t uint8) string {
	switch t {
	case CertificationDevelopmentAndTest:
		return "development_and_test"
	case CertificationProvisional:
		return "provisional"
	case CertificationOfficial:
		return "official"
	}
	return "reserved"
}

func hexList(ids []uint16) string {
	s := make([]string, len(ids))
	for i, v := range ids {
		s[i] = fmt.Sprintf("%04X", v)
	}
	return "[" + strings.Join(s, " ") + "]"
}
