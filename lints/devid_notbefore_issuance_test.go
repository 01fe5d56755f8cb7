package lints

import (
	"testing"
	"time"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDNotBeforeIssuance(t *testing.T) {
	testLintAt(t, "n_devid_notbefore_issuance", checkTime, []wantStatus{
		{"tcg-devid/ee.pem", lint.Pass},
		{"cases/n_devid_notbefore_issuance.pem", lint.Notice}, // notBefore 2099-01-01
		{"tcg-devid/sub.pem", lint.NA},
	})
}

// TestDevIDNotBeforeIssuanceAt checks that the lint judges at the time it
// is given: the notBefore of 2099 is no longer in the future in 2100.
func TestDevIDNotBeforeIssuanceAt(t *testing.T) {
	c := loadCert(t, "cases/n_devid_notbefore_issuance.pem")
	if got := runLintAt(t, "n_devid_notbefore_issuance", c, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), nil); got.Status != lint.Pass {
		t.Errorf("at 2100: %s (%s), want pass", got.Status, got.Details)
	}
}
