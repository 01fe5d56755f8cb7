package bundle

import (
	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/iotcert/iotcert/profile"
)

// CRLSignIssuesCRLs is the name of the chain check for a CA that issues
// CRLs without asserting cRLSign.
const CRLSignIssuesCRLs = "e_iot_ca_ku_crlsign_issues_crls"

// crlSignProfiles are the profiles the check runs under: the TLS/DTLS 1.3
// IoT profile and those extending it. (Matter's e_matter_ca_ku requires
// cRLSign on every CA regardless.)
var crlSignProfiles = []string{"tls13-iot"}

var crlSignChecks = []CheckInfo{
	{Name: CRLSignIssuesCRLs, Level: profile.Error, Roles: "root,subordinate", Profiles: crlSignProfiles,
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.2.4, §17.3.4; RFC 5280 §4.2.1.13, §4.2.1.3",
		Description: "A CA whose keyUsage lacks cRLSign issues CRLs, as a certificate it issued shows: that certificate has a cRLDistributionPoints " +
			"distribution point without cRLIssuer, which RFC 5280 §4.2.1.13 allows only when the certificate's issuer is the CRL issuer. " +
			"The IoT profile requires cRLSign on a CA that issues CRLs (one certificate alone cannot show it: n_iot_root_ku_crlsign, n_iot_sub_ku_crlsign)."},
}

func init() {
	// The check joins the chain checks once, before any Bundle exists; the
	// table is not changed afterwards.
	checks = append(checks, crlSignChecks...)
}

// crlFacts are what a Node keeps for the check: bits of crlKU* and crlDP*.
type crlFacts uint8

const (
	crlKUPresent  crlFacts = 1 << iota // the certificate has a keyUsage extension
	crlKUCRLSign                       // its keyUsage asserts cRLSign
	crlDPByIssuer                      // a distribution point names no cRLIssuer: the issuer signs the CRL
)

// Object identifiers of the extensions the check reads.
var (
	oidExtKeyUsage              = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtCRLDistributionPoints = asn1.ObjectIdentifier{2, 5, 29, 31}
)

// crlFactsOf reads the keyUsage and cRLDistributionPoints of c.
func crlFactsOf(c *x509.Certificate) crlFacts {
	var f crlFacts
	for _, e := range c.Extensions {
		switch {
		case e.Id.Equal(oidExtKeyUsage):
			f |= crlKUPresent
			if c.KeyUsage&x509.KeyUsageCRLSign != 0 {
				f |= crlKUCRLSign
			}
		case e.Id.Equal(oidExtCRLDistributionPoints) && issuerSignsCRL(e.Value):
			f |= crlDPByIssuer
		}
	}
	return f
}

// issuerSignsCRL reports whether a cRLDistributionPoints value has a
// distribution point with a distributionPoint name and no cRLIssuer:
//
//	DistributionPoint ::= SEQUENCE {
//	     distributionPoint       [0]     DistributionPointName OPTIONAL,
//	     reasons                 [1]     ReasonFlags OPTIONAL,
//	     cRLIssuer               [2]     GeneralNames OPTIONAL }
//
// RFC 5280 §4.2.1.13: "If the certificate issuer is also the CRL issuer,
// then conforming CAs MUST omit the cRLIssuer field and MUST include the
// distributionPoint field." A value that does not decode tells nothing.
func issuerSignsCRL(value []byte) bool {
	in := cryptobyte.String(value)
	var dps cryptobyte.String
	if !in.ReadASN1(&dps, cbasn1.SEQUENCE) {
		return false
	}
	for !dps.Empty() {
		var dp, name cryptobyte.String
		var named bool
		if !dps.ReadASN1(&dp, cbasn1.SEQUENCE) ||
			!dp.ReadOptionalASN1(&name, &named, cbasn1.Tag(0).ContextSpecific().Constructed()) ||
			!dp.SkipOptionalASN1(cbasn1.Tag(1).ContextSpecific()) {
			return false
		}
		if named && !dp.PeekASN1Tag(cbasn1.Tag(2).ContextSpecific().Constructed()) {
			return true
		}
	}
	return false
}

// checkCRLSign reports a CA without cRLSign that a certificate it issued
// shows to be the issuer of CRLs, once per CA, naming the first such
// certificate.
func (f *finisher) checkCRLSign(live []*state) {
	if !appliesToProfiles(crlSignProfiles, f.b.opts.Profiles) {
		return
	}
	reported := map[*state]bool{}
	for _, s := range live {
		if s.n.crl&crlDPByIssuer == 0 {
			continue
		}
		p := s.parent()
		if p == nil || reported[p] || !p.n.isCA || p.n.crl&crlKUPresent == 0 || p.n.crl&crlKUCRLSign != 0 {
			continue
		}
		reported[p] = true
		f.add(p, CRLSignIssuesCRLs, "keyUsage does not assert cRLSign, but the CA issues CRLs: %s has a cRLDistributionPoints without cRLIssuer, so its CRL is signed by this CA", describe(s))
	}
}
