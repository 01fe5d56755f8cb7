package c509

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// TestRoundTripGeneratedCerts is the round-trip property over every
// certificate internal/gencerts makes (testdata/certs): DER → C509 → DER is
// identical, or Encode refuses it with an *UnsupportedError giving the
// reason. Never a *SyntaxError: they are all certificates.
func TestRoundTripGeneratedCerts(t *testing.T) {
	ok, refused := 0, map[string]int{}
	for it := range certio.Read([]string{"../testdata/certs"}, nil) {
		if it.Err != nil {
			t.Fatalf("%s: %v", it.Origin.File, it.Err)
		}
		where := fmt.Sprintf("%s#%d", it.Origin.File, it.Origin.Index)
		c, err := Encode(it.DER)
		if err != nil {
			var ue *UnsupportedError
			if !errors.As(err, &ue) || ue.Reason == "" {
				t.Errorf("%s: Encode: %v, want a round trip or an *UnsupportedError", where, err)
			}
			refused[err.Error()]++
			continue
		}
		der, err := Decode(c)
		if err != nil || !bytes.Equal(der, it.DER) {
			t.Errorf("%s: Decode(Encode(der)) differs: %v", where, err)
			continue
		}
		if len(c) >= len(it.DER) {
			t.Errorf("%s: C509 %d bytes, DER %d", where, len(c), len(it.DER))
		}
		ok++
	}
	reasons := make([]string, 0, len(refused))
	n := 0
	for r, c := range refused {
		reasons = append(reasons, fmt.Sprintf("%4d  %s", c, r))
		n += c
	}
	sort.Strings(reasons)
	t.Logf("%d certificates round-trip, %d refused:", ok, n)
	for _, r := range reasons {
		t.Log(r)
	}
	if ok == 0 {
		t.Fatal("no certificate round-trips")
	}
}
