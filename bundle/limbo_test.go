package bundle_test

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// The x509-limbo conformance run (C2SP's path-validation suite, the one Go's
// crypto/x509 runs). The suite is a Go module without packages; like Go's
// own crypto/x509 tests, the test finds it in the module cache with
// "go mod download", so go.mod does not require it.
const (
	limboModule = "github.com/C2SP/x509-limbo"
	limboVer    = "v0.0.0-20260522003327-feb7caccc1af"
	// limboMinAgreement is the share of judged testcases on which the gate
	// must agree with the suite; raise it as the gate improves.
	limboMinAgreement = 0.95
)

// limboFamilies are the testcase families (id prefixes) a bundle gate is
// asked about.
var limboFamilies = []string{"rfc5280", "pathlen", "pathological", "webpki", "cve", "invalid"}

// limboSkip is the one place that says which testcases the gate is not
// asked about, and why: a testcase is skipped when one of these matches.
// Every remaining disagreement is listed in docs/bundle.md.
var limboSkip = []struct {
	reason string
	match  func(tc *limboCase) bool
}{
	{"revocation (CRLs): a bundle gate does not check revocation", func(tc *limboCase) bool { return len(tc.CRLs) > 0 }},
	{"maximum chain depth: a verifier setting, not a property of the bundle", func(tc *limboCase) bool { return tc.MaxChainDepth != nil }},
	{"extended key usage policy: what the peer is used for is the relying party's choice", func(tc *limboCase) bool {
		return len(tc.ExtendedKeyUsage) > 0 || strings.Contains(tc.ID, "::eku::") || slices.Contains(tc.Features, "pedantic-webpki-eku")
	}},
	{"expected peer name: a bundle gate does not know which name the peer is reached by", func(tc *limboCase) bool {
		return len(tc.ExpectedPeerNames) > 0 || strings.HasPrefix(tc.ID, "webpki::san::") || strings.HasPrefix(tc.ID, "webpki::cn::") ||
			tc.ID == "rfc5280::ca-as-leaf-wrong-san"
	}},
	{"conflicts with an rfc5280 testcase (conflicts_with): the pkix profile takes RFC 5280's side where the WebPKI differs", func(tc *limboCase) bool {
		return strings.HasPrefix(tc.ID, "webpki::") && slices.ContainsFunc(tc.ConflictsWith, func(id string) bool { return strings.HasPrefix(id, "rfc5280::") })
	}},
	{"CA/Browser Forum certificate profile rules (Baseline Requirements §7.1.2), not RFC 5280's: the pkix profile is RFC 5280 alone", func(tc *limboCase) bool {
		return slices.Contains([]string{
			"webpki::aki::root-with-aki-missing-keyidentifier", // BR §7.1.2.1.3
			"webpki::aki::root-with-aki-authoritycertissuer",   // BR §7.1.2.1.3
			"webpki::aki::root-with-aki-authoritycertserialnumber",
			"webpki::aki::root-with-aki-all-fields",
			"webpki::ee-basicconstraints-ca", // BR §7.1.2.7.8
		}, tc.ID)
	}},
	{"WebPKI-only algorithm policy (key sizes, curves, DSA, explicit curves)", func(tc *limboCase) bool {
		return strings.HasPrefix(tc.ID, "webpki::forbidden-") || tc.ID == "webpki::explicit-curve"
	}},
}

// limboCase is the part of a limbo testcase the run reads (limbo-schema.json).
type limboCase struct {
	ID                     string            `json:"id"`
	Features               []string          `json:"features"`
	ConflictsWith          []string          `json:"conflicts_with"`
	TrustedCerts           []string          `json:"trusted_certs"`
	UntrustedIntermediates []string          `json:"untrusted_intermediates"`
	PeerCertificate        string            `json:"peer_certificate"`
	ValidationTime         *time.Time        `json:"validation_time"`
	ExtendedKeyUsage       []string          `json:"extended_key_usage"`
	ExpectedResult         string            `json:"expected_result"`
	ExpectedPeerNames      []json.RawMessage `json:"expected_peer_names"`
	MaxChainDepth          *int              `json:"max_chain_depth"`
	CRLs                   []string          `json:"crls"`
}

