package ldevid

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/store"
)

// exampleHierarchy creates the CAs of the example spec.
func exampleHierarchy(t testing.TB, opts ...Option) *Hierarchy {
	t.Helper()
	s, err := LoadSpec("example.yaml", ExampleSpec(""))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestExampleHierarchy issues the example spec's hierarchy and a device,
// publishes them, and checks the result three ways: crypto/x509.Verify,
// openssl verify, and the lint engine (no finding at all).
func TestExampleHierarchy(t *testing.T) {
	h := exampleHierarchy(t)
	dev, err := h.IssueDevice(Request{Device: "bacnet-controller", ID: "4194302", Fields: map[string]string{"serial": "SN-4194302"}})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, c := range h.spec.CAs {
		ca := h.CA(c.Name)
		if err := store.WriteCA(out, ca.Spec.Name, ca.Cert, ca.Key, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.WriteDevice(out, dev.Stored()); err != nil {
		t.Fatal(err)
	}

	// The names are the templates' output.
	if dev.Cert.Subject.CommonName != "BACnet controller 4194302" || len(dev.Cert.URIs) != 1 || dev.Cert.URIs[0].String() != "bacnet://4194302" {
		t.Errorf("subject %s, URIs %v", dev.Cert.Subject, dev.Cert.URIs)
	}
	if sn, err := idevid.SubjectSerialNumber(dev.Cert.RawSubject); err != nil || sn != "SN-4194302" {
		t.Errorf("serialNumber %q, %v", sn, err)
	}
	if len(dev.Cert.SubjectKeyId) != 0 || dev.Cert.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("SKI %x, KU %v", dev.Cert.SubjectKeyId, dev.Cert.KeyUsage)
	}

	// crypto/x509.
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(h.CA("root").Cert)
	inter.AddCert(h.CA("device-ca").Cert)
	if _, err := dev.Cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("x509.Verify: %v", err)
	}

	// openssl.
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		t.Log("openssl is not installed: skipping openssl verify")
	} else {
		cmd := exec.Command("openssl", "verify", "-CAfile", filepath.Join(out, "root", store.CertFile),
			"-untrusted", filepath.Join(out, "device-ca", store.CertFile), filepath.Join(out, store.DevicesDir, "4194302", store.CertFile))
		if b, err := cmd.CombinedOutput(); err != nil || !strings.HasSuffix(strings.TrimSpace(string(b)), ": OK") {
			t.Errorf("openssl verify: %v\n%s", err, b)
		}
	}

	// The lint engine, on the published files.
	chain, err := os.ReadFile(filepath.Join(out, store.DevicesDir, "4194302", store.ChainFile))
	if err != nil {
		t.Fatal(err)
	}
	var ders [][]byte
	for rest := chain; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		ders = append(ders, b.Bytes)
	}
	if len(ders) != 3 || !bytes.Equal(ders[0], dev.Cert.Raw) || !bytes.Equal(ders[2], h.CA("root").Cert.Raw) {
		t.Fatalf("chain.pem holds %d certificates, want device, device CA, root", len(ders))
	}
	for i, der := range ders {
		name := []string{"bacnet-sc", "tls13-iot", "tls13-iot"}[i]
		p, _ := h.Profile(name)
		res := p.LintDER(der)
		if len(res.Findings) != 0 {
			t.Errorf("certificate %d (%s): %+v", i, res.Role, res.Findings)
		}
	}

	// Modes: keys 0600, certificates 0644.
	for _, f := range []string{"root/key.pem", "device-ca/key.pem", "devices/4194302/key.pem"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v", f, fi.Mode(), err)
		}
	}
	if fi, _ := os.Stat(filepath.Join(out, "root/cert.pem")); fi.Mode().Perm() != 0o644 {
		t.Errorf("cert.pem mode %v", fi.Mode())
	}
	// The key is PEM PKCS#8 of the certificate's key.
	keyPEM, _ := os.ReadFile(filepath.Join(out, "devices/4194302/key.pem"))
	b, _ := pem.Decode(keyPEM)
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil || b.Type != "PRIVATE KEY" || !k.(*ecdsa.PrivateKey).PublicKey.Equal(dev.Cert.PublicKey) {
		t.Errorf("device key: %s, %v", b.Type, err)
	}

	// Publishing again is refused: CA material and device ids are not
	// overwritten.
	if err := store.WriteCA(out, h.CA("root").Spec.Name, h.CA("root").Cert, h.CA("root").Key, false); !errors.Is(err, os.ErrExist) {
		t.Errorf("CA overwritten: %v", err)
	}
	if err := store.WriteDevice(out, dev.Stored()); !errors.Is(err, os.ErrExist) {
		t.Errorf("device overwritten: %v", err)
	}

	// The published CAs load again and issue.
	h2, err := New(h.spec, withRules(h.rules))
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.LoadCAs(out, "device-ca", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h2.IssueDevice(Request{Device: "bacnet-controller", ID: "5"}); err != nil {
		t.Errorf("issuing with loaded CAs: %v", err)
	}
}

