package certgen

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"fmt"
)

// MatterCD is the content of a Matter Certification Declaration (CSA Matter
// Core Specification §6.3.1) to encode as TLV.
type MatterCD struct {
	FormatVersion       uint16
	VendorID            uint16
	ProductIDs          []uint16
	DeviceTypeID        uint32
	CertificateID       string
	SecurityLevel       uint8
	SecurityInformation uint16
	VersionNumber       uint16
	CertificationType   uint8
	// DACOrigin, when not nil, is dac_origin_vendor_id and
	// dac_origin_product_id.
	DACOrigin *[2]uint16
	// AuthorizedPAAs, when not nil, is authorized_paa_list.
	AuthorizedPAAs [][]byte
}

// MatterCDTemplate is the CD of the conforming Matter chain: vendor FFF1,
// product 8000, a development and test certification.
func MatterCDTemplate() *MatterCD {
	return &MatterCD{FormatVersion: 1, VendorID: 0xFFF1, ProductIDs: []uint16{0x8000}, DeviceTypeID: 0x0016,
		CertificateID: "ZIG20141ZB330001-24", VersionNumber: 1}
}

// tlvUint appends a context-tagged unsigned integer in the fewest octets,
// as the SDK's TLVWriter does.
func tlvUint(b []byte, tag int, v uint64) []byte {
	ctl, n := byte(0x04), 1
	switch {
	case v > 0xFFFFFFFF:
		ctl, n = 0x07, 8
	case v > 0xFFFF:
		ctl, n = 0x06, 4
	case v > 0xFF:
		ctl, n = 0x05, 2
	}
	if tag >= 0 {
		b = append(b, 0x20|ctl, byte(tag))
	} else {
		b = append(b, ctl)
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], v)
	return append(b, buf[:n]...)
}

// tlvString appends a string (utf8) or octet string with a 1-octet length
// (anonymous when tag < 0).
func tlvString(b []byte, tag int, s []byte, utf8 bool) []byte {
	ctl := byte(0x10)
	if utf8 {
		ctl = 0x0C
	}
	if tag >= 0 {
		b = append(b, 0x20|ctl, byte(tag))
	} else {
		b = append(b, ctl)
	}
	return append(append(b, byte(len(s))), s...)
}

// TLV encodes the CD as the SDK's EncodeCertificationElements does.
func (cd *MatterCD) TLV() []byte {
	b := []byte{0x15}
	b = tlvUint(b, 0, uint64(cd.FormatVersion))
	b = tlvUint(b, 1, uint64(cd.VendorID))
	b = append(b, 0x36, 0x02)
	for _, p := range cd.ProductIDs {
		b = tlvUint(b, -1, uint64(p))
	}
	b = append(b, 0x18)
	b = tlvUint(b, 3, uint64(cd.DeviceTypeID))
	b = tlvString(b, 4, []byte(cd.CertificateID), true)
	b = tlvUint(b, 5, uint64(cd.SecurityLevel))
	b = tlvUint(b, 6, uint64(cd.SecurityInformation))
	b = tlvUint(b, 7, uint64(cd.VersionNumber))
	b = tlvUint(b, 8, uint64(cd.CertificationType))
	if cd.DACOrigin != nil {
		b = tlvUint(b, 9, uint64(cd.DACOrigin[0]))
		b = tlvUint(b, 10, uint64(cd.DACOrigin[1]))
	}
	if cd.AuthorizedPAAs != nil {
		b = append(b, 0x36, 0x0B)
		for _, k := range cd.AuthorizedPAAs {
			b = tlvString(b, -1, k, false)
		}
		b = append(b, 0x18)
	}
	return append(b, 0x18)
}

var (
	oidCMSSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidCMSData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSASHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

// SignMatterCD wraps content in a CMS SignedData signed by key, whose
// signer is named by keyID (its subjectKeyIdentifier), as the SDK's
// CMS_Sign does: version 3, SHA-256, no signed attributes, ECDSA with
// SHA-256 over the content.
func SignMatterCD(content []byte, key crypto.Signer, keyID []byte) ([]byte, error) {
	sum := sha256.Sum256(content)
	sig, err := key.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing the CD: %w", err)
	}
	return EncodeMatterCMS(content, keyID, sig)
}

// EncodeMatterCMS encodes the CMS SignedData of a CD with the given
// signature, valid or not.
func EncodeMatterCMS(content, keyID, sig []byte) ([]byte, error) {
	sha := pkix.AlgorithmIdentifier{Algorithm: oidSHA256}
	type encap struct {
		Type    asn1.ObjectIdentifier
		Content []byte `asn1:"explicit,tag:0"`
	}
	type signerInfo struct {
		Version   int
		SID       []byte `asn1:"tag:0"`
		Digest    pkix.AlgorithmIdentifier
		SigAlg    pkix.AlgorithmIdentifier
		Signature []byte
	}
	type signedData struct {
		Version int
		Digests []pkix.AlgorithmIdentifier `asn1:"set"`
		Encap   encap
		Signers []signerInfo `asn1:"set"`
	}
	sd, err := asn1.Marshal(signedData{Version: 3, Digests: []pkix.AlgorithmIdentifier{sha},
		Encap:   encap{oidCMSData, content},
		Signers: []signerInfo{{Version: 3, SID: keyID, Digest: sha, SigAlg: pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}, Signature: sig}}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{oidCMSSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
}

// MatterCDSignerTemplate is a CD signing certificate: a self-signed P-256
// CA with a subjectKeyIdentifier, as the SDK's test CD signing authority.
func MatterCDSignerTemplate() *Template {
	t := RootTemplate()
	t.Subject = pkix.Name{CommonName: "Example Matter CD Signing Authority"}
	t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	return t
}
