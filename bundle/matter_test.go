package bundle_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
)

func TestMatterChainChecks(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		make    func(t *testing.T) []cert
		want    map[string][]string
	}{
		{name: "conforming", profile: "matter", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			pai := issue(t, certgen.MatterPAITemplate(paa))
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, certgen.MatterDACTemplate(pai)).DER()}}
		}},
		{name: "DAC VID and PID differ from the PAI's", profile: "matter", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			paiT := certgen.MatterPAITemplate(paa)
			paiT.Subject = certgen.MatterName("PAI", certgen.MatterVID, certgen.MatterPID)
			pai := issue(t, paiT)
			dac := certgen.MatterDACTemplate(pai)
			dac.Subject = certgen.MatterName("DAC", "FFF2", "8001")
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, dac).DER()}}
		}, want: map[string][]string{"dac": {"e_matter_chain_vidpid", "e_matter_chain_vidpid"}}},
		{name: "DAC with an empty first VID attribute and the PAI's VID second", profile: "matter", make: func(t *testing.T) []cert {
			// The SDK refuses a DN with an empty or repeated VID; the chain
			// check reads the first attribute, as the lints do (one reader).
			paa := issue(t, certgen.MatterPAATemplate())
			pai := issue(t, certgen.MatterPAITemplate(paa))
			dac := certgen.MatterDACTemplate(pai)
			dac.Subject = certgen.MatterName("DAC", "", certgen.MatterPID)
			dac.Subject.ExtraNames = append([]pkix.AttributeTypeAndValue{
				{Type: certgen.OIDMatterVID, Value: asn1.RawValue{Tag: asn1.TagUTF8String}},
				{Type: certgen.OIDMatterVID, Value: asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(certgen.MatterVID)}},
			}, dac.Subject.ExtraNames...)
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, dac).DER()}}
		}, want: map[string][]string{"dac": {"e_matter_chain_vidpid"}}},
		{name: "PAI VID differs from the PAA's", profile: "matter", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			paiT := certgen.MatterPAITemplate(paa)
			paiT.Subject = certgen.MatterName("PAI", "FFF2", "")
			pai := issue(t, paiT)
			dac := certgen.MatterDACTemplate(pai)
			dac.Subject = certgen.MatterName("DAC", "FFF2", certgen.MatterPID)
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, dac).DER()}}
		}, want: map[string][]string{"pai": {"e_matter_chain_vidpid"}}},
		{name: "DAC directly under the PAA", profile: "matter", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			return []cert{{"paa", paa.DER()}, {"dac", issue(t, certgen.MatterDACTemplate(paa)).DER()}}
		}, want: map[string][]string{"dac": {"e_matter_chain_shape"}}},
		{name: "two CAs between DAC and PAA", profile: "matter", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			ica := issue(t, certgen.MatterPAITemplate(paa))
			paiT := certgen.MatterPAITemplate(ica)
			pai := issue(t, paiT)
			return []cert{{"paa", paa.DER()}, {"ica", ica.DER()}, {"pai", pai.DER()}, {"dac", issue(t, certgen.MatterDACTemplate(pai)).DER()}}
		}, want: map[string][]string{"dac": {"e_matter_chain_shape"}}},
		{name: "DAC issued before its PAI", profile: "matter", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			paiT := certgen.MatterPAITemplate(paa)
			paiT.NotBefore = certgen.Epoch.AddDate(1, 0, 0)
			pai := issue(t, paiT)
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, certgen.MatterDACTemplate(pai)).DER()}}
		}, want: map[string][]string{"dac": {"e_matter_chain_at_issuance", "w_chain_validity_outside_issuer"}}},
		{name: "not under the matter profile", profile: "tls13-iot", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			return []cert{{"paa", paa.DER()}, {"dac", issue(t, certgen.MatterDACTemplate(paa)).DER()}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runBundle(t, tc.profile, bundle.Options{}, tc.make(t), nil)
			assertFindings(t, got.findings, tc.want)
		})
	}
}

// TestMatterRoleByPosition: under matter the role comes from the place in
// a PAA → PAI → DAC chain, not from the cA flag (issue 12 item 12).
func TestMatterRoleByPosition(t *testing.T) {
	tests := []struct {
		name      string
		make      func(t *testing.T) []cert
		wantRoles map[string]string
		want      map[string][]string
	}{
		{name: "DAC with cA=TRUE", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			pai := issue(t, certgen.MatterPAITemplate(paa))
			dac := certgen.MatterDACTemplate(pai)
			dac.IsCA = true
			dac.KeyUsage |= x509.KeyUsageCertSign
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, dac).DER()}}
		}, wantRoles: map[string]string{"paa": "root", "pai": "subordinate", "dac": "end-entity"},
			want: map[string][]string{"dac": {"e_matter_chain_role"}}},
		{name: "PAI without cA", make: func(t *testing.T) []cert {
			paa := issue(t, certgen.MatterPAATemplate())
			paiT := certgen.MatterPAITemplate(paa)
			paiT.IsCA = false
			paiT.MaxPathLen, paiT.MaxPathLenZero = 0, false
			pai := issue(t, paiT)
			return []cert{{"paa", paa.DER()}, {"pai", pai.DER()}, {"dac", issue(t, certgen.MatterDACTemplate(pai)).DER()}}
		}, wantRoles: map[string]string{"paa": "root", "pai": "subordinate", "dac": "end-entity"},
			// No path validates through a PAI that is not a CA (RFC 5280 §6.1.4 (k)).
			want: map[string][]string{"pai": {"e_matter_chain_role"}, "dac": {"e_chain_no_valid_path"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runBundle(t, "matter", bundle.Options{}, tc.make(t), nil)
			assertFindings(t, got.findings, tc.want)
			for name, want := range tc.wantRoles {
				if got.roles[name] != want {
					t.Errorf("%s: role %q, want %q", name, got.roles[name], want)
				}
			}
		})
	}
}
