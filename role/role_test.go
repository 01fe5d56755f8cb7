package role_test

import (
	"testing"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/role"
)

func TestOf(t *testing.T) {
	name := func(cn string) []byte { return []byte("name:" + cn) }
	tests := []struct {
		name string
		cert x509.Certificate
		want role.Role
	}{
		{"self-issued CA", x509.Certificate{BasicConstraintsValid: true, IsCA: true, RawSubject: name("a"), RawIssuer: name("a")}, role.Root},
		{"issued CA", x509.Certificate{BasicConstraintsValid: true, IsCA: true, RawSubject: name("b"), RawIssuer: name("a")}, role.Subordinate},
		{"cA=FALSE with keyCertSign", x509.Certificate{BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, RawSubject: name("b"), RawIssuer: name("a")}, role.EndEntity},
		{"no basicConstraints but keyCertSign", x509.Certificate{KeyUsage: x509.KeyUsageCertSign, RawSubject: name("b"), RawIssuer: name("a")}, role.Subordinate},
		{"self-issued end entity", x509.Certificate{RawSubject: name("a"), RawIssuer: name("a")}, role.EndEntity},
	}
	for _, tc := range tests {
		if got := role.Of(&tc.cert); got != tc.want {
			t.Errorf("%s: Of = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestRefine(t *testing.T) {
	tests := []struct {
		base role.Role
		d    role.Device
		want role.Role
	}{
		{role.EndEntity, role.AnyDevice, role.EndEntity},
		{role.EndEntity, role.IDevIDDevice, role.IDevID},
		{role.EndEntity, role.LDevIDDevice, role.LDevID},
		{role.Root, role.IDevIDDevice, role.Root},
		{role.Subordinate, role.LDevIDDevice, role.Subordinate},
	}
	for _, tc := range tests {
		if got := role.Refine(tc.base, tc.d); got != tc.want {
			t.Errorf("Refine(%s, %q) = %s, want %s", tc.base, tc.d, got, tc.want)
		}
	}
}

func TestSetContains(t *testing.T) {
	tests := []struct {
		set  role.Set
		r    role.Role
		want bool
	}{
		{role.EndEntitySet, role.IDevID, true},
		{role.EndEntitySet, role.LDevID, true},
		{role.EndEntitySet, role.EndEntity, true},
		{role.IDevIDSet, role.IDevID, true},
		{role.IDevIDSet, role.LDevID, false},
		// A device-kind rule is not applied when the kind is unknown.
		{role.IDevIDSet, role.EndEntity, false},
		{role.CASet, role.Root, true},
		{role.CASet, role.IDevID, false},
		{role.RootSet, role.Subordinate, false},
		{role.CASet, role.Link, true},
		{role.RootSet, role.Link, false},
		{role.AllSet, role.Link, true},
	}
	for _, tc := range tests {
		if got := tc.set.Contains(tc.r); got != tc.want {
			t.Errorf("%s.Contains(%s) = %v, want %v", tc.set, tc.r, got, tc.want)
		}
	}
	if !role.IDevIDSet.ContainsBase(role.EndEntity) || role.IDevIDSet.ContainsBase(role.Root) {
		t.Error("ContainsBase: an IDevID rule must be able to apply to an end entity and never to a root")
	}
}

func TestNames(t *testing.T) {
	for r := role.Root; r <= role.Link; r++ {
		got, ok := role.Parse(r.String())
		if !ok || got != r {
			t.Errorf("Parse(%q) = %v, %v", r.String(), got, ok)
		}
	}
	if _, ok := role.Parse("unknown"); ok {
		t.Error(`Parse("unknown") succeeded`)
	}
	if got := (role.RootSet | role.IDevIDSet).String(); got != "root,idevid" {
		t.Errorf("Set.String = %q", got)
	}
}
