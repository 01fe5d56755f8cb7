package ldevid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"time"

	"github.com/iotcert/iotcert/internal/certder"
)

// The device hot path encodes the TBSCertificate itself, lints it
// (profile.LintTBS) and signs those very bytes: one signature and one
// verification per certificate, where crypto/x509.CreateCertificate, used
// for the linted and then the real certificate, makes two of each. The
// encoding is crypto/x509's, byte for byte (TestDeviceTBSMatchesCryptoX509
// compares them), for the templates eeTemplate makes; any other template,
// and any issuer key that is not ECDSA or Ed25519, goes the
// CreateCertificate way.

// Object identifiers of the device certificate encoding.
var (
	oidExtKeyUsage        = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtExtKeyUsage     = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidExtAuthorityKeyID  = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtSubjectKeyID    = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtBasicConstraint = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidSigECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidSigECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidSigECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidSigEd25519         = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// signingAlgorithm is how an issuer key signs: the DER of its
// AlgorithmIdentifier and the digest (0 for Ed25519, which signs the
// message).
type signingAlgorithm struct {
	der  []byte
	hash crypto.Hash
}

// The signing algorithms of the device path, made once.
var (
	algECDSAWithSHA256 = newSigningAlgorithm(oidSigECDSAWithSHA256, crypto.SHA256)
	algECDSAWithSHA384 = newSigningAlgorithm(oidSigECDSAWithSHA384, crypto.SHA384)
	algECDSAWithSHA512 = newSigningAlgorithm(oidSigECDSAWithSHA512, crypto.SHA512)
	algEd25519         = newSigningAlgorithm(oidSigEd25519, 0)
)

// newSigningAlgorithm returns the algorithm oid (with no parameters, as
// crypto/x509 writes ECDSA and Ed25519) hashing with hash.
func newSigningAlgorithm(oid asn1.ObjectIdentifier, hash crypto.Hash) signingAlgorithm {
	der, err := asn1.Marshal(pkix.AlgorithmIdentifier{Algorithm: oid})
	if err != nil {
		panic(err) // a constant OID always encodes
	}
	return signingAlgorithm{der: der, hash: hash}
}

// signingAlgorithmFor returns crypto/x509's default signature algorithm
// for pub, or false for a key the fast path does not sign with.
func signingAlgorithmFor(pub crypto.PublicKey) (signingAlgorithm, bool) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return algECDSAWithSHA256, true
		case elliptic.P384():
			return algECDSAWithSHA384, true
		case elliptic.P521():
			return algECDSAWithSHA512, true
		}
	case ed25519.PublicKey:
		return algEd25519, true
	}
	return signingAlgorithm{}, false
}

// fastPathTemplate reports whether tmpl sets only the fields eeTemplate
// sets (and ExtraExtensions), which deviceTBS encodes: an end entity's
// basicConstraints (cA=FALSE, no pathLen) and subjectKeyIdentifier
// included.
func fastPathTemplate(tmpl *x509.Certificate) bool {
	if tmpl.SerialNumber == nil || tmpl.SerialNumber.Sign() <= 0 {
		return false
	}
	// The template with the fields deviceTBS encodes cleared must be the
	// zero Certificate: any other field set, including one a later Go
	// adds, sends it the crypto/x509 way.
	rest := *tmpl
	rest.SerialNumber, rest.RawSubject = nil, nil
	rest.NotBefore, rest.NotAfter = time.Time{}, time.Time{}
	rest.KeyUsage, rest.ExtKeyUsage, rest.UnknownExtKeyUsage = 0, nil, nil
	rest.BasicConstraintsValid, rest.SubjectKeyId, rest.ExtraExtensions = false, nil, nil
	return reflect.ValueOf(&rest).Elem().IsZero()
}