// TestPreIssuanceGate checks that a device certificate with an error
// finding is refused with the lint's message, and nothing is signed.
func TestPreIssuanceGate(t *testing.T) {
	spec := strings.Replace(minimalSpec, `      - dns: "sensor-{{.id}}.example.com"`, `      - dns: "sensor-{{.id}}.example.com"
      - dns: "other-{{.id}}.example.com"`, 1)
	s, err := LoadSpec("spec.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	_, err = h.IssueDevice(Request{Device: "sensor", ID: "1"})
	var refused *RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("two dNSNames under ldevid-8021ar: %v", err)
	}
	var lints []string
	for _, f := range refused.Findings {
		lints = append(lints, f.Lint)
	}
	if refused.Profile != "ldevid-8021ar" || strings.Join(lints, " ") != "e_iot_ee_san_one_name_per_type" {
		t.Errorf("refusal %+v", refused)
	}
	if !strings.HasPrefix(err.Error(), "refused to sign device \"1\" (profile ldevid-8021ar):\n  error e_iot_ee_san_one_name_per_type: ") {
		t.Errorf("message %q", err)
	}

	// A CA that breaks its profile is refused too: a P-384 root where the
	// profile allows P-256 only.
	s, err = LoadSpec("spec.yaml", []byte(strings.Replace(minimalSpec, "    validity: 20y", "    validity: 20y\n    curve: P-384\n    profile: p256-only", 1)+`
rules:
  profiles:
    p256-only:
      extends: tls13-iot
      rules:
        e_iot_all_spki_curve: {params: {curves: [P-256]}}
`))
	if err != nil {
		t.Fatal(err)
	}
	h, err = New(s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.CreateCAs()
	if !errors.As(err, &refused) || refused.What != `CA "root"` || len(refused.Findings) != 1 || refused.Findings[0].Lint != "e_iot_all_spki_curve" {
		t.Fatalf("P-384 root under p256-only: %v", err)
	}
	if h.CA("root") != nil {
		t.Error("the refused CA was registered")
	}
}

// TestIssueDeviceErrors checks template errors at issuance.
func TestIssueDeviceErrors(t *testing.T) {
	h := exampleHierarchy(t)
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Device: "nope", ID: "1"}, `device profile "nope" is not in the spec`},
		{Request{Device: "bacnet-controller", ID: "../x"}, `device id "../x": only letters, digits, '-', '_' and '.' are allowed`},
		{Request{Device: "bacnet-controller", ID: "1", Fields: map[string]string{"serial": "a_b"}}, `device "1" (bacnet-controller): subject serialNumber: subject serialNumber: "a_b" is not a PrintableString: '_' at 1 is not allowed (allowed: A-Z a-z 0-9 space ' ( ) + , - . / : = ?)`},
	} {
		if _, err := h.IssueDevice(tc.req); err == nil || err.Error() != tc.want {
			t.Errorf("%+v:\n got %v\nwant %s", tc.req, err, tc.want)
		}
	}
}

