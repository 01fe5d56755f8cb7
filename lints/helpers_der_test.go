package lints

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/util"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certparse"
)

// TestFastPathsMatchASN1 checks each cryptobyte fast path of the decoding
// helpers against the asn1 decoding it stands for, on the parts of every
// certificate under testdata/certs and on every single-octet change of
// them: where the fast path reads an input, the asn1 decoding must read it
// too, without error, to the same values.
func TestFastPathsMatchASN1(t *testing.T) {
	type part struct {
		name  string
		der   func(c *x509.Certificate) []byte
		check func(t *testing.T, der []byte) (fast bool)
	}
	extValue := func(oid []int) func(c *x509.Certificate) []byte {
		return func(c *x509.Certificate) []byte {
			if e := extension(c, oid); e != nil {
				return e.Value
			}
			return nil
		}
	}
	parts := []part{
		{"subjectPublicKeyInfo", certparse.SubjectPublicKeyInfo, func(t *testing.T, der []byte) bool {
			got, ok := fastSubjectPublicKey(der)
			if ok {
				want, err := subjectPublicKeyASN1(der)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("subjectPublicKeyInfo %x: fast %+v, asn1 %+v, %v", der, got, want, err)
				}
			}
			return ok
		}},
		{"subjectAltName", extValue(oidExtSubjectAltName), func(t *testing.T, der []byte) bool {
			got, ok := fastGeneralNames(der)
			if ok {
				want, err := generalNamesASN1(der)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("subjectAltName %x: fast %+v, asn1 %+v, %v", der, got, want, err)
				}
			}
			return ok
		}},
		{"subject", func(c *x509.Certificate) []byte { return c.RawSubject }, func(t *testing.T, der []byte) bool {
			got, ok := fastSubjectAttributes(der)
			if ok {
				want, err := subjectAttributesASN1(der)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("subject %x: fast %+v, asn1 %+v, %v", der, got, want, err)
				}
			}
			var seq asn1.RawValue
			_, err := asn1.Unmarshal(der, &seq)
			if want := err == nil && seq.Tag == asn1.TagSequence && len(seq.Bytes) == 0; subjectIsEmpty(&x509.Certificate{RawSubject: der}) != want {
				t.Errorf("subject %x: subjectIsEmpty %v, asn1 %v", der, !want, want)
			}
			return ok
		}},
		{"tbsCertificate", func(c *x509.Certificate) []byte { return c.RawTBSCertificate }, func(t *testing.T, der []byte) bool {
			nb, na, ok := fastValidityTimes(der)
			if ok {
				wantNB, wantNA := util.GetTimes(&x509.Certificate{RawTBSCertificate: der})
				if !reflect.DeepEqual(nb, wantNB) || !reflect.DeepEqual(na, wantNA) {
					t.Errorf("tbsCertificate %x: fast %+v %+v, util.GetTimes %+v %+v", der, nb, na, wantNB, wantNA)
				}
			}
			return ok
		}},
		{"extendedKeyUsage", extValue(oidExtExtendedKeyUsage), func(t *testing.T, der []byte) bool {
			got, ok := fastOIDSequence(der)
			if ok {
				want, err := extKeyUsagesASN1(der)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("extendedKeyUsage %x: fast %+v, asn1 %+v, %v", der, got, want, err)
				}
			}
			return ok
		}},
	}

	var certs []*x509.Certificate
	err := filepath.WalkDir(certsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		certio.Decode(p, data, func(it certio.Item) bool {
			if c, err := certio.Parse(it.DER); err == nil {
				certs = append(certs, c)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) < 100 {
		t.Fatalf("%d certificates under %s; run go generate ./...", len(certs), certsDir)
	}
	for _, p := range parts {
		seen := map[string]bool{}
		fast, slow := 0, 0
		try := func(der []byte) {
			if seen[string(der)] {
				return
			}
			seen[string(der)] = true
			if p.check(t, der) {
				fast++
			} else {
				slow++
			}
		}
		for _, c := range certs {
			orig := p.der(c)
			if orig == nil {
				continue
			}
			try(orig)
			try(append(append([]byte(nil), orig...), 0))
			try(orig[:len(orig)-1])
			for i := range orig {
				for _, change := range []func(byte) byte{
					func(b byte) byte { return b ^ 0x01 },
					func(b byte) byte { return b ^ 0x20 },
					func(b byte) byte { return b ^ 0x80 },
					func(b byte) byte { return 0 },
					func(b byte) byte { return b + 1 },
				} {
					der := append([]byte(nil), orig...)
					der[i] = change(der[i])
					try(der)
				}
			}
		}
		t.Logf("%s: %d inputs read by the fast path, %d left to asn1", p.name, fast, slow)
		if fast == 0 || slow == 0 {
			t.Errorf("%s: fast path read %d inputs, asn1 %d; want both exercised", p.name, fast, slow)
		}
	}
}
