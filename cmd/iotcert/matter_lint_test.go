package main

import (
	"encoding/asn1"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/matter"
	"github.com/iotcert/iotcert/profile"
)

// matterChain issues a conforming PAA, PAI and DAC, with rewrites applied
// to the DAC.
func matterChain(t *testing.T, dacRewrites ...certgen.Rewrite) (paa, pai, dac []byte) {
	t.Helper()
	must := func(i *certgen.Issued, err error) *certgen.Issued {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	a := must(certgen.Issue(certgen.MatterPAATemplate()))
	i := must(certgen.Issue(certgen.MatterPAITemplate(a)))
	d := must(certgen.Issue(certgen.MatterDACTemplate(i), dacRewrites...))
	return a.DER(), i.DER(), d.DER()
}

// lintMatterFindings lints data under the matter profile and returns the
// exit status and, per certificate index, its role and sorted findings.
func lintMatterFindings(t *testing.T, data []byte, extra ...string) (int, []string) {
	t.Helper()
	f := writeFile(t, "chain.pem", data)
	args := append([]string{"lint", "--profile", "matter", "--format", "json", "--at", "2026-01-01T00:00:00Z"}, extra...)
	code, out, errOut := iotcert(t, "", append(args, f)...)
	var rep profile.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s\n%s", err, out, errOut)
	}
	var got []string
	for _, c := range rep.Certificates {
		var names []string
		for _, f := range c.Findings {
			names = append(names, f.Lint)
		}
		sort.Strings(names)
		got = append(got, c.Role+": "+strings.Join(names, " "))
	}
	return code, got
}

// TestLintMatterTrailingByte: a DAC whose DER is followed by one 0x00 (as
// in the SDK's fuzzed vectors) is judged, with the trailing byte a finding
// of its own (issue 12 item 10).
func TestLintMatterTrailingByte(t *testing.T) {
	paa, pai, dac := matterChain(t)
	code, got := lintMatterFindings(t, pemOf(paa, pai, append(dac, 0x00)))
	want := []string{"root: ", "subordinate: ", "end-entity: e_iotcert_trailing_data"}
	if code != 1 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, findings\n  %s\nwant exit 1,\n  %s", code, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestLintMatterUndecodableExtension: a DAC with an extension whose value
// does not decode is judged by every lint that can read the rest, with an
// error naming the extension (issue 12 item 11).
func TestLintMatterUndecodableExtension(t *testing.T) {
	null := []byte{0x05, 0x00}
	for _, tc := range []struct {
		name string
		oid  asn1.ObjectIdentifier
		code int
		want string
	}{
		// zcrypto refuses the certificate: judged with the SKID's content
		// left out (zlint then finds no SKID).
		{"subjectKeyIdentifier", asn1.ObjectIdentifier{2, 5, 29, 14}, 1,
			"end-entity: e_iotcert_extension_undecodable e_matter_skid w_ext_subject_key_identifier_missing_sub_cert"},
		// zcrypto leaves keyUsage empty; zlint's e_incorrect_ku_encoding
		// says fatal when the value does not decode.
		{"keyUsage", asn1.ObjectIdentifier{2, 5, 29, 15}, 2,
			"end-entity: e_ext_key_usage_without_bits e_incorrect_ku_encoding e_iotcert_extension_undecodable e_key_usage_incorrect_length e_matter_dac_ku e_superfluous_ku_encoding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paa, pai, dac := matterChain(t, func(tbs *certgen.TBS) {
				e := tbs.Extension(tc.oid)
				e.Value = null
			})
			code, got := lintMatterFindings(t, pemOf(paa, pai, dac))
			want := []string{"root: ", "subordinate: ", tc.want}
			if code != tc.code || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("exit %d, findings\n  %s\nwant exit %d,\n  %s", code, strings.Join(got, "\n  "), tc.code, strings.Join(want, "\n  "))
			}
		})
	}
}

