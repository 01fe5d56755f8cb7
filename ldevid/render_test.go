package ldevid

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"testing"
)

// TestRenderPlan checks that a simple template's plan renders what
// text/template renders, and that anything else, or a missing field,
// goes to text/template with its errors.
func TestRenderPlan(t *testing.T) {
	fields := map[string]string{"id": "42", "serial": "SN-42", "empty": "", "odd": "{{.id}} <&>"}
	for _, tc := range []struct {
		text   string
		simple bool
	}{
		{"plain text", true},
		{"{{.id}}", true},
		{"bacnet://{{.id}}", true},
		{"CN {{.id}}/{{.serial}}-{{.empty}}{{.odd}}", true},
		{"{{.missing}}", true},
		{"x{{.id}}{{.missing}}", true},
		{"", true},
		{`{{printf "%05s" .id}}`, false},
		{"{{.id | len}}", false},
		{"{{if .id}}yes{{end}}", false},
		{"{{$x := .id}}{{$x}}", false},
		{`{{"lit"}}`, false},
	} {
		tmpl, err := newTemplate("t", tc.text)
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		plan := simplePlan(tmpl)
		if (plan != nil) != tc.simple && !(tc.text == "" && plan == nil) {
			t.Errorf("%q: simple plan %v, want simple=%v", tc.text, plan, tc.simple)
		}
		want, wantErr := execute(tmpl, fields)
		got, gotErr := render(tmpl, plan, fields)
		if got != want || (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
			t.Errorf("%q: render = %q, %v; text/template = %q, %v", tc.text, got, gotErr, want, wantErr)
		}
	}
}

// TestSubjectRenderEncoding checks that Subject.Render writes what
// encoding/asn1 writes for the same RDNSequence: the bytes survive a
// decode and re-encode unchanged, for every string type.
func TestSubjectRenderEncoding(t *testing.T) {
	s, err := ParseSubject("CN=device {{.id}}, OU=Line 3, O=Example Devices Ltd, L=Zürich, ST=ZH, C=CH, DC=example, 1.3.6.1.4.1.37244.2.1=FFF1, serialNumber={{.serial}}")
	if err != nil {
		t.Fatal(err)
	}
	der, err := s.Render(map[string]string{"id": "7", "serial": "SN7"})
	if err != nil {
		t.Fatal(err)
	}
	var rdns []rawRDNSET
	rest, err := asn1.Unmarshal(der, &rdns)
	if err != nil || len(rest) != 0 {
		t.Fatalf("decoding: %v (%d bytes left)", err, len(rest))
	}
	if len(rdns) != 9 {
		t.Fatalf("%d RDNs, want 9", len(rdns))
	}
	again, err := asn1.Marshal(rdns)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, der) {
		t.Errorf("Render:\n%x\nencoding/asn1:\n%x", der, again)
	}
	wantTags := []int{asn1.TagPrintableString, 12, asn1.TagIA5String, asn1.TagPrintableString, 12, 12, 12, 12, 12}
	for i, rdn := range rdns {
		if got := rdn[0].Value.Tag; got != wantTags[i] {
			t.Errorf("RDN %d (%v): tag %d, want %d", i, rdn[0].Type, got, wantTags[i])
		}
	}
}

// rawRDNSET is a RelativeDistinguishedName whose values stay as encoded
// (encoding/asn1 writes a slice type named ...SET as a SET OF).
type rawRDNSET []struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// BenchmarkCheckRequest is the check of one batch row before any is
// issued: the example device's subject and subjectAltName rendered.
func BenchmarkCheckRequest(b *testing.B) {
	h := exampleHierarchy(b)
	req := Request{Device: "bacnet-controller", ID: "4194302", Fields: map[string]string{"serial": "SN-4194302"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.CheckRequest(req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestIssueRawNames checks that IssueRaw issues with the names
// CheckRequest rendered for the request, and refuses names rendered for
// another id.
func TestIssueRawNames(t *testing.T) {
	h := exampleHierarchy(t)
	req := Request{Device: "bacnet-controller", ID: "7", Fields: map[string]string{"serial": "SN-7"}}
	names, err := h.CheckRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := h.IssueRaw(req, names)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(dev.Cert.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CheckNames(req, c); err != nil {
		t.Error(err)
	}
	other := Request{Device: "bacnet-controller", ID: "8"}
	if _, err := h.IssueRaw(other, names); err == nil || err.Error() != `device "8" (bacnet-controller): the names given were rendered for device "7" (bacnet-controller)` {
		t.Errorf("names of another id: %v", err)
	}
}
