package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestNBscSanUriBacnet(t *testing.T) {
	testLint(t, "n_bsc_san_uri_bacnet", []wantStatus{
		{"bacnet-sc/ee.pem", lint.Pass},
		{"cases/n_bsc_san_uri_bacnet.pem", lint.Notice},
		{"cases/n_bsc_san_uri_bacnet_two.pem", lint.Notice},
		{"tls13-iot/ee.pem", lint.Notice},
		{"bacnet-sc/sub.pem", lint.NA},
	})
}
