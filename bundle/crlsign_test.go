package bundle_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
)

// crlDP returns a cRLDistributionPoints extension with one distribution
// point for uri, naming crlIssuer as its cRLIssuer when it is not nil.
func crlDP(t *testing.T, uri string, crlIssuer *pkix.Name) pkix.Extension {
	t.Helper()
	marshal := func(v asn1.RawValue) []byte {
		der, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	ctx := func(tag int, content []byte) []byte {
		return marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag, IsCompound: true, Bytes: content})
	}
	// distributionPoint [0] { fullName [0] GeneralNames }
	dp := ctx(0, ctx(0, marshal(certgen.URI(uri))))
	if crlIssuer != nil {
		dp = append(dp, ctx(2, marshal(certgen.DirectoryName(*crlIssuer)))...) // cRLIssuer [2] GeneralNames
	}
	seq := func(content []byte) []byte {
		return marshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: content})
	}
	return pkix.Extension{Id: certgen.OIDExtCRLDistribution, Value: seq(seq(dp))}
}

// TestCRLSignIssuesCRLs checks e_iot_ca_ku_crlsign_issues_crls: a CA
// without cRLSign whose certificates point to CRLs it signs (a
// distribution point without cRLIssuer, RFC 5280 §4.2.1.13) is an error
// (draft-ietf-uta-tls13-iot-profile-23 §17.2.4, §17.3.4); a distribution
// point naming another CRL issuer, or a CA with cRLSign, is not.
func TestCRLSignIssuesCRLs(t *testing.T) {
	root := issue(t, certgen.RootTemplate())
	noCRLSignTmpl := certgen.SubTemplate(root)
	noCRLSignTmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	noCRLSign := issue(t, noCRLSignTmpl)
	withCRLSign := issue(t, certgen.SubTemplate(root))

	eeWith := func(sub *certgen.Issued, crlIssuer *pkix.Name) *certgen.Issued {
		tmpl := certgen.EETemplate("tls13-iot", sub)
		tmpl.SetExtension(crlDP(t, "http://crl.example.com/device-ca.crl", crlIssuer))
		return issue(t, tmpl)
	}
	other := pkix.Name{CommonName: "Example CRL Issuer", Organization: []string{"Example Devices Ltd"}, Country: []string{"DE"}}

	rootNoCRLSignTmpl := certgen.RootTemplate()
	rootNoCRLSignTmpl.KeyUsage = x509.KeyUsageCertSign
	rootNoCRLSign := issue(t, rootNoCRLSignTmpl)
	subTmpl := certgen.SubTemplate(rootNoCRLSign)
	subTmpl.SetExtension(crlDP(t, "http://crl.example.com/root.crl", nil))
	subWithDP := issue(t, subTmpl)

	c := func(name string, i *certgen.Issued) cert { return cert{name, i.DER()} }
	for _, tc := range []struct {
		name  string
		certs []cert
		want  map[string][]string
	}{
		{"sub without cRLSign issues CRLs", []cert{c("root", root), c("sub", noCRLSign), c("ee", eeWith(noCRLSign, nil)), c("ee2", eeWith(noCRLSign, nil))},
			map[string][]string{"sub": {bundle.CRLSignIssuesCRLs}}},
		{"CRL signed by another issuer", []cert{c("root", root), c("sub", noCRLSign), c("ee", eeWith(noCRLSign, &other))}, nil},
		{"no CRL distribution point", []cert{c("root", root), c("sub", noCRLSign), c("ee", issue(t, certgen.EETemplate("tls13-iot", noCRLSign)))}, nil},
		{"sub with cRLSign", []cert{c("root", root), c("sub", withCRLSign), c("ee", eeWith(withCRLSign, nil))}, nil},
		{"root without cRLSign issues CRLs", []cert{c("root", rootNoCRLSign), c("sub", subWithDP)},
			map[string][]string{"root": {bundle.CRLSignIssuesCRLs}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertFindings(t, runBundle(t, "tls13-iot", bundle.Options{}, tc.certs, nil).findings, tc.want)
		})
	}
	// Not under Matter, whose e_matter_ca_ku requires cRLSign on every CA.
	got := runBundle(t, "matter", bundle.Options{}, []cert{c("root", root), c("sub", noCRLSign), c("ee", eeWith(noCRLSign, nil))}, nil)
	for _, f := range got.findings["sub"] {
		if f == bundle.CRLSignIssuesCRLs {
			t.Errorf("matter: %s reported", f)
		}
	}
}