// limboDir returns the directory of the x509-limbo module, or skips the
// test (fails it when CI is set) when it cannot be had.
func limboDir(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", limboModule+"@"+limboVer).Output()
	var m struct{ Dir, Error string }
	if err == nil {
		err = json.Unmarshal(out, &m)
	}
	if err == nil && m.Error != "" {
		err = fmt.Errorf("%s", m.Error)
	}
	if err != nil || m.Dir == "" {
		msg := fmt.Sprintf("x509-limbo %s unavailable: %v", limboVer, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return m.Dir
}

func loadLimbo(t testing.TB) []limboCase {
	t.Helper()
	f, err := os.Open(filepath.Join(limboDir(t), "limbo.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var suite struct {
		Testcases []limboCase `json:"testcases"`
	}
	if err := json.NewDecoder(f).Decode(&suite); err != nil {
		t.Fatalf("limbo.json: %v", err)
	}
	return suite.Testcases
}

// pemItems yields the PEM certificates as certio items named name[i].
func pemItems(t testing.TB, name string, pems []string) iter.Seq[certio.Item] {
	var list []certio.Item
	for i, p := range pems {
		b, _ := pem.Decode([]byte(p))
		if b == nil {
			t.Fatalf("%s[%d]: not PEM", name, i)
		}
		list = append(list, certio.Item{Origin: certio.Origin{File: name, Index: i}, DER: b.Bytes})
	}
	return slices.Values(list)
}

// chainView is what chain building decides in results: roles, paths and
// findings, without the details of the certificate lints (some of zlint's
// list a certificate's key usages in map order).
func chainView(results []profile.Result) []profile.Result {
	out := make([]profile.Result, len(results))
	for i, r := range results {
		r.Findings = slices.Clone(r.Findings)
		for j, f := range r.Findings {
			if f.Source != bundle.Source {
				r.Findings[j].Details = ""
			}
		}
		out[i] = r
	}
	return out
}

// limboVerdict runs the gate over one testcase: the trusted certificates
// as --trust anchors, the intermediates and the peer as the bundle, at the
// validation time, with the pkix profile. The gate fails the peer when it
// has an error-level finding (its path verdict included) or when a
// certificate of its chosen path (Result.Path) has one: the gate then
// fails the chain the peer is validated through. It returns the verdict
// and the findings behind it.
func limboVerdict(t testing.TB, p *profile.Profile, tc *limboCase) (fails bool, why []string) {
	// One instant for both runs below: read twice, the clock could cross
	// a second between them and the path details, which name the time,
	// would differ.
	at := time.Now()
	if tc.ValidationTime != nil {
		at = *tc.ValidationTime
	}
	opts := bundle.Options{Profiles: []string{"pkix"}, Clock: func() time.Time { return at }}
	input := append(slices.Clone(tc.UntrustedIntermediates), tc.PeerCertificate)
	results, _, err := bundle.Run(p, pemItems(t, "bundle", input), pemItems(t, "trust", tc.TrustedCerts), opts)
	if err != nil {
		return true, []string{err.Error()}
	}
	// lint runs through Spool, which keeps end entities on disk: the same
	// results.
	spool, err := bundle.Spool(p, pemItems(t, "bundle", input), pemItems(t, "trust", tc.TrustedCerts), opts)
	if err != nil {
		t.Fatal(err)
	}
	var replayed []profile.Result
	for r, err := range spool.Results() {
		if err != nil {
			t.Fatal(err)
		}
		replayed = append(replayed, r)
	}
	spool.Close()
	if got, want := chainView(replayed), chainView(results); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: Spool's results differ from Run's:\n got %+v\nwant %+v", tc.ID, got, want)
	}
	bySHA := map[string]*profile.Result{}
	for i := range results {
		bySHA[results[i].SHA256] = &results[i]
	}
	peer := &results[len(results)-1]
	chain := []*profile.Result{peer}
	if peer.Path != nil {
		for _, c := range peer.Path.Chain {
			if r, ok := bySHA[c.SHA256]; ok && r != peer {
				chain = append(chain, r)
			}
		}
	}
	for _, r := range chain {
		for _, f := range r.Findings {
			if f.Level >= profile.Error {
				why = append(why, r.Subject+": "+f.Lint+": "+f.Details)
			}
		}
	}
	return len(why) > 0, why
}

// TestLimbo runs the x509-limbo testcases a bundle gate is asked about and
// compares the verdict on the peer certificate with the expected result.
func TestLimbo(t *testing.T) {
	cases := loadLimbo(t)
	p, err := profile.Default("pkix")
	if err != nil {
		t.Fatal(err)
	}
	var judged, agree, skipped int
	var disagree []string
	for i := range cases {
		tc := &cases[i]
		if !slices.Contains(limboFamilies, strings.SplitN(tc.ID, "::", 2)[0]) {
			continue
		}
		if reason := limboSkipReason(tc); reason != "" {
			skipped++
			continue
		}
		judged++
		fails, why := limboVerdict(t, p, tc)
		if fails == (tc.ExpectedResult == "FAILURE") {
			agree++
			continue
		}
		disagree = append(disagree, fmt.Sprintf("%s: want %s, got %v %q", tc.ID, tc.ExpectedResult, map[bool]string{true: "FAILURE", false: "SUCCESS"}[fails], why))
	}
	for _, d := range disagree {
		t.Logf("disagree: %s", d)
	}
	share := float64(agree) / float64(max(judged, 1))
	t.Logf("x509-limbo %s: judged %d, agree %d (%.1f%%), skipped %d", limboVer, judged, agree, 100*share, skipped)
	if share < limboMinAgreement {
		t.Errorf("agreement %.1f%% is below %.0f%%", 100*share, 100*limboMinAgreement)
	}
}

func limboSkipReason(tc *limboCase) string {
	for _, s := range limboSkip {
		if s.match(tc) {
			return s.reason
		}
	}
	return ""
}