// deviceTBS encodes the TBSCertificate that crypto/x509.CreateCertificate
// makes from tmpl (a fastPathTemplate) for the subject key pub, issued by
// issuer, signed with alg: version 3, serial, signature, issuer (the
// issuer's subject), validity, subject (tmpl.RawSubject or empty),
// subjectPublicKeyInfo, then the extensions in crypto/x509's order:
// keyUsage (critical), extendedKeyUsage, basicConstraints (critical,
// cA=FALSE, when BasicConstraintsValid), subjectKeyIdentifier (when set),
// authorityKeyIdentifier (the issuer's subjectKeyIdentifier), then
// tmpl.ExtraExtensions.
func deviceTBS(tmpl, issuer *x509.Certificate, pub crypto.PublicKey, alg signingAlgorithm) ([]byte, error) {
	spki, err := marshalSPKI(pub)
	if err != nil {
		return nil, err
	}
	subject := tmpl.RawSubject
	if len(subject) == 0 {
		subject = emptyName
	}
	issuerName := issuer.RawSubject
	if len(issuerName) == 0 {
		return nil, errors.New("the issuer certificate has no raw subject")
	}
	has := func(oid asn1.ObjectIdentifier) bool {
		for _, e := range tmpl.ExtraExtensions {
			if e.Id.Equal(oid) {
				return true
			}
		}
		return false
	}
	var ekus []asn1.ObjectIdentifier
	for _, u := range tmpl.ExtKeyUsage {
		oid, ok := extKeyUsageOID[u]
		if !ok {
			return nil, fmt.Errorf("unknown extended key usage %d", u)
		}
		ekus = append(ekus, oid)
	}
	ekus = append(ekus, tmpl.UnknownExtKeyUsage...)

	// The encoding of encoding/asn1.Marshal over crypto/x509's structures,
	// written out without reflection and without a builder per element
	// (certder.Begin and End).
	b, tbsSeq := certder.Begin(make([]byte, 0, 512+len(subject)+len(issuerName)), certder.TagSequence)
	b = append(b, 0xa0, 3, certder.TagInteger, 1, 2) // [0] EXPLICIT version v3
	b = appendPositiveInt(b, tmpl.SerialNumber)
	b = append(b, alg.der...)
	b = append(b, issuerName...)
	b, validity := certder.Begin(b, certder.TagSequence)
	for _, t := range []time.Time{tmpl.NotBefore, tmpl.NotAfter} {
		if b, err = appendTime(b, t.UTC()); err != nil {
			return nil, err
		}
	}
	b = certder.End(b, validity)
	b = append(b, subject...)
	b = append(b, spki...)
	b, exts := certder.Begin(b, 0xa3) // [3] EXPLICIT extensions
	b, list := certder.Begin(b, certder.TagSequence)
	beginExt := func(b []byte, oidDER []byte, critical bool) ([]byte, int, int) {
		b, ext := certder.Begin(b, certder.TagSequence)
		b = append(b, oidDER...)
		if critical {
			b = append(b, certder.TagBoolean, 1, 0xff)
		}
		b, value := certder.Begin(b, certder.TagOctetString)
		return b, ext, value
	}
	endExt := func(b []byte, ext, value int) []byte {
		return certder.End(certder.End(b, value), ext)
	}
	var ext, value int
	if tmpl.KeyUsage != 0 && !has(oidExtKeyUsage) {
		var a [2]byte
		a[0] = reverseBits(byte(tmpl.KeyUsage))
		a[1] = reverseBits(byte(tmpl.KeyUsage >> 8))
		bits := a[:1]
		if a[1] != 0 {
			bits = a[:2]
		}
		b, ext, value = beginExt(b, derExtKeyUsage, true)
		b = certder.AppendTLV(b, certder.TagBitString, []byte{uint8(len(bits)*8 - bitLength(bits))}, bits)
		b = endExt(b, ext, value)
	}
	if len(ekus) > 0 && !has(oidExtExtKeyUsage) {
		b, ext, value = beginExt(b, derExtExtKeyUsage, false)
		var seq int
		b, seq = certder.Begin(b, certder.TagSequence)
		for _, oid := range ekus {
			der, err := asn1.Marshal(oid)
			if err != nil {
				return nil, fmt.Errorf("extended key usage %v: %w", oid, err)
			}
			b = append(b, der...)
		}
		b = certder.End(b, seq)
		b = endExt(b, ext, value)
	}
	if tmpl.BasicConstraintsValid && !has(oidExtBasicConstraint) {
		// cA=FALSE without pathLen: an empty SEQUENCE, both fields at
		// their DEFAULT, as crypto/x509 writes it.
		b, ext, value = beginExt(b, derExtBasicConstraint, true)
		b = append(b, certder.TagSequence, 0)
		b = endExt(b, ext, value)
	}
	if len(tmpl.SubjectKeyId) > 0 && !has(oidExtSubjectKeyID) {
		b, ext, value = beginExt(b, derExtSubjectKeyID, false)
		b = certder.AppendTLV(b, certder.TagOctetString, tmpl.SubjectKeyId)
		b = endExt(b, ext, value)
	}
	if len(issuer.SubjectKeyId) > 0 && !has(oidExtAuthorityKeyID) {
		b, ext, value = beginExt(b, derExtAuthorityKeyID, false)
		var seq int
		b, seq = certder.Begin(b, certder.TagSequence)
		b = certder.AppendTLV(b, 0x80, issuer.SubjectKeyId) // [0] keyIdentifier
		b = certder.End(b, seq)
		b = endExt(b, ext, value)
	}
	for _, e := range tmpl.ExtraExtensions {
		oidDER, err := asn1.Marshal(e.Id)
		if err != nil {
			return nil, fmt.Errorf("extension %v: %w", e.Id, err)
		}
		b, ext, value = beginExt(b, oidDER, e.Critical)
		b = append(b, e.Value...)
		b = endExt(b, ext, value)
	}
	if len(b) == list {
		b = b[:exts-2] // no extension: no [3] at all
	} else {
		b = certder.End(certder.End(b, list), exts)
	}
	return certder.End(b, tbsSeq), nil
}

