package serve

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	stdx509 "crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"

	"github.com/iotcert/iotcert/internal/certder"
	"github.com/iotcert/iotcert/internal/certparse"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// Signature algorithms a to-be-signed certificate can be signed with for
// the chain checks.
var (
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidEd25519         = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// throwawayPair prepares a to-be-signed certificate and its issuer for
// the chain checks, which need a signature that verifies: it returns the
// certificate tbs becomes when signed with a throwaway key of the
// issuer's key type, and a copy of the issuer certificate that carries
// the throwaway public key instead of its own (its names, key
// identifiers, validity and constraints unchanged). This is the
// throwaway-issuer method of profile.LintTemplate, applied to a
// TBSCertificate.
func throwawayPair(tbs, issuerDER []byte) (child, issuer []byte, err error) {
	ic, err := certio.Parse(issuerDER)
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: %s", certparse.DescribeError(err))
	}
	pub, err := stdx509.ParsePKIXPublicKey(certparse.SubjectPublicKeyInfo(ic))
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: public key: %v", err)
	}
	key, err := profile.ThrowawayKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: %v", err)
	}
	child, err = signTBS(tbs, key)
	if err != nil {
		return nil, nil, err
	}
	spki, err := stdx509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: %v", err)
	}
	issuerTBS, err := replaceSPKI(ic.RawTBSCertificate, spki)
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: %v", err)
	}
	// A self-signed issuer stays self-signed; any other keeps a signature
	// that nothing checks, since the issuer is the anchor of the check.
	if issuer, err = signTBS(issuerTBS, key); err != nil {
		if issuer, err = withSignatureOf(issuerTBS, issuerDER); err != nil {
			return nil, nil, fmt.Errorf("issuer: %v", err)
		}
	}
	return child, issuer, nil
}

// signTBS signs tbs with key by the algorithm its signature field names.
func signTBS(tbs []byte, key crypto.Signer) ([]byte, error) {
	algDER, err := tbsAlgorithm(tbs)
	if err != nil {
		return nil, err
	}
	var alg struct {
		Algorithm asn1.ObjectIdentifier
		Params    asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(algDER, &alg); err != nil {
		return nil, fmt.Errorf("TBSCertificate signature algorithm: %v", err)
	}
	var h hash.Hash
	var opts crypto.SignerOpts
	switch {
	case alg.Algorithm.Equal(oidECDSAWithSHA256):
		h, opts = sha256.New(), crypto.SHA256
	case alg.Algorithm.Equal(oidECDSAWithSHA384):
		h, opts = sha512.New384(), crypto.SHA384
	case alg.Algorithm.Equal(oidECDSAWithSHA512):
		h, opts = sha512.New(), crypto.SHA512
	case alg.Algorithm.Equal(oidEd25519):
		opts = crypto.Hash(0)
	default:
		return nil, fmt.Errorf("signature algorithm %v: the chain checks before signing support ECDSA and Ed25519", alg.Algorithm)
	}
	_, isEd := key.(ed25519.PrivateKey)
	_, isEC := key.(*ecdsa.PrivateKey)
	if isEd != (h == nil) || isEC != (h != nil) {
		return nil, fmt.Errorf("signature algorithm %v does not fit the issuer's %T key", alg.Algorithm, key.Public())
	}
	msg := tbs
	if h != nil {
		h.Write(tbs)
		msg = h.Sum(nil)
	}
	sig, err := key.Sign(rand.Reader, msg, opts)
	if err != nil {
		return nil, err
	}
	return certder.Assemble(tbs, algDER, sig)
}

// tbsAlgorithm returns the DER signature AlgorithmIdentifier of tbs.
func tbsAlgorithm(tbs []byte) ([]byte, error) {
	in := cryptobyte.String(tbs)
	var body, algDER cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) || !in.Empty() ||
		!body.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!body.SkipASN1(cbasn1.INTEGER) ||
		!body.ReadASN1Element(&algDER, cbasn1.SEQUENCE) {
		return nil, errors.New("malformed TBSCertificate")
	}
	return algDER, nil
}

// replaceSPKI returns tbs with its subjectPublicKeyInfo replaced by spki.
func replaceSPKI(tbs, spki []byte) ([]byte, error) {
	in := cryptobyte.String(tbs)
	var body, version, serial, alg, issuer, validity, subject cryptobyte.String
	var hasVersion bool
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) ||
		!body.ReadOptionalASN1(&version, &hasVersion, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!body.ReadASN1Element(&serial, cbasn1.INTEGER) ||
		!body.ReadASN1Element(&alg, cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&issuer, cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&validity, cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&subject, cbasn1.SEQUENCE) ||
		!body.SkipASN1(cbasn1.SEQUENCE) {
		return nil, errors.New("malformed TBSCertificate")
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if hasVersion {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(version) })
		}
		for _, part := range [][]byte{serial, alg, issuer, validity, subject, spki, body} {
			b.AddBytes(part)
		}
	})
	return b.Bytes()
}

// withSignatureOf wraps tbs into a Certificate with the signature
// algorithm and value of the certificate cert.
func withSignatureOf(tbs, cert []byte) ([]byte, error) {
	in := cryptobyte.String(cert)
	var body, algDER, sig cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) || !body.SkipASN1(cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&algDER, cbasn1.SEQUENCE) || !body.ReadASN1Element(&sig, cbasn1.BIT_STRING) {
		return nil, errors.New("malformed certificate")
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(algDER)
		b.AddBytes(sig)
	})
	return b.Bytes()
}
