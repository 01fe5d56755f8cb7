package lints

import (
	"testing"
)

func TestDevIDMASAURLDecoding(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value []byte
		want  string
		ok    bool
	}{
		{"authority", append([]byte{0x16, 16}, "masa.example.com"...), "masa.example.com", true},
		{"empty IA5String", []byte{0x16, 0}, "", true},
		{"UTF8String", append([]byte{0x0c, 4}, "masa"...), "", false},
		{"non-ASCII", []byte{0x16, 2, 'a', 0xe9}, "", false},
		{"trailing data", []byte{0x16, 1, 'a', 0x00}, "", false},
		{"truncated", []byte{0x16, 5, 'a'}, "", false},
		{"nothing", nil, "", false},
	} {
		got, err := devidMASAURL(tc.value)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q, ok=%v", tc.name, got, err, tc.want, tc.ok)
		}
	}
}

func TestValidityTimes(t *testing.T) {
	c := loadCert(t, "idevid-8021ar/ee.pem")
	nb, na, err := validityTimes(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := timeTypeName(nb) + " " + string(nb.Bytes); got != "UTCTime 250102000000Z" {
		t.Errorf("notBefore %s", got)
	}
	if got := timeTypeName(na) + " " + string(na.Bytes); got != "GeneralizedTime 99991231235959Z" {
		t.Errorf("notAfter %s", got)
	}
	c.RawTBSCertificate = []byte{0x30, 0x03, 0x02, 0x01, 0x01}
	if _, _, err := validityTimes(c); err == nil {
		t.Error("no error for a TBSCertificate without validity")
	}
}
