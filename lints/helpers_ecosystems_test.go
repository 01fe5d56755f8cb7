package lints

import (
	"testing"
	"time"

	"github.com/zmap/zlint/v3/lint"
)

func TestParseBACnetURI(t *testing.T) {
	for _, tc := range []struct {
		uri string
		ok  bool
	}{
		{"bacnet://0", true},
		{"bacnet://1234", true},
		{"BACnet://4194302", true},
		{"bacnet://4194303", false},
		{"bacnet://01234", false},
		{"bacnet://12a4", false},
		{"bacnet://1234/x", false},
		{"bacnet://", false},
		{"bacnet:1234", false},
		{"bacnet://99999999999999999999999", false},
	} {
		if _, err := parseBACnetURI(tc.uri); (err == nil) != tc.ok {
			t.Errorf("parseBACnetURI(%q) error %v, want ok=%v", tc.uri, err, tc.ok)
		}
	}
}

func TestMatterHex4(t *testing.T) {
	for s, want := range map[string]bool{"FFF1": true, "fff1": false, "FFF": false, "FFF12": false, "00G0": false} {
		if matterHex4(s) != want {
			t.Errorf("matterHex4(%q) = %v", s, !want)
		}
	}
}

// TestMatterDACCurrentExpired moves the time of the check past a DAC's
// notAfter.
func TestMatterDACCurrentExpired(t *testing.T) {
	c := loadCert(t, "cases/e_matter_dac_vid_pid.pem")
	if got := runLintAt(t, "n_matter_dac_current", c, checkTime, nil); got.Status != lint.NA {
		t.Fatalf("current DAC: %s", got.Status)
	}
	c.NotAfter = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := runLintAt(t, "n_matter_dac_current", c, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), nil); got.Status != lint.Notice || got.Details != "the DAC has expired at 2031-01-01T00:00:00Z (notAfter 2030-01-01T00:00:00Z)" {
		t.Errorf("expired DAC: %s (%s)", got.Status, got.Details)
	}
}
