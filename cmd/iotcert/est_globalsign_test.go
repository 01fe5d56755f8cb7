package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/iotcert/iotcert/roll"
)

// The EST client of github.com/globalsign/est, an independent RFC 7030
// implementation, is built from testdata/estclient, a module of its own
// (globalsign/est v1.0.6 does not compile against the go-tpm this module
// needs; see its doc comment).
var (
	gsClientOnce        sync.Once
	gsClientBin         string
	gsClientUnavailable string // why its modules could not be downloaded
	gsClientErr         error
)

// gsClientBinary builds testdata/estclient once per test run, next to the
// iotcert binary of the EST tests. When its modules cannot be downloaded
// (no module proxy), the test fails in CI and is skipped elsewhere; when
// they can, a failing build fails the test.
func gsClientBinary(t *testing.T) string {
	t.Helper()
	bin := estBinary(t)
	gsClientOnce.Do(func() {
		src := filepath.Join("testdata", "estclient")
		env := append(os.Environ(), "GOWORK=off")
		dl := exec.Command("go", "mod", "download")
		dl.Dir, dl.Env = src, env
		if out, err := dl.CombinedOutput(); err != nil {
			gsClientUnavailable = fmt.Sprintf("the modules of %s (github.com/globalsign/est v1.0.6) could not be downloaded: %v\n%s", src, err, out)
			return
		}
		gsClientBin = filepath.Join(filepath.Dir(bin), "estclient")
		build := exec.Command("go", "build", "-C", src, "-o", gsClientBin, ".")
		build.Env = env
		if out, err := build.CombinedOutput(); err != nil {
			gsClientErr = fmt.Errorf("go build -C %s: %v\n%s", src, err, out)
		}
	})
	if gsClientUnavailable != "" {
		if os.Getenv("CI") != "" {
			t.Fatal(gsClientUnavailable)
		}
		t.Skip(gsClientUnavailable)
	}
	if gsClientErr != nil {
		t.Fatal(gsClientErr)
	}
	return gsClientBin
}

// gsClient runs the globalsign/est client against an "iotcert est".
type gsClient struct {
	bin, host, anchor string
}

// gsResult is what testdata/estclient prints.
type gsResult struct {
	Op, Error  string
	Status     int
	Certs      [][]byte
	OIDs       []string
	Attributes []gsAttribute
}

// gsAttribute is a CSR attribute of a csrattrs answer.
type gsAttribute struct {
	Type   string
	Values []string
}

// run runs one EST operation with args and returns its result; exit
// status 0 must go with a 200 answer, 1 with anything else.
func (c gsClient) run(t *testing.T, op string, args ...string) gsResult {
	t.Helper()
	cmd := exec.Command(c.bin, append(append([]string{"-host", c.host, "-anchor", c.anchor}, args...), op)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var res gsResult
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("estclient %s: %v, output %q: %v\n%s", op, err, out, jerr, stderr.Bytes())
	}
	code := cmd.ProcessState.ExitCode()
	if (code == 0) != (res.Status == 200 && res.Error == "") || code > 1 {
		t.Fatalf("estclient %s: exit %d with %s", op, code, out)
	}
	return res
}

// certs runs an operation that must answer certificates and returns them.
func (c gsClient) certs(t *testing.T, op string, args ...string) []*x509.Certificate {
	t.Helper()
	res := c.run(t, op, args...)
	if res.Status != 200 {
		t.Fatalf("globalsign/est %s: %d %s", op, res.Status, res.Error)
	}
	var certs []*x509.Certificate
	for _, der := range res.Certs {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatalf("globalsign/est %s: %v", op, err)
		}
		certs = append(certs, cert)
	}
	return certs
}

// refused runs an operation that must be refused with status want and
// an error that contains msg.
func (c gsClient) refused(t *testing.T, op string, want int, msg string, args ...string) {
	t.Helper()
	res := c.run(t, op, args...)
	if res.Status != want || !strings.Contains(res.Error, msg) {
		t.Errorf("globalsign/est %s: %d %q; want %d with %q", op, res.Status, res.Error, want, msg)
	}
}

// pemCerts reads the certificates of PEM files, in order.
func pemCerts(t *testing.T, files ...string) []*x509.Certificate {
	t.Helper()
	var certs []*x509.Certificate
	for _, f := range files {
		certs = append(certs, readPEMChain(t, f)...)
	}
	return certs
}