// The DER OBJECT IDENTIFIERs of the extensions deviceTBS writes itself.
var (
	derExtKeyUsage        = mustMarshal(oidExtKeyUsage)
	derExtExtKeyUsage     = mustMarshal(oidExtExtKeyUsage)
	derExtBasicConstraint = mustMarshal(oidExtBasicConstraint)
	derExtSubjectKeyID    = mustMarshal(oidExtSubjectKeyID)
	derExtAuthorityKeyID  = mustMarshal(oidExtAuthorityKeyID)
)

// mustMarshal is the DER of a constant OID.
func mustMarshal(oid asn1.ObjectIdentifier) []byte {
	der, err := asn1.Marshal(oid)
	if err != nil {
		panic(err) // a constant OID always encodes
	}
	return der
}

// appendPositiveInt appends the DER INTEGER n > 0, as
// cryptobyte.Builder.AddASN1BigInt writes it.
func appendPositiveInt(b []byte, n *big.Int) []byte {
	b, start := certder.Begin(b, certder.TagInteger)
	if n.Bit(n.BitLen()-1) == 1 && n.BitLen()%8 == 0 {
		b = append(b, 0) // the top bit set: a leading zero keeps it positive
	}
	k := (n.BitLen() + 7) / 8
	b = append(b, make([]byte, k)...)
	n.FillBytes(b[len(b)-k:])
	return certder.End(b, start)
}

// ecPublicKeyAlgorithms are the DER AlgorithmIdentifiers of
// id-ecPublicKey on each named curve (RFC 5480), as crypto/x509 writes
// them in a subjectPublicKeyInfo.
var ecPublicKeyAlgorithms = func() map[elliptic.Curve][]byte {
	oidECPublicKey := asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	out := map[elliptic.Curve][]byte{}
	for curve, oid := range map[elliptic.Curve]asn1.ObjectIdentifier{
		elliptic.P256(): {1, 2, 840, 10045, 3, 1, 7},
		elliptic.P384(): {1, 3, 132, 0, 34},
		elliptic.P521(): {1, 3, 132, 0, 35},
	} {
		der, err := asn1.Marshal(pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: mustMarshal(oid)}})
		if err != nil {
			panic(err) // constant OIDs always encode
		}
		out[curve] = der
	}
	return out
}()

