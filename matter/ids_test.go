package matter

import (
	"testing"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509/pkix"
)

func TestCNValue(t *testing.T) {
	for _, tc := range []struct {
		cn, prefix, want string
		found            bool
	}{
		{"DAC Mvid:FFF1 Mpid:8000", CNVIDPrefix, "FFF1", true},
		{"DAC Mvid:FFF1 Mpid:8000", CNPIDPrefix, "8000", true},
		{"DAC Mvid:FF", CNVIDPrefix, "FF", true},
		{"DAC Mvid:", CNVIDPrefix, "", true},
		{"DAC", CNVIDPrefix, "", false},
	} {
		got, found := CNValue(tc.cn, tc.prefix)
		if got != tc.want || found != tc.found {
			t.Errorf("CNValue(%q, %q) = %q, %v; want %q, %v", tc.cn, tc.prefix, got, found, tc.want, tc.found)
		}
	}
}

func attr(oid asn1.ObjectIdentifier, v any) pkix.AttributeTypeAndValue {
	return pkix.AttributeTypeAndValue{Type: oid, Value: v}
}

// TestDNIDs pins the edge cases on which the lints' and the chain checks'
// copies of the reader used to disagree: an empty first value, a value that
// is not a string, a repeated attribute, a commonName that is not a string.
func TestDNIDs(t *testing.T) {
	vid, pid, cn := OIDVendorID, OIDProductID, oidCommonName
	for _, tc := range []struct {
		name  string
		names []pkix.AttributeTypeAndValue
		want  IDs
	}{
		{"attributes", []pkix.AttributeTypeAndValue{attr(cn, "DAC"), attr(vid, "FFF1"), attr(pid, "8000")},
			IDs{VID: "FFF1", PID: "8000", HasVID: true, HasPID: true}},
		{"VID only", []pkix.AttributeTypeAndValue{attr(vid, "FFF1")}, IDs{VID: "FFF1", HasVID: true}},
		{"empty first VID counts, the second does not", []pkix.AttributeTypeAndValue{attr(vid, ""), attr(vid, "FFF1")},
			IDs{VID: "", HasVID: true}},
		{"repeated VID: the first counts", []pkix.AttributeTypeAndValue{attr(vid, "FFF2"), attr(vid, "FFF1")},
			IDs{VID: "FFF2", HasVID: true}},
		{"VID that is not a string is present and empty", []pkix.AttributeTypeAndValue{attr(vid, 65521), attr(vid, "FFF1")},
			IDs{VID: "", HasVID: true}},
		{"attributes win over the commonName", []pkix.AttributeTypeAndValue{attr(cn, "DAC Mvid:FFF2 Mpid:8001"), attr(pid, "8000")},
			IDs{PID: "8000", HasPID: true}},
		{"commonName fallback", []pkix.AttributeTypeAndValue{attr(cn, "DAC Mvid:FFF1 Mpid:8000")},
			IDs{VID: "FFF1", PID: "8000", HasVID: true, HasPID: true, FromCN: true}},
		{"only the first commonName", []pkix.AttributeTypeAndValue{attr(cn, "DAC"), attr(cn, "Mvid:FFF1")}, IDs{}},
		{"a commonName that is not a string is skipped", []pkix.AttributeTypeAndValue{attr(cn, []byte("x")), attr(cn, "Mvid:FFF1")},
			IDs{VID: "FFF1", HasVID: true, FromCN: true}},
		{"empty commonName value", []pkix.AttributeTypeAndValue{attr(cn, "Mvid:")}, IDs{HasVID: true, FromCN: true}},
		{"none", nil, IDs{}},
	} {
		if got := DNIDs(tc.names); got != tc.want {
			t.Errorf("%s: DNIDs = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