// sameCerts says whether two lists hold the same certificates, byte for
// byte, in the same order.
func sameCerts(a, b []*x509.Certificate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			return false
		}
	}
	return true
}

func subjects(certs []*x509.Certificate) string {
	var s []string
	for _, c := range certs {
		s = append(s, c.Subject.String())
	}
	return strings.Join(s, "; ")
}

// writePEM writes blocks of one type to dir/name (mode 0600: keys) and
// returns its path.
func writePEM(t *testing.T, dir, name, typ string, ders ...[]byte) string {
	t.Helper()
	var buf bytes.Buffer
	for _, der := range ders {
		pem.Encode(&buf, &pem.Block{Type: typ, Bytes: der})
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// newCSRFiles makes a P-256 key and a CSR with subject, and writes the
// CSR (DER) and the key (PKCS#8 PEM) to dir; it returns the files and the
// key.
func newCSRFiles(t *testing.T, dir, name string, subject pkix.Name) (csrFile, keyFile string, key *ecdsa.PrivateKey) {
	t.Helper()
	csr, key := newCSR(t, subject)
	csrFile = filepath.Join(dir, name+".csr")
	if err := os.WriteFile(csrFile, csr.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return csrFile, writePEM(t, dir, name+".key", "PRIVATE KEY", kder), key
}

// verifies checks that leaf chains to one of roots through intermediates
// with crypto/x509, and has key's public key.
func verifies(t *testing.T, what string, leaf *x509.Certificate, key *ecdsa.PrivateKey, roots, intermediates []*x509.Certificate) {
	t.Helper()
	opts := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	for _, r := range roots {
		opts.Roots.AddCert(r)
	}
	for _, c := range intermediates {
		opts.Intermediates.AddCert(c)
	}
	if _, err := leaf.Verify(opts); err != nil {
		t.Errorf("%s does not verify: %v", what, err)
	}
	if key != nil && !key.PublicKey.Equal(leaf.PublicKey) {
		t.Errorf("%s does not carry the CSR's key", what)
	}
}

// TestESTGlobalSignClient enrolls with the EST client of
// github.com/globalsign/est against the real "iotcert est" and a
// hierarchy made by "iotcert gen": cacerts is the issuing chain, csrattrs
// what the profile needs, simpleenroll with an IDevID gives an LDevID for
// the IDevID's id that verifies against the chain, simplereenroll with that
// LDevID gives the next one, and the refusals reach the client with their
// status and reason; under --rollover cacerts carries the four rollover
// certificates, through which the LDevID verifies for a device that trusts
// only the new root.
func TestESTGlobalSignClient(t *testing.T) {
	bin := gsClientBinary(t)
	e := setupEST(t, 2)
	s := e.start(t)
	c := gsClient{bin: bin, host: s.host, anchor: e.srvCert}
	root := pemCerts(t, filepath.Join(e.pki, "operator-root", "cert.pem"))

	chain := pemCerts(t, filepath.Join(e.pki, "ldevid-ca", "cert.pem"), filepath.Join(e.pki, "operator-root", "cert.pem"))
	if cas := c.certs(t, "cacerts"); !sameCerts(cas, chain) {
		t.Fatalf("cacerts = %s; want the issuing chain %s", subjects(cas), subjects(chain))
	}
	// id-ecPublicKey with secp256r1, and ecdsa-with-SHA256 (RFC 7030 §4.5.2).
	wantAttrs := gsResult{Op: "csrattrs", Status: 200, OIDs: []string{"1.2.840.10045.4.3.2"},
		Attributes: []gsAttribute{{Type: "1.2.840.10045.2.1", Values: []string{"1.2.840.10045.3.1.7"}}}}
	if attrs := c.run(t, "csrattrs"); !reflect.DeepEqual(attrs, wantAttrs) {
		t.Errorf("csrattrs = %+v, want %+v", attrs, wantAttrs)
	}

	// Enrollment with the IDevID of d001 (serialNumber SN0001).
	dev := filepath.Join(e.pki, "devices", "d001")
	idev := writePEM(t, e.dir, "idevid.pem", "CERTIFICATE", rawCerts(pemCerts(t, filepath.Join(dev, "cert.pem"), filepath.Join(dev, "chain.pem")))...)
	idevKey := filepath.Join(dev, "key.pem")
	csr, ldevKeyFile, ldevKey := newCSRFiles(t, e.dir, "ldevid", pkix.Name{})
	got := c.certs(t, "enroll", "-cert", idev, "-key", idevKey, "-csr", csr)
	ldev := got[0]
	if ldev.Subject.SerialNumber != "SN0001" || ldev.Subject.CommonName != "Example Sensor SN0001" {
		t.Fatalf("LDevID subject %s: want the device id SN0001 of the IDevID's serialNumber", ldev.Subject)
	}
	verifies(t, "the LDevID", ldev, ldevKey, root, chain)

	// Re-enrollment with the LDevID and a new key; the superseded LDevID
	// then authorizes nothing.
	ldevFile := writePEM(t, e.dir, "ldevid.pem", "CERTIFICATE", ldev.Raw)
	csr2, _, ldevKey2 := newCSRFiles(t, e.dir, "ldevid2", pkix.Name{})
	ldev2 := c.certs(t, "reenroll", "-cert", ldevFile, "-key", ldevKeyFile, "-csr", csr2)[0]
	if ldev2.Subject.String() != ldev.Subject.String() || ldev2.SerialNumber.Cmp(ldev.SerialNumber) == 0 {
		t.Fatalf("re-enrolled %s serial %x after %s serial %x", ldev2.Subject, ldev2.SerialNumber, ldev.Subject, ldev.SerialNumber)
	}
	verifies(t, "the re-enrolled LDevID", ldev2, ldevKey2, root, chain)
	c.refused(t, "reenroll", 403, "is superseded", "-cert", ldevFile, "-key", ldevKeyFile, "-csr", csr2)

	// Refusals, as the client reports them.
	other, _, _ := newCSRFiles(t, e.dir, "other", pkix.Name{CommonName: "Example Sensor SN0000", SerialNumber: "SN0000", Organization: []string{"Example Operator"}})
	c.refused(t, "enroll", 400, "the CSR's subject", "-cert", idev, "-key", idevKey, "-csr", other)
	c.refused(t, "enroll", 401, "needs TLS client authentication", "-csr", csr)
	c.refused(t, "reenroll", 403, "is not an LDevID of CA \"ldevid-ca\"", "-cert", idev, "-key", idevKey, "-csr", csr2)

	recs := e.inventoryRecords(t, "--profile", "ldevid")
	want := []string{
		"SN0001 superseded " + sha(ldev) + " est:idevid:" + pemCerts(t, filepath.Join(dev, "cert.pem"))[0].SerialNumber.Text(16),
		"SN0001 issued " + sha(ldev2) + " est:ldevid:" + ldev.SerialNumber.Text(16),
	}
	if len(recs) != len(want) {
		t.Fatalf("inventory: %v", recs)
	}
	for i, r := range recs {
		if got := r["id"] + " " + r["status"] + " " + r["sha256"] + " " + r["auth"]; got != want[i] {
			t.Errorf("inventory record %d: %s, want %s", i, got, want[i])
		}
	}

	// Roll the operator root: cacerts, asked under the profile's label,
	// carries the LDevID CA and NewWithOld, OldWithNew, NewWithNew and
	// OldWithOld (RFC 7030 §4.1.3), as roll execute wrote them.
	s.kill()
	rolled := filepath.Join(e.dir, "roll")
	e.mustRun(t, "roll", "execute", "--old", filepath.Join(e.pki, "operator-root"), "--resign", filepath.Join(e.pki, "ldevid-ca"), "--out", rolled)
	s = e.start(t, "--rollover", rolled)
	c.host = s.host
	wantRoll := pemCerts(t, filepath.Join(e.pki, "ldevid-ca", "cert.pem"), filepath.Join(rolled, roll.NewWithOldFile),
		filepath.Join(rolled, roll.OldWithNewFile), filepath.Join(rolled, roll.NewWithNewFile), filepath.Join(rolled, roll.OldWithOldFile))
	cas := c.certs(t, "cacerts", "-label", "ldevid")
	if !sameCerts(cas, wantRoll) {
		t.Fatalf("cacerts during the rollover = %s; want %s", subjects(cas), subjects(wantRoll))
	}
	// A device that trusts only the new root validates its LDevID, issued
	// under the old one, through OldWithNew from the answer alone.
	verifies(t, "the LDevID under the new root", ldev2, nil, pemCerts(t, filepath.Join(rolled, roll.NewWithNewFile)), cas)
}

func rawCerts(certs []*x509.Certificate) [][]byte {
	var ders [][]byte
	for _, c := range certs {
		ders = append(ders, c.Raw)
	}
	return ders
}
