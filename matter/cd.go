package matter

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
)

// CD is the content of a Certification Declaration (CSA Matter Core
// Specification §6.3.1), as the SDK's DecodeCertificationElements
// (src/credentials/CertificationDeclaration.cpp) reads it.
type CD struct {
	FormatVersion, VendorID uint16
	ProductIDs              []uint16
	DeviceTypeID            uint32
	CertificateID           string
	SecurityLevel           uint8
	SecurityInformation     uint16
	VersionNumber           uint16
	CertificationType       uint8
	// DACOriginVID and DACOriginPID are dac_origin_vendor_id and
	// dac_origin_product_id; HasDACOrigin says both are present.
	DACOriginVID, DACOriginPID uint16
	HasDACOrigin               bool
	// AuthorizedPAAs is authorized_paa_list (subject key IDs of PAAs);
	// HasAuthorizedPAAs says it is present.
	AuthorizedPAAs    [][]byte
	HasAuthorizedPAAs bool
}

// SignedCD is a CMS-signed Certification Declaration (§6.3.2).
type SignedCD struct {
	CD CD
	// Content is the TLV-encoded CD, the signed content.
	Content []byte
	// SignerKeyID is the subjectKeyIdentifier of the signer.
	SignerKeyID []byte
	// Signature is the DER ECDSA signature over Content.
	Signature []byte
}

var (
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContent     struct {
		EContentType asn1.ObjectIdentifier
		EContent     []byte `asn1:"explicit,tag:0"`
	}
	Certificates asn1.RawValue `asn1:"optional,tag:0"`
	CRLs         asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos  []signerInfo  `asn1:"set"`
}

type signerInfo struct {
	Version            int
	SID                []byte `asn1:"tag:0"`
	DigestAlgorithm    asn1.RawValue
	SignatureAlgorithm asn1.RawValue
	Signature          []byte
}

// ParseSignedCD decodes a DER CMS SignedData that carries a Certification
// Declaration, as the SDK's CMS_ExtractCDContent and CMS_ExtractKeyId do:
// one signer, named by its subject key identifier, without signed
// attributes.
func ParseSignedCD(der []byte) (*SignedCD, error) {
	var ci contentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, fmt.Errorf("certification declaration: not a CMS ContentInfo: %w", err)
	} else if len(rest) != 0 {
		return nil, errors.New("certification declaration: trailing data after the CMS ContentInfo")
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("certification declaration: content type %s, want signedData", ci.ContentType)
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("certification declaration: SignedData does not decode: %w", err)
	}
	// CMS_Verify (src/credentials/CertificationDeclaration.cpp) takes
	// version 3 only and reads the first digestAlgorithms entry, which must
	// be SHA-256 (struct_cd_cms_v2, struct_cd_cms_digest_algo_sha1).
	if sd.Version != 3 {
		return nil, fmt.Errorf("certification declaration: SignedData version %d, want 3", sd.Version)
	}
	var digests []asn1.RawValue
	if rest, err := asn1.UnmarshalWithParams(sd.DigestAlgorithms.FullBytes, &digests, "set"); err != nil || len(rest) != 0 || len(digests) == 0 || !algorithmIs(digests[0], oidSHA256) {
		return nil, errors.New("certification declaration: the SignedData's digestAlgorithms is not SHA-256")
	}
	if !sd.EncapContent.EContentType.Equal(oidData) {
		return nil, fmt.Errorf("certification declaration: encapsulated content type %s, want data", sd.EncapContent.EContentType)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("certification declaration: %d signers, want 1", len(sd.SignerInfos))
	}
	cd, err := DecodeCD(sd.EncapContent.EContent)
	if err != nil {
		return nil, err
	}
	si := sd.SignerInfos[0]
	if si.Version != 3 {
		return nil, fmt.Errorf("certification declaration: SignerInfo version %d, want 3", si.Version)
	}
	// The SDK signs and verifies CDs with ECDSA and SHA-256 only
	// (CMS_Sign, CMS_Verify); a signer naming another digest or signature
	// algorithm (SHA-1, say) is refused, as its test vectors expect.
	if !algorithmIs(si.DigestAlgorithm, oidSHA256) {
		return nil, errors.New("certification declaration: the signer's digest algorithm is not SHA-256")
	}
	if !algorithmIs(si.SignatureAlgorithm, oidECDSAWithSHA256) {
		return nil, errors.New("certification declaration: the signer's signature algorithm is not ecdsa-with-SHA256")
	}
	return &SignedCD{CD: *cd, Content: sd.EncapContent.EContent, SignerKeyID: si.SID, Signature: si.Signature}, nil
}

