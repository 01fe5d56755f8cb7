package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTLDevIDLifetimeLimited(t *testing.T) {
	testLint(t, "w_iot_ldevid_lifetime_limited", []wantStatus{
		{"ldevid-8021ar/ee.pem", lint.Pass},                       // one year
		{"cases/w_iot_ldevid_lifetime_limited.pem", lint.Warn},    // never expires
		{"cases/w_iot_ldevid_lifetime_limited_5y.pem", lint.Pass}, // no day limit by default
		{"ldevid-8021ar/sub.pem", lint.NA},
		{"ldevid-8021ar/root.pem", lint.NA},
	})
	ee := loadCert(t, "ldevid-8021ar/ee.pem")
	for _, tc := range []struct {
		days int
		want lint.LintStatus
	}{
		{0, lint.Pass}, // the default: no limit in days
		{30, lint.Warn},
		{729, lint.Warn},
		{730, lint.Pass},
		{825, lint.Pass},
	} {
		got := runLint(t, "w_iot_ldevid_lifetime_limited", ee, func(p any) { p.(*ldevidLifetime).MaxDays = tc.days })
		if got.Status != tc.want {
			t.Errorf("max_days %d on a two-year LDevID: got %s (%q), want %s", tc.days, got.Status, got.Details, tc.want)
		}
	}
	for _, days := range []int{-1} {
		if err := (&ldevidLifetime{MaxDays: days}).Validate(); err == nil {
			t.Errorf("Validate accepts max_days %d", days)
		}
	}
	for _, days := range []int{0, 398} {
		if err := (&ldevidLifetime{MaxDays: days}).Validate(); err != nil {
			t.Errorf("Validate rejects max_days %d: %v", days, err)
		}
	}
}
