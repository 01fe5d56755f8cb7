package role_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	stdx509 "crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/role"
)

// TestOfLink checks that a self-issued CA certificate signed by another
// key with differing key identifiers (a same-name rollover link) is a
// Link, and that a self-signed root with differing identifiers (a broken
// root) stays a Root.
func TestOfLink(t *testing.T) {
	oldKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	newKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	name := pkix.Name{CommonName: "Root", Organization: []string{"Example"}, Country: []string{"DE"}}
	tmpl := func(ski, aki []byte) *stdx509.Certificate {
		return &stdx509.Certificate{
			SerialNumber: big.NewInt(1), Subject: name, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: stdx509.KeyUsageCertSign,
			SubjectKeyId: ski, AuthorityKeyId: aki,
		}
	}
	oldRoot := tmpl([]byte{1}, []byte{1})
	tests := []struct {
		name   string
		tmpl   *stdx509.Certificate
		parent *stdx509.Certificate
		pub    any
		signer any
		want   role.Role
	}{
		{"root", tmpl([]byte{1}, []byte{1}), nil, &oldKey.PublicKey, oldKey, role.Root},
		{"root, AKI differs from SKI", tmpl([]byte{1}, []byte{2}), nil, &oldKey.PublicKey, oldKey, role.Root},
		{"NewWithOld, same name", tmpl([]byte{2}, []byte{1}), oldRoot, &newKey.PublicKey, oldKey, role.Link},
		{"self-issued, no AKI", tmpl([]byte{2}, nil), oldRoot, &newKey.PublicKey, oldKey, role.Root},
	}
	for _, tc := range tests {
		parent := tc.parent
		if parent == nil {
			parent = tc.tmpl
		}
		der, err := stdx509.CreateCertificate(rand.Reader, tc.tmpl, parent, tc.pub, tc.signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		if got := role.Of(c); got != tc.want {
			t.Errorf("%s: Of = %s, want %s", tc.name, got, tc.want)
		}
	}
}
