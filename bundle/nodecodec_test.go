package bundle

import (
	"reflect"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// TestNodeRecordRoundTrip checks that every Node the node spool can hold
// decodes to what was encoded, on the checked-in test certificates (all
// profiles' samples: SANs of every form, unknown critical extensions,
// Matter IDs, device serial numbers), and that a cut record is refused.
func TestNodeRecordRoundTrip(t *testing.T) {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Profiles: []string{"tls13-iot"}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for it := range certio.Read([]string{"../testdata/certs"}, nil) {
		res, node := LintItem(p, it)
		if node == nil || !spillable(node) {
			continue
		}
		b.describeNode(&res, node)
		rec := appendNode(nil, node)
		got, err := decodeNode(rec)
		if err != nil {
			t.Fatalf("%s: %v", it.Origin, err)
		}
		if !reflect.DeepEqual(normalNode(got), normalNode(node)) {
			t.Errorf("%s:\n got %+v\nwant %+v", it.Origin, got, node)
		}
		if _, err := decodeNode(rec[:len(rec)-1]); err == nil {
			t.Errorf("%s: a record cut short decodes", it.Origin)
		}
		n++
	}
	if n < 50 {
		t.Fatalf("%d certificates round-tripped: the test data was not read", n)
	}
}

// normalNode is n with what the record does not keep as such cleared: the
// decoded public key (decoded again when needed), and empty lists made
// nil.
func normalNode(n *Node) Node {
	c := *n
	c.pubKey, c.pubKeyParsed = nil, false
	if len(c.unknownCritical) == 0 {
		c.unknownCritical = nil
	}
	if len(c.otherForms) == 0 {
		c.otherForms = nil
	}
	if c.names != nil {
		names := *c.names
		for _, l := range []*[]string{&names.dns, &names.email, &names.uri} {
			if len(*l) == 0 {
				*l = nil
			}
		}
		if len(names.ip) == 0 {
			names.ip = nil
		}
		c.names = &names
	}
	return c
}
