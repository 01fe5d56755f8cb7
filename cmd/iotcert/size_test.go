package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/c509"
)

// TestSizeSampleBundle sizes the sample bundle: 8 certificates, one chain
// per end entity (device ← device CA ← root), the Certificate message
// without the trust anchor holding the device and the device CA (RFC 8446
// §4.4.2: 4 bytes of header and 5 per entry). With a budget one byte below
// the largest chain, that chain does not fit (exit 1); at its size all fit.
func TestSizeSampleBundle(t *testing.T) {
	bundlePEM := filepath.Join(certs, "sample-bundle.pem")
	ders := readDER(t, bundlePEM)
	largest := 0
	for i := 2; i < len(ders); i++ {
		largest = max(largest, 4+5+len(ders[i])+5+len(ders[1]))
	}
	budget := fmt.Sprint(largest - 1)
	code, out, errOut := iotcert(t, "", "size", "--format", "json", "--budget", budget, bundlePEM)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (the largest chain is over %s bytes)\n%s", code, budget, errOut)
	}
	var rep sizeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Certificates) != 8 || len(rep.Chains) != 6 || rep.Budget == nil || rep.Budget.Bytes != largest-1 {
		t.Fatalf("%d certificates, %d chains, budget %v; want 8, 6, %d", len(rep.Certificates), len(rep.Chains), rep.Budget, largest-1)
	}
	for i, ch := range rep.Chains {
		leaf := ch.Certificates[0]
		if len(ch.Certificates) != 3 || ch.Certificates[1] != 1 || ch.Certificates[2] != 0 || !ch.Anchored || leaf != i+2 {
			t.Fatalf("chain %d: %v, anchored %v; want [%d 1 0], anchored", i, ch.Certificates, ch.Anchored, i+2)
		}
		want := 4 + 5 + len(ders[leaf]) + 5 + len(ders[1])
		if ch.WithoutAnchor.DER.Plain != want || ch.WithAnchor.DER.Plain != want+5+len(ders[0]) {
			t.Errorf("chain %d: DER %d / %d, want %d / %d", i, ch.WithoutAnchor.DER.Plain, ch.WithAnchor.DER.Plain, want, want+5+len(ders[0]))
		}
		var c509Want int
		for _, j := range ch.Certificates[:2] {
			c, err := c509.Encode(ders[j])
			if err != nil {
				t.Fatal(err)
			}
			c509Want += 5 + len(c) - 1
		}
		if ch.WithoutAnchor.C509 == nil || ch.WithoutAnchor.C509.Plain != 4+c509Want {
			t.Errorf("chain %d: C509 %v, want %d", i, ch.WithoutAnchor.C509, 4+c509Want)
		}
		if ch.Fits["der"] != (want < largest) || !ch.Fits["c509"] {
			t.Errorf("chain %d (%d bytes): fits %v", i, want, ch.Fits)
		}
	}
	if code, _, _ := iotcert(t, "", "size", "--budget", fmt.Sprint(largest), bundlePEM); code != exitOK {
		t.Errorf("--budget %d: exit %d, want 0", largest, code)
	}
}

// TestSizeText checks the text report's shape and the usage errors.
func TestSizeText(t *testing.T) {
	bundlePEM := filepath.Join(certs, "sample-bundle.pem")
	code, out, _ := iotcert(t, "", "size", bundlePEM)
	if code != exitOK || !strings.Contains(out, "chain #2 ← #1 ← #0 (3 certificates, ends at a trust anchor)") ||
		!strings.Contains(out, "without trust anchor") || strings.Contains(out, "budget") {
		t.Errorf("exit %d\n%s", code, out)
	}
	v1 := filepath.Join(certs, "cases", "e_r7925_table1_version.pem")
	_, out, _ = iotcert(t, "", "size", v1)
	if !strings.Contains(out, "#0: no C509: cannot represent version: a version 1 certificate") {
		t.Errorf("refused certificate not explained:\n%s", out)
	}
	for _, args := range [][]string{
		{"size"}, {"size", "--budget", "coap-block-64", bundlePEM}, {"size", "--format", "xml", bundlePEM},
	} {
		if code, _, _ := iotcert(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := iotcert(t, "", "help", "size"); code != exitOK || !strings.Contains(out, "dtls13-record (1024), coap-block-512 (512), coap-block-1024 (1024)") {
		t.Errorf("help size: exit %d\n%s", code, out)
	}
	garbage := writeFile(t, "garbage.der", []byte{0x30, 0x82, 0x01})
	if code, _, errOut := iotcert(t, "", "size", bundlePEM, garbage); code != exitUsage || !strings.Contains(errOut, garbage) {
		t.Errorf("garbage: exit %d %q", code, errOut)
	}
}

// TestSizeTrust: a chain file without its root and --trust root.pem gives
// one anchored chain whose message with the trust anchor holds the root.
func TestSizeTrust(t *testing.T) {
	dir := filepath.Join(certs, "tls13-iot")
	ee, sub, root := readDER(t, filepath.Join(dir, "ee.pem")), readDER(t, filepath.Join(dir, "sub.pem")), readDER(t, filepath.Join(dir, "root.pem"))
	chain := writeFile(t, "chain.der", append(append([]byte{}, ee[0]...), sub[0]...))
	code, out, errOut := iotcert(t, "", "size", "--format", "json", "--trust", filepath.Join(dir, "root.pem"), chain)
	var rep sizeReport
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, errOut)
	}
	without := 4 + 5 + len(ee[0]) + 5 + len(sub[0])
	if len(rep.Certificates) != 3 || len(rep.Chains) != 1 || !rep.Chains[0].Anchored || len(rep.Chains[0].Certificates) != 3 ||
		rep.Chains[0].WithoutAnchor.DER.Plain != without || rep.Chains[0].WithAnchor.DER.Plain != without+5+len(root[0]) {
		t.Errorf("report: %s", out)
	}
	code, out, _ = iotcert(t, "", "size", "--format", "json", chain)
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || len(rep.Chains) != 1 || rep.Chains[0].Anchored ||
		rep.Chains[0].WithAnchor.DER.Plain != without {
		t.Errorf("without --trust: exit %d %s", code, out)
	}
}

