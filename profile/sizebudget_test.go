package profile_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/profile"
)

func TestSizeBudget(t *testing.T) {
	const user = `
profiles:
  small:
    extends: tls13-iot
    size_budget: {chain: dtls13-record, certificate: 600, encoding: c509, trust_anchor: true}
  smaller:
    extends: small
  cleared:
    extends: small
    size_budget: {}
`
	rules, err := profile.Load(profile.RulesFile{Name: "user.yaml", Data: []byte(user)})
	if err != nil {
		t.Fatal(err)
	}
	dtls, _ := c509.ParseBudget("dtls13-record")
	want := &profile.SizeBudget{
		Chain:       &dtls,
		Certificate: &c509.Budget{Name: "600 bytes", Bytes: 600},
		Encoding:    profile.EncodingC509,
		TrustAnchor: true,
	}
	for name, want := range map[string]*profile.SizeBudget{"small": want, "smaller": want, "cleared": nil, "tls13-iot": nil} {
		p, err := rules.Profile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p.SizeBudget, want) {
			t.Errorf("%s: size budget %+v, want %+v", name, p.SizeBudget, want)
		}
	}
}

func TestSizeBudgetErrors(t *testing.T) {
	for _, tc := range []struct{ budget, want string }{
		{"{chain: huge}", `user.yaml: line 3: profile "p": size_budget: chain: budget "huge": want a number of bytes or one of dtls13-record, coap-block-512, coap-block-1024`},
		{"{certificate: -5}", `user.yaml: line 3: profile "p": size_budget: certificate: budget "-5": want a number of bytes`},
		{"{chain: 512, encoding: cbor}", `user.yaml: line 3: profile "p": size_budget: encoding "cbor": want der or c509`},
		{"{chains: 512}", `user.yaml: profile "p": line 5: unknown key "chains" (expected one of: certificate, chain, encoding, trust_anchor)`},
	} {
		user := "\nprofiles:\n  p:\n    extends: tls13-iot\n    size_budget: " + tc.budget + "\n"
		_, err := profile.Load(profile.RulesFile{Name: "user.yaml", Data: []byte(user)})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("size_budget: %s: error %v, want %q", tc.budget, err, tc.want)
		}
	}
}
