package ldevid

import (
	"strings"
	"testing"
)

// TestSpecIDFrom loads the EST example (id_from: serialNumber on the
// ldevid profile) and the id_from values a spec must refuse.
func TestSpecIDFrom(t *testing.T) {
	s, err := LoadSpec("est.yaml", ExampleSpec("est"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Device("ldevid").IDFrom + "," + s.Device("idevid").IDFrom; got != "serialNumber," {
		t.Fatalf("id_from of ldevid, idevid = %q", got)
	}
	for _, tc := range []struct{ from, to, err string }{
		{"id_from: serialNumber", "id_from: uuid", `id_from "uuid": want serialNumber, commonName or hardwareModuleName`},
		{"    kind: idevid\n", "    kind: idevid\n    id_from: commonName\n", "id_from: only an ldevid profile is enrolled with an IDevID"},
	} {
		data := strings.Replace(string(ExampleSpec("est")), tc.from, tc.to, 1)
		if _, err := LoadSpec("est.yaml", []byte(data)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: %v, want %q", tc.to, err, tc.err)
		}
	}
}