// TestLintMatterRoleByPosition: a DAC with cA=TRUE in the place of a DAC
// is linted as a DAC (e_matter_dac_bc), not as a PAI (issue 12 item 12).
func TestLintMatterRoleByPosition(t *testing.T) {
	paa, err := certgen.Issue(certgen.MatterPAATemplate())
	if err != nil {
		t.Fatal(err)
	}
	pai, err := certgen.Issue(certgen.MatterPAITemplate(paa))
	if err != nil {
		t.Fatal(err)
	}
	dacT := certgen.MatterDACTemplate(pai)
	dacT.IsCA = true
	dac, err := certgen.Issue(dacT)
	if err != nil {
		t.Fatal(err)
	}
	code, got := lintMatterFindings(t, pemOf(paa.DER(), pai.DER(), dac.DER()))
	want := []string{"root: ", "subordinate: ", "end-entity: e_matter_chain_role e_matter_dac_bc"}
	if code != 1 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, findings\n  %s\nwant exit 1,\n  %s", code, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestLintMatterCD checks a conforming DAC chain against Certification
// Declarations, good and each way broken (issue 12 item 14): the findings
// on the DAC and the exit status.
func TestLintMatterCD(t *testing.T) {
	paaT := certgen.MatterPAATemplate()
	paa, err := certgen.Issue(paaT)
	if err != nil {
		t.Fatal(err)
	}
	pai, err := certgen.Issue(certgen.MatterPAITemplate(paa))
	if err != nil {
		t.Fatal(err)
	}
	dac, err := certgen.Issue(certgen.MatterDACTemplate(pai))
	if err != nil {
		t.Fatal(err)
	}
	chain := writeFile(t, "chain.pem", pemOf(paa.DER(), pai.DER(), dac.DER()))
	signer, err := certgen.Issue(certgen.MatterCDSignerTemplate())
	if err != nil {
		t.Fatal(err)
	}
	other, err := certgen.Issue(certgen.MatterCDSignerTemplate())
	if err != nil {
		t.Fatal(err)
	}
	// testKey stands for the SDK's test CD signing certificate: its key
	// ID is the one the SDK's IsCdTestKey knows.
	testKeyT := certgen.MatterCDSignerTemplate()
	testKeyT.SubjectKeyId = matter.SDKTestCDSigningKeyID
	testKey, err := certgen.Issue(testKeyT)
	if err != nil {
		t.Fatal(err)
	}
	trust := writeFile(t, "cd-signer.pem", pemOf(signer.DER(), testKey.DER()))
	cdFileBy := func(edit func(cd *certgen.MatterCD), by *certgen.Issued, keyID []byte) string {
		cd := certgen.MatterCDTemplate()
		if edit != nil {
			edit(cd)
		}
		der, err := certgen.SignMatterCD(cd.TLV(), by.Key, keyID)
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(t, "cd.der", der)
	}
	cdFile := func(edit func(cd *certgen.MatterCD), by *certgen.Issued) string {
		return cdFileBy(edit, by, signer.Cert.SubjectKeyId)
	}
	official := func(cd *certgen.MatterCD) { cd.CertificationType = matter.CertificationOfficial }
	provisional := func(cd *certgen.MatterCD) { cd.CertificationType = matter.CertificationProvisional }
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		want  string
		noTrs bool
	}{
		{name: "good", args: []string{"--matter-cd", cdFile(nil, signer), "--matter-product", "0xFFF1:0x8000"}, want: ""},
		{name: "good, signature not verified", args: []string{"--matter-cd", cdFile(nil, signer)}, noTrs: true, want: "n_matter_cd_signature_unverified"},
		{name: "signed by another key", args: []string{"--matter-cd", cdFile(nil, other)}, code: 1, want: "e_matter_cd_signature"},
		{name: "vendor_id", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.VendorID = 0xFFF2 }, signer)}, code: 1, want: "e_matter_cd_chain e_matter_cd_chain"},
		{name: "product_id_array", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.ProductIDs = []uint16{0x8001} }, signer)}, code: 1, want: "e_matter_cd_chain"},
		{name: "dac_origin", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.DACOrigin = &[2]uint16{0xFFF1, 0x8001} }, signer)}, code: 1, want: "e_matter_cd_chain"},
		{name: "dac_origin matches", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.VendorID, cd.DACOrigin = 0xFFF2, &[2]uint16{0xFFF1, 0x8000} }, signer)}, want: ""},
		{name: "authorized_paa_list", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.AuthorizedPAAs = [][]byte{make([]byte, 20)} }, signer)}, code: 1, want: "e_matter_cd_chain"},
		{name: "authorized_paa_list names the PAA", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.AuthorizedPAAs = [][]byte{make([]byte, 20), paa.Cert.SubjectKeyId} }, signer)}, want: ""},
		{name: "format_version", args: []string{"--matter-cd", cdFile(func(cd *certgen.MatterCD) { cd.FormatVersion = 2 }, signer)}, code: 1, want: "e_matter_cd_content"},
		{name: "Basic Information PID", args: []string{"--matter-cd", cdFile(nil, signer), "--matter-product", "0xFFF1:0x8001"}, code: 1, want: "e_matter_cd_product"},
		{name: "official, signed with the test key", args: []string{"--matter-cd", cdFileBy(official, testKey, testKey.Cert.SubjectKeyId)}, code: 1, want: "e_matter_cd_test_key"},
		{name: "official, signed with another key", args: []string{"--matter-cd", cdFile(official, signer)}, want: ""},
		{name: "development, signed with the test key", args: []string{"--matter-cd", cdFileBy(nil, testKey, testKey.Cert.SubjectKeyId)}, want: ""},
		{name: "provisional, signed with the test key", args: []string{"--matter-cd", cdFileBy(provisional, testKey, testKey.Cert.SubjectKeyId)}, want: "w_matter_cd_test_key_provisional"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"lint", "--profile", "matter", "--format", "json", "--at", "2026-01-01T00:00:00Z"}
			if !tc.noTrs {
				args = append(args, "--matter-cd-trust", trust)
			}
			code, out, errOut := iotcert(t, "", append(append(args, tc.args...), chain)...)
			var rep profile.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("JSON report: %v\n%s\n%s", err, out, errOut)
			}
			var names []string
			for _, f := range rep.Certificates[2].Findings {
				names = append(names, f.Lint)
				if strings.HasPrefix(f.Lint, "e_matter_cd") && !strings.Contains(f.Citation, "DefaultDeviceAttestationVerifier.cpp") {
					t.Errorf("%s cites %q", f.Lint, f.Citation)
				}
			}
			sort.Strings(names)
			if code != tc.code || strings.Join(names, " ") != tc.want {
				t.Errorf("exit %d, DAC findings %q; want exit %d, %q", code, names, tc.code, tc.want)
			}
		})
	}
	// --matter-cd-trust without a certificate is a usage error, not a
	// signature that verifies with no key.
	empty := t.TempDir()
	code, out, errOut := iotcert(t, "", "lint", "--profile", "matter", "--matter-cd", cdFile(nil, signer), "--matter-cd-trust", empty, chain)
	if want := "iotcert lint: --matter-cd-trust: no certificate found in " + empty + ": 0 inputs read (0 bytes)\n"; code != exitUsage || out != "" || errOut != want {
		t.Errorf("--matter-cd-trust %s: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", empty, code, out, errOut, exitUsage, want)
	}
}

// TestLintMatterCDUsage: the CD flags are refused outside matter, and a
// CD that does not decode is a usage error that names the file.
func TestLintMatterCDUsage(t *testing.T) {
	bad := writeFile(t, "cd.der", []byte{0x30, 0x00})
	chain := filepath.Join(certs, "tls13-iot", "chain.pem")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--profile", "tls13-iot", "--matter-cd", bad}, `iotcert lint: --matter-cd: profile "tls13-iot" is not matter`},
		{[]string{"--profile", "matter", "--matter-product", "0xFFF1:0x8000"}, "iotcert lint: --matter-cd-trust and --matter-product need --matter-cd"},
		{[]string{"--profile", "matter", "--matter-cd", bad}, "iotcert lint: --matter-cd " + bad + ": certification declaration: not a CMS ContentInfo: "},
	} {
		code, _, errOut := iotcert(t, "", append(append([]string{"lint"}, tc.args...), chain)...)
		if code != exitUsage || !strings.HasPrefix(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}
