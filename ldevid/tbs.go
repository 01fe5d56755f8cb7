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
	"reflect"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
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
	return reflect.ValueOf(rest).IsZero()
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
	spki, err := x509.MarshalPKIXPublicKey(pub)
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
	// written out with cryptobyte (no reflection on the hot path).
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1Int64(2) // v3
		})
		b.AddASN1BigInt(tmpl.SerialNumber)
		b.AddBytes(alg.der)
		b.AddBytes(issuerName)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addTime(b, tmpl.NotBefore.UTC())
			addTime(b, tmpl.NotAfter.UTC())
		})
		b.AddBytes(subject)
		b.AddBytes(spki)
		exts := 0
		addExt := func(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, critical bool, value func(*cryptobyte.Builder)) {
			exts++
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oid)
				if critical {
					b.AddASN1Boolean(true)
				}
				b.AddASN1(cbasn1.OCTET_STRING, value)
			})
		}
		var list cryptobyte.Builder
		if tmpl.KeyUsage != 0 && !has(oidExtKeyUsage) {
			var a [2]byte
			a[0] = reverseBits(byte(tmpl.KeyUsage))
			a[1] = reverseBits(byte(tmpl.KeyUsage >> 8))
			bits := a[:1]
			if a[1] != 0 {
				bits = a[:2]
			}
			addExt(&list, oidExtKeyUsage, true, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) {
					b.AddUint8(uint8(len(bits)*8 - bitLength(bits)))
					b.AddBytes(bits)
				})
			})
		}
		if len(ekus) > 0 && !has(oidExtExtKeyUsage) {
			addExt(&list, oidExtExtKeyUsage, false, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, oid := range ekus {
						b.AddASN1ObjectIdentifier(oid)
					}
				})
			})
		}
		if tmpl.BasicConstraintsValid && !has(oidExtBasicConstraint) {
			// cA=FALSE without pathLen: an empty SEQUENCE, both fields at
			// their DEFAULT, as crypto/x509 writes it.
			addExt(&list, oidExtBasicConstraint, true, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(*cryptobyte.Builder) {})
			})
		}
		if len(tmpl.SubjectKeyId) > 0 && !has(oidExtSubjectKeyID) {
			addExt(&list, oidExtSubjectKeyID, false, func(b *cryptobyte.Builder) {
				b.AddASN1OctetString(tmpl.SubjectKeyId)
			})
		}
		if len(issuer.SubjectKeyId) > 0 && !has(oidExtAuthorityKeyID) {
			addExt(&list, oidExtAuthorityKeyID, false, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) {
						b.AddBytes(issuer.SubjectKeyId)
					})
				})
			})
		}
		for _, e := range tmpl.ExtraExtensions {
			addExt(&list, e.Id, e.Critical, func(b *cryptobyte.Builder) { b.AddBytes(e.Value) })
		}
		if exts > 0 {
			raw, err := list.Bytes()
			if err != nil {
				b.SetError(err)
				return
			}
			b.AddASN1(cbasn1.Tag(3).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddBytes(raw) })
			})
		}
	})
	return b.Bytes()
}

// addTime adds t as encoding/asn1 marshals a time.Time, which is what
// RFC 5280 §4.1.2.5 asks: UTCTime through 2049, GeneralizedTime from 2050.
func addTime(b *cryptobyte.Builder, t time.Time) {
	if t.Year() < 1950 || t.Year() >= 2050 {
		b.AddASN1GeneralizedTime(t)
		return
	}
	b.AddASN1UTCTime(t)
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
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(alg.der)
		b.AddASN1BitString(sig)
	})
	return b.Bytes()
}