// TestSignCSR signs a good CSR and refuses a bad signature, an RSA key and
// two dNSNames, each with its reason.
func TestSignCSR(t *testing.T) {
	s, err := LoadSpec("spec.yaml", []byte(strings.Replace(minimalSpec, "profile: ldevid-8021ar", "profile: tls13-iot", 1)))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	subject := pkix.Name{CommonName: "sensor 9", Organization: []string{"Example"}, SerialNumber: "SN9"}
	csr := func(key crypto.Signer, dns ...string) *x509.CertificateRequest {
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject, DNSNames: dns}, key)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificateRequest(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	good := csr(p256, "sensor-9.example.com")
	dev, err := h.SignCSR(Request{Device: "sensor", ID: "9", Fields: map[string]string{"serial": "SN9"}}, good, CSROptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !dev.Cert.PublicKey.(*ecdsa.PublicKey).Equal(&p256.PublicKey) || dev.Cert.DNSNames[0] != "sensor-9.example.com" || dev.key != nil || len(dev.chain) != 2 {
		t.Errorf("signed %v %v", dev.Cert.Subject, dev.Cert.DNSNames)
	}

	badSig := csr(p256, "sensor-9.example.com")
	badSig.Signature[len(badSig.Signature)-3] ^= 0x40
	for _, tc := range []struct {
		name string
		csr  *x509.CertificateRequest
		want []string
	}{
		{"bad signature", badSig, []string{"the CSR's signature does not verify: x509: ECDSA verification failure"}},
		{"RSA key", csr(rsaKey, "sensor-9.example.com"), []string{`the CSR's key is RSA-2048; device profile "sensor" requires P-256`}},
		{"P-384 key", csr(p384, "sensor-9.example.com"), []string{`the CSR's key is P-384; device profile "sensor" requires P-256`}},
		{"two DNS names", csr(p256, "a.example.com", "b.example.com"), []string{`the CSR requests 2 dNSName subjectAltNames; device profile "sensor" allows 1`}},
		{"another device's names", csrWith(t, p256, pkix.Name{CommonName: "sensor 8", Organization: []string{"Example"}, SerialNumber: "SN8"}, "sensor-8.example.com"), []string{
			`the CSR's subject "SERIALNUMBER=SN8,CN=sensor 8,O=Example" differs from the device's "SERIALNUMBER=SN9,CN=sensor 9,O=Example" (CSR only: CN=sensor 8, serialNumber=SN8; device only: CN=sensor 9, serialNumber=SN9)`,
			`the CSR's subjectAltName differs from the device's (CSR only: dNSName sensor-8.example.com; device only: dNSName sensor-9.example.com)`}},
		{"CN only", csrWith(t, p256, pkix.Name{CommonName: "whatever"}), []string{
			`the CSR's subject "CN=whatever" differs from the device's "SERIALNUMBER=SN9,CN=sensor 9,O=Example" (CSR only: CN=whatever; device only: CN=sensor 9, O=Example, serialNumber=SN9)`}},
		{"two CNs", csrWith(t, p256, pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "sensor 9"}, {Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "sensor 8"}}}), []string{
			`the CSR's subject holds attribute CN more than 1 time(s); device profile "sensor" has it 1 time(s)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.SignCSR(Request{Device: "sensor", ID: "9", Fields: map[string]string{"serial": "SN9"}}, tc.csr, CSROptions{})
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("not refused: %v", err)
			}
			if strings.Join(refused.Reasons, "|") != strings.Join(tc.want, "|") {
				t.Errorf("reasons %q, want %q", refused.Reasons, tc.want)
			}
		})
	}
}

// csrWith returns a CSR of key for subject and dNSNames.
func csrWith(t *testing.T, key crypto.Signer, subject pkix.Name, dns ...string) *x509.CertificateRequest {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject, DNSNames: dns}, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSignCSRIdentity checks that a CSR is signed with the names rendered
// for its id: an empty CSR subject and no subjectAltName ask for nothing,
// IgnoreNames takes the rendered names over the CSR's, and a rendered
// subject equal to a CA's is refused.
func TestSignCSRIdentity(t *testing.T) {
	s, err := LoadSpec("spec.yaml", []byte(strings.Replace(minimalSpec, "profile: ldevid-8021ar", "profile: tls13-iot", 1)))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	req := Request{Device: "sensor", ID: "7"}
	for _, tc := range []struct {
		name string
		csr  *x509.CertificateRequest
		opts CSROptions
	}{
		{"empty CSR", csrWith(t, key, pkix.Name{}), CSROptions{}},
		{"other names ignored", csrWith(t, key, pkix.Name{CommonName: "whatever"}, "evil.example.com"), CSROptions{IgnoreNames: true}},
	} {
		dev, err := h.SignCSR(req, tc.csr, tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := dev.Cert.Subject.String(); got != "SERIALNUMBER=7,CN=sensor 7,O=Example" || len(dev.Cert.DNSNames) != 1 || dev.Cert.DNSNames[0] != "sensor-7.example.com" || dev.ID != "7" {
			t.Errorf("%s: subject %s, names %v", tc.name, got, dev.Cert.DNSNames)
		}
	}

	s2, err := LoadSpec("spec.yaml", []byte(strings.NewReplacer("profile: ldevid-8021ar", "profile: tls13-iot",
		`subject: "CN=sensor {{.id}}, O=Example, serialNumber={{.serial}}"`, `subject: "CN={{.id}}, O=Example, C=DE"`).Replace(minimalSpec)))
	if err != nil {
		t.Fatal(err)
	}
	h2, err := New(s2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h2.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"Root", "Sub"} {
		_, err := h2.SignCSR(Request{Device: "sensor", ID: id}, csrWith(t, key, pkix.Name{}), CSROptions{})
		var refused *RefusedError
		want := fmt.Sprintf(`the device's subject "CN=%s,O=Example,C=DE" is the subject of CA %q`, id, strings.ToLower(id))
		if !errors.As(err, &refused) || strings.Join(refused.Reasons, "|") != want {
			t.Errorf("id %s: %v\nwant %s", id, err, want)
		}
	}
}