// TestSizeProfile checks --profile: the size budget of the profile (here
// a rules file's) is applied as the lint's size checks apply it, over the
// sample bundle's first chain (device 500 bytes of DER and 285 of C509,
// device CA 505 and 277; the Certificate message without the root is
// 1,019 bytes in DER, 576 in C509).
func TestSizeProfile(t *testing.T) {
	rules := writeFile(t, "rules.yaml", []byte(`
profiles:
  fits:
    extends: tls13-iot
    size_budget: {chain: 576, certificate: 285, encoding: c509}
  over:
    extends: tls13-iot
    size_budget: {chain: coap-block-512, encoding: c509}
  der-over:
    extends: tls13-iot
    size_budget: {certificate: 504}
`))
	chain := writeFile(t, "chain.pem", pemOf(readDER(t, filepath.Join(certs, "sample-bundle.pem"))[:3]...))
	for _, tc := range []struct {
		profile string
		code    int
		over    []overBudget
	}{
		{"fits", exitOK, []overBudget{}},
		{"over", exitFindings, []overBudget{{2, "w_chain_size_budget", "the Certificate message of its chain (2 certificates, without the trust anchor) is 576 bytes in C509, over the budget coap-block-512 (512 bytes) by 64"}}},
		{"der-over", exitFindings, []overBudget{{1, "w_chain_cert_size_budget", "505 bytes in DER, over the budget 504 bytes by 1"}}},
	} {
		code, out, errOut := iotcert(t, "", "size", "--format", "json", "--rules", rules, "--profile", tc.profile, chain)
		var rep sizeReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != tc.code {
			t.Fatalf("%s: exit %d, want %d, %v\n%s%s", tc.profile, code, tc.code, err, out, errOut)
		}
		if rep.Profile == nil || rep.Profile.Profile != tc.profile || !reflect.DeepEqual(rep.Profile.Over, tc.over) {
			t.Errorf("%s: profile budget %+v, want over %+v", tc.profile, rep.Profile, tc.over)
		}
	}
	// Text: the profile's budget and what exceeds it.
	code, out, _ := iotcert(t, "", "size", "--rules", rules, "--profile", "over", chain)
	want := "\nprofile over size budget, in c509: chain coap-block-512 (512 bytes), without the trust anchor\n" +
		"  #2 w_chain_size_budget: the Certificate message of its chain (2 certificates, without the trust anchor) is 576 bytes in C509, over the budget coap-block-512 (512 bytes) by 64\n"
	if code != exitFindings || !strings.HasSuffix(out, want) {
		t.Errorf("exit %d; text report ends\n%s\nwant\n%s", code, out[max(0, len(out)-400):], want)
	}
	// The default profile sets no budget: no profile_budget, exit 0.
	code, out, _ = iotcert(t, "", "size", "--format", "json", chain)
	if code != exitOK || strings.Contains(out, "profile_budget") {
		t.Errorf("tls13-iot: exit %d\n%s", code, out)
	}
	if code, _, errOut := iotcert(t, "", "size", "--profile", "nope", chain); code != exitUsage || !strings.Contains(errOut, `unknown profile "nope"`) {
		t.Errorf("--profile nope: exit %d: %s", code, errOut)
	}
}
