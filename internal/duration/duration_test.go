package duration

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Duration
		str  string
	}{
		{"20y", Duration{Years: 20}, "20y"},
		{"825d", Duration{Days: 825}, "825d"},
		{"48h", Duration{Hours: 48}, "48h"},
		{"2w", Duration{Days: 14}, "14d"},
		{"1y30d", Duration{Years: 1, Days: 30}, "1y30d"},
		{"1y2w3d4h", Duration{Years: 1, Days: 17, Hours: 4}, "1y17d4h"},
		{"0d", Duration{}, "0d"},
		{"007d", Duration{Days: 7}, "7d"},
	} {
		got, err := Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if s := got.String(); s != tc.str {
			t.Errorf("Parse(%q).String() = %q; want %q", tc.in, s, tc.str)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                      `empty duration: want a number and a unit, y (years), w (weeks), d (days) or h (hours), e.g. 90d or 1y30d`,
		"3m":                    `duration "3m": unit "m" is ambiguous (months or minutes?): want y (years), w (weeks), d (days) or h (hours)`,
		"6mo":                   `duration "6mo": unit "mo" is ambiguous (months or minutes?): want y (years), w (weeks), d (days) or h (hours)`,
		"5min":                  `duration "5min": unit "min" is ambiguous (months or minutes?): want y (years), w (weeks), d (days) or h (hours)`,
		"1h30m":                 `duration "1h30m": unit "m" is ambiguous (months or minutes?): want y (years), w (weeks), d (days) or h (hours)`,
		"10s":                   `duration "10s": unknown unit "s": want y (years), w (weeks), d (days) or h (hours)`,
		"1yr":                   `duration "1yr": unknown unit "yr": want y (years), w (weeks), d (days) or h (hours)`,
		"10":                    `duration "10": number 10 has no unit: want y (years), w (weeks), d (days) or h (hours)`,
		"d":                     `duration "d": want a whole number before each unit, y (years), w (weeks), d (days) or h (hours), e.g. 90d or 1y30d`,
		"-1y":                   `duration "-1y": want a whole number before each unit, y (years), w (weeks), d (days) or h (hours), e.g. 90d or 1y30d`,
		"1.5d":                  `duration "1.5d": unknown unit ".": want y (years), w (weeks), d (days) or h (hours)`,
		"1 d":                   `duration "1 d": unknown unit " d": want y (years), w (weeks), d (days) or h (hours)`,
		"30d1y":                 `duration "30d1y": unit "y" repeated or out of order: write y, w, d, h in that order, each once`,
		"1d1d":                  `duration "1d1d": unit "d" repeated or out of order: write y, w, d, h in that order, each once`,
		"1000001y":              `duration "1000001y": number 1000001 too large`,
		"99999999999999999999d": `duration "99999999999999999999d": number 99999999999999999999 too large`,
	} {
		_, err := Parse(in)
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error = %v\n want %s", in, err, want)
		}
	}
}

func TestAddTo(t *testing.T) {
	leap := time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)
	d, err := Parse("1y1d12h")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.AddTo(leap), time.Date(2029, 3, 2, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("AddTo = %v; want %v", got, want)
	}
	if got, want := (Duration{Years: 1}).From(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)), 365*24*time.Hour; got != want {
		t.Errorf("From = %v; want %v", got, want)
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[time.Duration]string{
		90 * 24 * time.Hour: "90d",
		36 * time.Hour:      "1d12h",
		12 * time.Hour:      "12h",
		0:                   "0d",
		90 * time.Minute:    "1h30m0s",
	} {
		if got := Format(in); got != want {
			t.Errorf("Format(%v) = %q; want %q", in, got, want)
		}
	}
}