// TestFileKeys checks encrypted PEM keys: written encrypted, opened with
// the passphrase, refused without it.
func TestFileKeys(t *testing.T) {
	kb, err := keys.NewFileKeys(keys.WithPassphrase([]byte("correct horse")))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []keys.Curve{keys.P256, keys.P384, keys.Ed25519} {
		key, err := kb.Generate("test", c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(key.PEM, []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----")) || key.Ref != "" {
			t.Fatalf("%s: not encrypted PKCS#8:\n%s", c, key.PEM[:40])
		}
		if got := keys.Describe(key.Signer.Public()); got != string(c) {
			t.Errorf("%s key is %s", c, got)
		}
		dir := t.TempDir()
		if err := keys.Write(dir, key, true); err != nil {
			t.Fatal(err)
		}
		signer, err := kb.Open(filepath.Join(dir, keys.File))
		if err != nil {
			t.Fatal(err)
		}
		if !keys.SamePublicKey(signer.Public(), key.Signer.Public()) {
			t.Errorf("%s: opened a different key", c)
		}
		plain, _ := keys.NewFileKeys()
		if _, err := plain.Open(filepath.Join(dir, keys.File)); err == nil {
			t.Errorf("%s: encrypted key opened without the passphrase", c)
		}
		wrong, _ := keys.NewFileKeys(keys.WithPassphrase([]byte("wrong")))
		if _, err := wrong.Open(filepath.Join(dir, keys.File)); err == nil {
			t.Errorf("%s: encrypted key opened with a wrong passphrase", c)
		}
	}
}

// TestWithClockLints checks that a hierarchy on its own clock lints at
// that time: a Matter DAC issued "in 2100" is current in 2100 (no
// n_matter_dac_current notice, which the wall clock would give).
func TestWithClockLints(t *testing.T) {
	s, err := LoadSpec("example_matter.yaml", ExampleSpec("matter"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s, WithClock(func() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	dev, err := h.IssueDevice(Request{Device: "dac", ID: "1", Fields: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	if dev.Cert.NotBefore.Year() != 2100 {
		t.Fatalf("notBefore %s", dev.Cert.NotBefore)
	}
	for _, f := range dev.Result.Findings {
		if f.Lint == "n_matter_dac_current" {
			t.Errorf("linted on the wall clock: %s", f.Details)
		}
	}
}
