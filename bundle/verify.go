package bundle

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	stdx509 "crypto/x509"

	"github.com/zmap/zcrypto/x509"
)

// verdict is the outcome of a signature check.
type verdict uint8

const (
	invalid  verdict = iota
	verified         // the issuer's key verifies the signature
	unknown          // the algorithm or the issuer's key is not one this package verifies
)

// parseKey decodes n's public key for signature checks. It is called
// before the concurrent phase of Finish, which only reads the key.
func (n *Node) parseKey() {
	if n.pubKeyParsed {
		return
	}
	n.pubKeyParsed = true
	if k, err := stdx509.ParsePKIXPublicKey(n.spki); err == nil {
		n.pubKey = k
	}
}

// verify checks the signature of child with the key of issuer.
func verify(child, issuer *Node) verdict {
	if !issuer.pubKeyParsed {
		issuer.parseKey()
	}
	if child.digest == nil || issuer.pubKey == nil {
		return unknown
	}
	h := hashOf(child.sigAlg)
	var ok bool
	switch k := issuer.pubKey.(type) {
	case *ecdsa.PublicKey:
		ok = isECDSA(child.sigAlg) && ecdsa.VerifyASN1(k, child.digest, child.sig)
	case *rsa.PublicKey:
		switch {
		case isRSAPSS(child.sigAlg):
			ok = rsa.VerifyPSS(k, h, child.digest, child.sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
		case isRSA(child.sigAlg):
			ok = rsa.VerifyPKCS1v15(k, h, child.digest, child.sig) == nil
		}
	case ed25519.PublicKey:
		ok = child.sigAlg == x509.Ed25519Sig && ed25519.Verify(k, child.digest, child.sig)
	default:
		return unknown
	}
	if ok {
		return verified
	}
	return invalid
}

func isECDSA(a x509.SignatureAlgorithm) bool {
	return a == x509.ECDSAWithSHA1 || a == x509.ECDSAWithSHA256 || a == x509.ECDSAWithSHA384 || a == x509.ECDSAWithSHA512
}

func isRSA(a x509.SignatureAlgorithm) bool {
	return a == x509.SHA1WithRSA || a == x509.SHA256WithRSA || a == x509.SHA384WithRSA || a == x509.SHA512WithRSA
}

func isRSAPSS(a x509.SignatureAlgorithm) bool {
	return a == x509.SHA256WithRSAPSS || a == x509.SHA384WithRSAPSS || a == x509.SHA512WithRSAPSS
}

// algorithmProblem says why a certificate signed with alg by an issuer key
// of the given kind breaks the profile's algorithms along a chain, or ""
// when it does not. The TLS/DTLS 1.3 IoT profile allows ECDSA on P-256,
// P-384 and P-521 with SHA-256 or stronger (a P-384 root over P-256 devices
// is fine) and Ed25519; RFC 7925 allows ECDSA on P-256 with SHA-256 only.
func algorithmProblem(issuerKey string, alg x509.SignatureAlgorithm, rfc7925 bool) string {
	if rfc7925 {
		if issuerKey != kindP256 || alg != x509.ECDSAWithSHA256 {
			return "RFC 7925 devices validate ECDSA P-256 with SHA-256 only"
		}
		return ""
	}
	switch issuerKey {
	case kindP256, kindP384, kindP521:
		if alg == x509.ECDSAWithSHA256 || alg == x509.ECDSAWithSHA384 || alg == x509.ECDSAWithSHA512 {
			return ""
		}
		return "an ECDSA key must sign with ecdsa-with-SHA256 or stronger"
	case kindEd25519:
		if alg == x509.Ed25519Sig {
			return ""
		}
		return "an Ed25519 key must sign with Ed25519"
	}
	return "the profile allows only ECDSA on P-256, P-384 or P-521, or Ed25519, along the chain"
}