var (
	oidSHA256          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

// algorithmIs reports whether raw is an AlgorithmIdentifier for oid (with
// or without parameters).
func algorithmIs(raw asn1.RawValue, oid asn1.ObjectIdentifier) bool {
	var alg struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	rest, err := asn1.Unmarshal(raw.FullBytes, &alg)
	return err == nil && len(rest) == 0 && alg.Algorithm.Equal(oid)
}

// Verify checks the signature of s with the certificate among signers
// whose subjectKeyIdentifier is the signer's (the SDK's CMS_Verify with
// the key its attestation trust store finds by that key ID): ECDSA with
// SHA-256 over the content.
func (s *SignedCD) Verify(signers []*x509.Certificate) error {
	for _, c := range signers {
		if !bytes.Equal(c.SubjectKeyId, s.SignerKeyID) {
			continue
		}
		pub, ok := c.PublicKey.(*ecdsa.PublicKey)
		if !ok {
			if a, isAug := c.PublicKey.(*x509.AugmentedECDSA); isAug {
				pub, ok = a.Pub, true
			}
		}
		if !ok {
			return fmt.Errorf("the CD signing certificate %q has no ECDSA key", c.Subject.String())
		}
		sum := sha256.Sum256(s.Content)
		if !ecdsa.VerifyASN1(pub, sum[:], s.Signature) {
			return fmt.Errorf("the signature does not verify with the CD signing certificate %q", c.Subject.String())
		}
		return nil
	}
	return fmt.Errorf("no CD signing certificate has the signer's key ID %X", s.SignerKeyID)
}

// TLV element types (Matter Core Specification Appendix A.7), the low five
// bits of the control octet.
const (
	tlvInt8      = 0x00
	tlvInt64     = 0x03
	tlvUint8     = 0x04
	tlvUint64    = 0x07
	tlvUTF8_1    = 0x0C
	tlvUTF8_8    = 0x0F
	tlvBytes1    = 0x10
	tlvBytes8    = 0x13
	tlvStructure = 0x15
	tlvArray     = 0x16
	tlvEnd       = 0x18
)

// tlvReader reads the TLV elements of a CD: anonymous or context tags,
// unsigned integers, strings, arrays and the end of a container.
type tlvReader struct {
	b   []byte
	off int
}

// tlvElement is one element: its context tag (-1 when anonymous), type,
// and value (the integer, or the bytes of a string).
type tlvElement struct {
	tag  int
	typ  byte
	uint uint64
	data []byte
}

func (r *tlvReader) take(n int) ([]byte, error) {
	if n < 0 || len(r.b)-r.off < n {
		return nil, fmt.Errorf("TLV truncated at byte %d", r.off)
	}
	v := r.b[r.off : r.off+n]
	r.off += n
	return v, nil
}

func (r *tlvReader) next() (tlvElement, error) {
	at := r.off
	ctl, err := r.take(1)
	if err != nil {
		return tlvElement{}, err
	}
	e := tlvElement{tag: -1, typ: ctl[0] & 0x1F}
	switch ctl[0] >> 5 {
	case 0:
	case 1:
		t, err := r.take(1)
		if err != nil {
			return e, err
		}
		e.tag = int(t[0])
	default:
		return e, fmt.Errorf("TLV element at byte %d: tag control %d, want anonymous or context-specific", at, ctl[0]>>5)
	}
	le := func(n int) (uint64, error) {
		v, err := r.take(n)
		if err != nil {
			return 0, err
		}
		var buf [8]byte
		copy(buf[:], v)
		return binary.LittleEndian.Uint64(buf[:]), nil
	}
	switch {
	case e.typ >= tlvUint8 && e.typ <= tlvUint64:
		e.uint, err = le(1 << (e.typ - tlvUint8))
	case e.typ <= tlvInt64: // tlvInt8 to tlvInt64
		// A signed integer where the CD has an unsigned one: the SDK's
		// TLVReader::Get(uint64_t&) takes it, sign-extended, and the SDK's
		// own test CDs encode format_version and other fields so. A
		// negative value becomes a huge one, which the range checks refuse.
		size := 1 << e.typ
		var u uint64
		if u, err = le(size); err == nil {
			shift := uint(64 - 8*size)
			e.uint = uint64(int64(u<<shift) >> shift)
		}
	case e.typ >= tlvUTF8_1 && e.typ <= tlvUTF8_8 || e.typ >= tlvBytes1 && e.typ <= tlvBytes8:
		var n uint64
		n, err = le(1 << ((e.typ - tlvUTF8_1) % 4))
		if err == nil {
			if n > uint64(len(r.b)) {
				return e, fmt.Errorf("TLV string at byte %d runs past the end", at)
			}
			e.data, err = r.take(int(n))
		}
	case e.typ == tlvStructure || e.typ == tlvArray || e.typ == tlvEnd:
	default:
		err = fmt.Errorf("TLV element at byte %d: type 0x%02x is not one a CD uses", at, e.typ)
	}
	return e, err
}

// certificateIDLength is the SDK's kCertificateIdLength: a certificate_id
// such as "ZIG20141ZB330001-24".
const certificateIDLength = 19

// DecodeCD decodes the TLV content of a Certification Declaration.
func DecodeCD(content []byte) (*CD, error) {
	r := &tlvReader{b: content}
	bad := func(err error) (*CD, error) { return nil, fmt.Errorf("certification declaration content: %w", err) }
	top, err := r.next()
	if err != nil {
		return bad(err)
	}
	if top.typ != tlvStructure || top.tag != -1 {
		return bad(errors.New("not an anonymous TLV structure"))
	}
	var cd CD
	seen := map[int]bool{}
	for {
		e, err := r.next()
		if err != nil {
			return bad(err)
		}
		if e.typ == tlvEnd {
			break
		}
		if seen[e.tag] {
			return bad(fmt.Errorf("field %d appears twice", e.tag))
		}
		seen[e.tag] = true
		if err := cd.set(r, e); err != nil {
			return bad(err)
		}
	}
	if r.off != len(content) {
		return bad(fmt.Errorf("%d byte(s) after the structure", len(content)-r.off))
	}
	// Every field up to certification_type is required, version_number
	// too: DecodeCertificationElements (src/credentials/CertificationDeclaration.cpp)
	// reads each with ReturnErrorOnFailure(reader.Next(ContextTag(...))),
	// and the SDK's current struct_cd_version_number_missing vector fails.
	for tag, name := range []string{"format_version", "vendor_id", "product_id_array", "device_type_id", "certificate_id", "security_level", "security_information", "version_number", "certification_type"} {
		if !seen[tag] {
			return bad(fmt.Errorf("%s (tag %d) is missing", name, tag))
		}
	}
	if seen[9] != seen[10] {
		return bad(errors.New("dac_origin_vendor_id and dac_origin_product_id must be present together"))
	}
	cd.HasDACOrigin = seen[9]
	return &cd, nil
}

// set decodes the field e (whose container elements follow in r) into cd.
func (cd *CD) set(r *tlvReader, e tlvElement) error {
	isUint := isInteger(e.typ)
	wantUint := func(max uint64) (uint64, error) {
		if !isUint || e.uint > max {
			return 0, fmt.Errorf("field %d: want an unsigned integer up to %d", e.tag, max)
		}
		return e.uint, nil
	}
	var v uint64
	var err error
	switch e.tag {
	case 0, 1, 6, 7, 9, 10:
		v, err = wantUint(0xFFFF)
	case 3:
		v, err = wantUint(0xFFFFFFFF)
	case 5, 8:
		v, err = wantUint(0xFF)
	case 4:
		if e.typ < tlvUTF8_1 || e.typ > tlvUTF8_8 {
			return errors.New("certificate_id: want a UTF-8 string")
		}
		// DecodeCertificationElements takes kCertificateIdLength (19)
		// characters only (struct_cd_cert_id_len_wrong).
		if len(e.data) != certificateIDLength {
			return fmt.Errorf("certificate_id %q: %d characters, want %d", e.data, len(e.data), certificateIDLength)
		}
		cd.CertificateID = string(e.data)
		return nil
	case 2, 11:
		if e.typ != tlvArray {
			return fmt.Errorf("field %d: want an array", e.tag)
		}
		return cd.setArray(r, e.tag)
	default:
		return fmt.Errorf("unknown field tag %d", e.tag)
	}
	if err != nil {
		return err
	}
	switch e.tag {
	case 0:
		cd.FormatVersion = uint16(v)
	case 1:
		cd.VendorID = uint16(v)
	case 3:
		cd.DeviceTypeID = uint32(v)
	case 5:
		cd.SecurityLevel = uint8(v)
	case 6:
		cd.SecurityInformation = uint16(v)
	case 7:
		cd.VersionNumber = uint16(v)
	case 8:
		cd.CertificationType = uint8(v)
	case 9:
		cd.DACOriginVID = uint16(v)
	case 10:
		cd.DACOriginPID = uint16(v)
	}
	return nil
}

// setArray reads product_id_array (tag 2) or authorized_paa_list (11).
func (cd *CD) setArray(r *tlvReader, tag int) error {
	for {
		e, err := r.next()
		if err != nil {
			return err
		}
		switch {
		case e.typ == tlvEnd:
			if tag == 2 && len(cd.ProductIDs) == 0 {
				return errors.New("product_id_array is empty")
			}
			cd.HasAuthorizedPAAs = cd.HasAuthorizedPAAs || tag == 11
			return nil
		case e.tag != -1:
			return fmt.Errorf("field %d: array element with a tag", tag)
		case tag == 2 && isInteger(e.typ) && e.uint <= 0xFFFF:
			cd.ProductIDs = append(cd.ProductIDs, uint16(e.uint))
		case tag == 11 && e.typ >= tlvBytes1 && e.typ <= tlvBytes8:
			cd.AuthorizedPAAs = append(cd.AuthorizedPAAs, e.data)
		default:
			return fmt.Errorf("field %d: array element of type 0x%02x", tag, e.typ)
		}
	}
}

// isInteger reports whether a TLV element type is an integer, signed
// (tlvInt8 to tlvInt64) or unsigned (tlvUint8 to tlvUint64).
func isInteger(typ byte) bool { return typ <= tlvUint64 }

// HasProduct reports whether pid is in the CD's product_id_array.
func (cd *CD) HasProduct(pid uint16) bool { return slices.Contains(cd.ProductIDs, pid) }
