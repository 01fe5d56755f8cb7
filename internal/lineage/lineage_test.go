package lineage_test

import (
	"slices"
	"testing"

	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
)

func TestOf(t *testing.T) {
	rules, err := profile.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		profile string
		want    []string
	}{
		{"pkix", []string{"pkix"}},
		{"tls13-iot", []string{"tls13-iot"}},
		{"brski-idevid", []string{"brski-idevid", "idevid-8021ar", "tls13-iot"}},
		{"bacnet-sc", []string{"bacnet-sc", "ldevid-8021ar", "tls13-iot"}},
	} {
		p, err := rules.Profile(tc.profile)
		if err != nil {
			t.Fatal(err)
		}
		if got := lineage.Of(rules, p); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.profile, got, tc.want)
		}
	}
}
