package bundle_test

import (
	"slices"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
)

// sampleChain returns the first chain of the sample bundle: its root (504
// bytes of DER, 229 of C509), device CA (505, 277) and device (500, 285).
// The Certificate message of root, CA and device is 1,528 bytes in DER;
// without the root 1,019 in DER and 576 in C509 (iotcert size).
func sampleChain(t *testing.T) []cert {
	t.Helper()
	var out []cert
	for it := range certio.Read([]string{"../testdata/certs/sample-bundle.pem"}, nil) {
		if it.Err != nil {
			t.Fatal(it.Err)
		}
		out = append(out, cert{name: []string{"root", "ca", "device"}[len(out)], der: it.DER})
		if len(out) == 3 {
			break
		}
	}
	return out
}

func budget(t *testing.T, s string) *c509.Budget {
	t.Helper()
	b, err := c509.ParseBudget(s)
	if err != nil {
		t.Fatal(err)
	}
	return &b
}

// TestSizeBudget checks the size checks against the sizes iotcert size
// reports for the sample bundle's first chain: each budget passes at the
// exact size and fails one byte below it.
func TestSizeBudget(t *testing.T) {
	chain := sampleChain(t)
	refused := cert{name: "v1", der: readOne(t, "../testdata/certs/cases/e_iot_all_version_v3.pem")}
	// A device CA that C509 cannot represent (a GeneralizedTime notBefore
	// before 2050) and a device it issued.
	root := issue(t, certgen.RootTemplate())
	ca := issue(t, certgen.SubTemplate(root), func(tbs *certgen.TBS) {
		tbs.Validity.NotBefore = certgen.GeneralizedTime("20250101000000Z")
	})
	device := issue(t, certgen.EETemplate("tls13-iot", ca))
	for _, tc := range []struct {
		name   string
		budget profile.SizeBudget
		certs  []cert
		want   map[string][]string
	}{
		{"chain fits exactly", profile.SizeBudget{Chain: budget(t, "1019")}, chain, nil},
		{"chain over by one", profile.SizeBudget{Chain: budget(t, "1018")}, chain, map[string][]string{
			"device": {"the Certificate message of its chain (2 certificates, without the trust anchor) is 1019 bytes in DER, over the budget 1018 bytes by 1"}}},
		{"chain fits a DTLS record", profile.SizeBudget{Chain: budget(t, "dtls13-record")}, chain, nil},
		{"chain with the anchor", profile.SizeBudget{Chain: budget(t, "dtls13-record"), TrustAnchor: true}, chain, map[string][]string{
			"device": {"the Certificate message of its chain (3 certificates, with the trust anchor) is 1528 bytes in DER, over the budget dtls13-record (1024 bytes) by 504"}}},
		{"chain with the anchor fits", profile.SizeBudget{Chain: budget(t, "1528"), TrustAnchor: true}, chain, nil},
		{"C509 chain over a CoAP block", profile.SizeBudget{Chain: budget(t, "coap-block-512"), Encoding: profile.EncodingC509}, chain, map[string][]string{
			"device": {"the Certificate message of its chain (2 certificates, without the trust anchor) is 576 bytes in C509, over the budget coap-block-512 (512 bytes) by 64"}}},
		{"C509 chain fits exactly", profile.SizeBudget{Chain: budget(t, "576"), Encoding: profile.EncodingC509}, chain, nil},
		{"certificates", profile.SizeBudget{Certificate: budget(t, "504")}, chain, map[string][]string{
			"ca": {"505 bytes in DER, over the budget 504 bytes by 1"}}},
		{"C509 certificates", profile.SizeBudget{Certificate: budget(t, "277"), Encoding: profile.EncodingC509}, chain, map[string][]string{
			"device": {"285 bytes in C509, over the budget 277 bytes by 8"}}},
		{"no C509 form", profile.SizeBudget{Chain: budget(t, "dtls13-record"), Certificate: budget(t, "1000"), Encoding: profile.EncodingC509}, []cert{refused}, map[string][]string{
			"v1": {
				"no C509 form (version: a version 1 certificate; C509 type 3 re-encodes X.509 v3), so it cannot meet the budget 1000 bytes in C509",
				"its chain cannot be sent in C509 within the budget dtls13-record (1024 bytes): it has no C509 form (version: a version 1 certificate; C509 type 3 re-encodes X.509 v3)",
			}}},
		{"issuer without C509 form", profile.SizeBudget{Chain: budget(t, "dtls13-record"), Encoding: profile.EncodingC509}, []cert{{"root", root.DER()}, {"ca", ca.DER()}, {"device", device.DER()}}, map[string][]string{
			"device": {"its chain cannot be sent in C509 within the budget dtls13-record (1024 bytes): \"CN=Example IoT Device CA, O=Example Devices Ltd, C=DE\" (ca[0]@0) has no C509 form (validity.notBefore: GeneralizedTime for a year before 2050 (RFC 5280 asks for UTCTime, which C509 restores))"},
		}},
		{"no end entity", profile.SizeBudget{Chain: budget(t, "100")}, chain[:2], nil},
		{"no C509 form, DER budget", profile.SizeBudget{Chain: budget(t, "dtls13-record"), Certificate: budget(t, "1000")}, []cert{refused}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.budget
			if b.Encoding == "" {
				b.Encoding = profile.EncodingDER
			}
			got := sizeFindings(t, "tls13-iot", bundle.Options{SizeBudget: &b}, tc.certs)
			if !equalFindings(got, tc.want) {
				t.Errorf("findings %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSizeBudgetFromProfile checks that Run takes the budget of its
// profile, and that without one the size checks do not run.
func TestSizeBudgetFromProfile(t *testing.T) {
	const user = `
profiles:
  tiny:
    extends: tls13-iot
    size_budget: {chain: 1018}
`
	rules, err := profile.Load(profile.RulesFile{Name: "user.yaml", Data: []byte(user)})
	if err != nil {
		t.Fatal(err)
	}
	chain := sampleChain(t)
	for name, want := range map[string]map[string][]string{
		"tiny":      {"device": {"the Certificate message of its chain (2 certificates, without the trust anchor) is 1019 bytes in DER, over the budget 1018 bytes by 1"}},
		"tls13-iot": nil,
	} {
		p, err := rules.Profile(name)
		if err != nil {
			t.Fatal(err)
		}
		results, _, err := bundle.Run(p, items(chain), nil, bundle.Options{Profiles: lineage.Of(rules, p), Clock: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for i, r := range results {
			for _, f := range r.Findings {
				if f.Lint == bundle.SizeChain || f.Lint == bundle.SizeCertificate {
					got[chain[i].name] = append(got[chain[i].name], f.Details)
				}
			}
		}
		if !equalFindings(got, want) {
			t.Errorf("%s: findings %q, want %q", name, got, want)
		}
	}
}

// sizeFindings runs the bundle and returns the details of the size
// findings by certificate name.
func sizeFindings(t *testing.T, profileName string, opts bundle.Options, certs []cert) map[string][]string {
	t.Helper()
	p, err := profile.Default(profileName)
	if err != nil {
		t.Fatal(err)
	}
	opts.Profiles, opts.Clock = []string{profileName}, func() time.Time { return now }
	results, _, err := bundle.Run(p, items(certs), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for i, r := range results {
		for _, f := range r.Findings {
			if f.Lint == bundle.SizeChain || f.Lint == bundle.SizeCertificate {
				if f.Level != profile.Warn {
					t.Errorf("%s: level %s, want warn", f.Lint, f.Level)
				}
				got[certs[i].name] = append(got[certs[i].name], f.Details)
			}
		}
	}
	return got
}

func equalFindings(got, want map[string][]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			return false
		}
	}
	return true
}

func readOne(t *testing.T, path string) []byte {
	t.Helper()
	for it := range certio.Read([]string{path}, nil) {
		if it.Err != nil {
			t.Fatal(it.Err)
		}
		return it.DER
	}
	t.Fatalf("%s: no certificate", path)
	return nil
}