// marshalSPKI is x509.MarshalPKIXPublicKey, written without reflection
// for an ECDSA key on a named curve.
func marshalSPKI(pub crypto.PublicKey) ([]byte, error) {
	if k, ok := pub.(*ecdsa.PublicKey); ok {
		if alg, ok := ecPublicKeyAlgorithms[k.Curve]; ok {
			point, err := k.Bytes()
			if err != nil {
				return nil, err
			}
			b, seq := certder.Begin(make([]byte, 0, len(alg)+len(point)+8), certder.TagSequence)
			b = append(b, alg...)
			b = certder.AppendTLV(b, certder.TagBitString, []byte{0}, point) // no unused bits
			return certder.End(b, seq), nil
		}
	}
	return x509.MarshalPKIXPublicKey(pub)
}

// appendTime appends t (in UTC) as encoding/asn1 marshals a time.Time,
// which is what RFC 5280 §4.1.2.5 asks: UTCTime through 2049,
// GeneralizedTime from 2050.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	tag, layout := byte(asn1.TagUTCTime), "060102150405Z0700"
	if t.Year() < 1950 || t.Year() >= 2050 {
		if t.Year() < 0 || t.Year() > 9999 {
			return nil, fmt.Errorf("cannot represent %v as a GeneralizedTime", t)
		}
		tag, layout = asn1.TagGeneralizedTime, "20060102150405Z0700"
	}
	b, start := certder.Begin(b, tag)
	b = t.AppendFormat(b, layout)
	return certder.End(b, start), nil
}

// extKeyUsageOID are the object identifiers of the extended key usages
// a spec can name.
var extKeyUsageOID = map[x509.ExtKeyUsage]asn1.ObjectIdentifier{
	x509.ExtKeyUsageAny:             {2, 5, 29, 37, 0},
	x509.ExtKeyUsageServerAuth:      {1, 3, 6, 1, 5, 5, 7, 3, 1},
	x509.ExtKeyUsageClientAuth:      {1, 3, 6, 1, 5, 5, 7, 3, 2},
	x509.ExtKeyUsageCodeSigning:     {1, 3, 6, 1, 5, 5, 7, 3, 3},
	x509.ExtKeyUsageEmailProtection: {1, 3, 6, 1, 5, 5, 7, 3, 4},
	x509.ExtKeyUsageTimeStamping:    {1, 3, 6, 1, 5, 5, 7, 3, 8},
	x509.ExtKeyUsageOCSPSigning:     {1, 3, 6, 1, 5, 5, 7, 3, 9},
}

func reverseBits(b byte) byte {
	b = b>>4 | b<<4
	b = b>>2&0x33 | b<<2&0xcc
	return b>>1&0x55 | b<<1&0xaa
}

// bitLength is the length of an ASN.1 BIT STRING without its trailing
// zero bits.
func bitLength(b []byte) int {
	n := len(b) * 8
	for i := len(b) - 1; i >= 0; i-- {
		for bit := 0; bit < 8; bit++ {
			if b[i]>>bit&1 == 1 {
				return n
			}
			n--
		}
	}
	return 0
}

// signTBS signs tbs with signer as alg and returns the certificate's DER.
// The signature is checked with check (see signatureCheck) before the
// certificate is returned, as crypto/x509.CreateCertificate checks its
// own.
func signTBS(tbs []byte, alg signingAlgorithm, check signatureCheck, signer crypto.Signer) ([]byte, error) {
	msg := tbs
	var opts crypto.SignerOpts = crypto.Hash(0)
	if alg.hash != 0 {
		h := alg.hash.New()
		h.Write(tbs)
		msg, opts = h.Sum(nil), alg.hash
	}
	sig, err := signer.Sign(rand.Reader, msg, opts)
	if err != nil {
		return nil, err
	}
	if !check(msg, sig) {
		return nil, errors.New("the signer's signature does not verify with the issuer's key")
	}
	return certder.Assemble(tbs, alg.der, sig)
}
