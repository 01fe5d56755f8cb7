package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_table1_sig",
		Description: "Every certificate of the profile must be signed with ecdsa-with-SHA256 (without parameters), " +
			"named so in both the TBSCertificate signature field and the certificate's signatureAlgorithm.",
		Citation: "RFC 7925 §4.4.4 (Table 1)",
		Source:   RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925Table1Sig{} })
}

type r7925Table1Sig struct{}

func (l *r7925Table1Sig) CheckApplies(c *x509.Certificate) bool { return true }

func (l *r7925Table1Sig) Execute(c *x509.Certificate) *lint.LintResult {
	d, err := r7925Decode(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	for _, f := range []struct {
		name string
		alg  pkix.AlgorithmIdentifier
	}{{"TBSCertificate signature", d.TBSSignature}, {"signatureAlgorithm", d.SignatureAlgorithm}} {
		if !f.alg.Algorithm.Equal(oidSigECDSASHA256) {
			return failf(lint.Error, "%s is %s, not ecdsa-with-SHA256", f.name, r7925SigName(f.alg))
		}
		if len(f.alg.Parameters.FullBytes) > 0 {
			return failf(lint.Error, "%s ecdsa-with-SHA256 has parameters; they must be absent", f.name)
		}
	}
	return pass()
}

// r7925SigName names a signature algorithm for messages.
func r7925SigName(alg pkix.AlgorithmIdentifier) string {
	switch {
	case alg.Algorithm.Equal(oidSigECDSASHA256):
		return "ecdsa-with-SHA256"
	case alg.Algorithm.Equal(oidSigECDSASHA384):
		return "ecdsa-with-SHA384"
	case alg.Algorithm.Equal(oidSigECDSASHA512):
		return "ecdsa-with-SHA512"
	case alg.Algorithm.Equal(oidKeyEd25519):
		return "Ed25519"
	case alg.Algorithm.Equal(oidKeyEd448):
		return "Ed448"
	}
	switch alg.Algorithm.String() {
	case "1.2.840.113549.1.1.11":
		return "sha256WithRSAEncryption"
	case "1.2.840.113549.1.1.12":
		return "sha384WithRSAEncryption"
	case "1.2.840.113549.1.1.13":
		return "sha512WithRSAEncryption"
	case "1.2.840.113549.1.1.5":
		return "sha1WithRSAEncryption"
	case "1.2.840.113549.1.1.10":
		return "RSASSA-PSS"
	case "1.2.840.10045.4.1":
		return "ecdsa-with-SHA1"
	}
	return alg.Algorithm.String()
}
