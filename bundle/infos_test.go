package bundle

import (
	"testing"
	"time"

	"github.com/iotcert/iotcert/profile"
)

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2027-01-31", time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), ""},
		{"2027-01-31T12:30:00+02:00", time.Date(2027, 1, 31, 10, 30, 0, 0, time.UTC), ""},
		{"31/01/2027", time.Time{}, `"31/01/2027" is neither an RFC 3339 time (2027-01-31T00:00:00Z) nor a date (2027-01-31)`},
	} {
		got, err := ParseTime(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: %v, want %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestRunsUnderAndLintInfos(t *testing.T) {
	rules, err := profile.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Checks() {
		switch c.Name {
		case MatterChainShape:
			if c.RunsUnder([]string{"tls13-iot"}) || !c.RunsUnder([]string{"our-fleet", "matter"}) {
				t.Errorf("%s: runs under tls13-iot or not under a profile extending matter", c.Name)
			}
		case SignatureInvalid:
			if !c.RunsUnder(nil) {
				t.Errorf("%s does not run everywhere", c.Name)
			}
		}
	}
	p, _ := rules.Profile("tls13-iot")
	infos := LintInfos(p)
	if len(infos) != len(p.Lints())+len(Checks()) {
		t.Fatalf("%d infos, want %d + %d", len(infos), len(p.Lints()), len(Checks()))
	}
	last := infos[len(infos)-1]
	c := Checks()[len(Checks())-1]
	if last.Name != c.Name || last.Source != Source || last.Citation != c.Citation || last.Level != c.Level {
		t.Errorf("last info %+v, want check %+v", last, c)
	}
}
