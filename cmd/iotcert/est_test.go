package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// estEnv is an EST deployment made with the iotcert binary: the hierarchies
// of "gen example est" in pki/, n IDevIDs (ids d000..., serials SN0000...),
// and a TLS server certificate.
type estEnv struct {
	bin, dir, spec, pki string
	srvCert, srvKey     string
	db                  string
}

var (
	estBinOnce sync.Once
	estBin     string
	estBinErr  error
)

// estBinary builds the iotcert binary once for the EST tests.
func estBinary(t *testing.T) string {
	t.Helper()
	estBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "iotcert-est-bin")
		if err != nil {
			estBinErr = err
			return
		}
		estBin = filepath.Join(dir, "iotcert")
		if out, err := exec.Command("go", "build", "-o", estBin, ".").CombinedOutput(); err != nil {
			estBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if estBinErr != nil {
		t.Fatal(estBinErr)
	}
	return estBin
}

func setupEST(t *testing.T, n int) *estEnv {
	t.Helper()
	dir := t.TempDir()
	e := &estEnv{bin: estBinary(t), dir: dir, spec: filepath.Join(dir, "est.yaml"), pki: filepath.Join(dir, "pki"), db: filepath.Join(dir, "inventory.db")}
	if err := os.WriteFile(e.spec, ldevid.ExampleSpec("est"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "gen", "hierarchy", e.spec, "--out", e.pki)
	var csv strings.Builder
	csv.WriteString("id,serial\n")
	for i := range n {
		fmt.Fprintf(&csv, "d%03d,SN%04d\n", i, i)
	}
	ids := filepath.Join(dir, "ids.csv")
	os.WriteFile(ids, []byte(csv.String()), 0o644)
	e.mustRun(t, "gen", "devices", e.spec, "--out", e.pki, "--device", "idevid", "--from", ids)
	e.srvCert, e.srvKey = writeServerCert(t, dir)
	return e
}

func (e *estEnv) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(e.bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("iotcert %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// writeServerCert writes a self-signed P-256 server certificate for
// 127.0.0.1 and its key.
func writeServerCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "est test server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

// estServer is a running "iotcert est".
type estServer struct {
	cmd  *exec.Cmd
	host string // 127.0.0.1:port
	logs *bytes.Buffer
	mu   *sync.Mutex
	done chan struct{}
}

// start starts "iotcert est" on a free loopback port with extra args.
func (e *estEnv) start(t *testing.T, extra ...string) *estServer {
	t.Helper()
	args := append([]string{"est", "--spec", e.spec, "--dir", e.pki, "--listen", "127.0.0.1:0", "--tls-cert", e.srvCert, "--tls-key", e.srvKey,
		"--idevid-trust", filepath.Join(e.pki, "manufacturer-root", "cert.pem"), "--db", e.db}, extra...)
	cmd := exec.Command(e.bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &estServer{cmd: cmd, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			var l struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "listening" {
				urls <- l.URL
			}
		}
		close(s.done)
	}()
	t.Cleanup(func() { s.kill() })
	select {
	case u := <-urls:
		s.host = strings.TrimSuffix(strings.TrimPrefix(u, "https://"), "/.well-known/est/")
	case <-s.done:
		t.Fatalf("iotcert est stopped:\n%s", s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("iotcert est did not say where it listens:\n%s", s.log())
	}
	return s
}

func (s *estServer) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

func (s *estServer) kill() {
	if s.cmd.ProcessState == nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
}

// device returns the IDevID of device i: certificate chain and key.
func (e *estEnv) device(t *testing.T, i int) ([]*x509.Certificate, any) {
	t.Helper()
	d := store.DeviceDir(e.pki, fmt.Sprintf("d%03d", i))
	var chain []*x509.Certificate
	for _, f := range []string{"cert.pem", "chain.pem"} {
		data, err := os.ReadFile(filepath.Join(d, f))
		if err != nil {
			t.Fatal(err)
		}
		for b, rest := pem.Decode(data); b != nil; b, rest = pem.Decode(rest) {
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			chain = append(chain, c)
		}
	}
	data, _ := os.ReadFile(filepath.Join(d, "key.pem"))
	b, _ := pem.Decode(data)
	key, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	// The chain up to, not including, the manufacturer root.
	return chain[:len(chain)-1], key
}

// estClient is a device's EST client: HTTPS over TLS 1.3 with keep-alive,
// presenting certs (leaf first) with key when certs is not empty.
type estClient struct {
	host string
	http *http.Client
}

func (e *estEnv) client(t *testing.T, s *estServer, certs []*x509.Certificate, key any) *estClient {
	t.Helper()
	pool := x509.NewCertPool()
	data, _ := os.ReadFile(e.srvCert)
	pool.AppendCertsFromPEM(data)
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}
	if len(certs) > 0 {
		tc := tls.Certificate{PrivateKey: key, Leaf: certs[0]}
		for _, c := range certs {
			tc.Certificate = append(tc.Certificate, c.Raw)
		}
		cfg.Certificates = []tls.Certificate{tc}
	}
	return &estClient{host: s.host, http: &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}}
}

// do sends an EST request; a body is a CSR, sent base64 as RFC 7030 asks.
func (c *estClient) do(op string, csr *x509.CertificateRequest) (int, []byte, error) {
	method, body := http.MethodGet, io.Reader(nil)
	if csr != nil {
		method, body = http.MethodPost, strings.NewReader(base64.StdEncoding.EncodeToString(csr.Raw))
	}
	req, err := http.NewRequest(method, "https://"+c.host+"/.well-known/est/"+op, body)
	if err != nil {
		return 0, nil, err
	}
	if csr != nil {
		req.Header.Set("Content-Type", "application/pkcs10")
		req.Header.Set("Content-Transfer-Encoding", "base64")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// certs sends an EST request that answers certificates (cacerts,
// simpleenroll, simplereenroll) and reads them with certio, which reads
// the base64 certs-only PKCS#7 as "iotcert lint" does.
func (c *estClient) certs(t *testing.T, op string, csr *x509.CertificateRequest) []*x509.Certificate {
	t.Helper()
	status, body, err := c.do(op, csr)
	if err != nil || status != http.StatusOK {
		t.Fatalf("%s: %d %v: %s", op, status, err, body)
	}
	var out []*x509.Certificate
	for it := range certio.Read([]string{"-"}, bytes.NewReader(body)) {
		if it.Err != nil {
			t.Fatalf("%s: %v", op, it.Err)
		}
		cert, err := x509.ParseCertificate(it.DER)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cert)
	}
	return out
}

// refused sends an enrollment that must be refused with status want and
// a body that contains msg.
func (c *estClient) refused(t *testing.T, op string, csr *x509.CertificateRequest, want int, msg string) {
	t.Helper()
	status, body, err := c.do(op, csr)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	if status != want || !strings.Contains(string(body), msg) {
		t.Errorf("%s: %d %q; want %d with %q", op, status, body, want, msg)
	}
}

func newCSR(t *testing.T, subject pkix.Name) (*x509.CertificateRequest, *ecdsa.PrivateKey) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject}, key)
	if err != nil {
		t.Fatal(err)
	}
	csr, _ := x509.ParseCertificateRequest(der)
	return csr, key
}

// inventoryRecords lists the inventory with "iotcert inventory list --format json".
func (e *estEnv) inventoryRecords(t *testing.T, args ...string) []map[string]string {
	t.Helper()
	out, err := exec.Command(e.bin, append([]string{"inventory", "list", "--db", e.db, "--format", "json"}, args...)...).Output()
	if err != nil {
		t.Fatalf("inventory list: %v", err)
	}
	var recs []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, m)
	}
	return recs
}

func sha(c *x509.Certificate) string {
	s := sha256.Sum256(c.Raw)
	return hex.EncodeToString(s[:])
}

// TestESTEnrollGo enrolls and re-enrolls as a Go device would: cacerts,
// csrattrs, simpleenroll with an IDevID of "iotcert gen", simplereenroll
// with the LDevID, and the inventory and journal after it; then the
// refusals.
func TestESTEnrollGo(t *testing.T) {
	e := setupEST(t, 2)
	s := e.start(t)
	idev, key := e.device(t, 1)
	c := e.client(t, s, idev, key)

	cas := c.certs(t, "cacerts", nil)
	var names []string
	for _, ca := range cas {
		names = append(names, ca.Subject.CommonName)
	}
	if got := strings.Join(names, ", "); got != "Example LDevID CA, Example Operator Root CA" {
		t.Fatalf("cacerts = %s", got)
	}
	status, attrs, err := c.do("csrattrs", nil)
	// SEQUENCE { SEQUENCE { id-ecPublicKey, SET { secp256r1 } }, ecdsa-with-SHA256 } (RFC 7030 §4.5.2)
	const wantAttrs = "MCEwFQYHKoZIzj0CATEKBggqhkjOPQMBBwYIKoZIzj0EAwI=\r\n"
	if err != nil || status != 200 || string(attrs) != wantAttrs {
		t.Fatalf("csrattrs: %d %v %q", status, err, attrs)
	}

	csr, newKey := newCSR(t, pkix.Name{})
	ldev := c.certs(t, "simpleenroll", csr)[0]
	if ldev.Subject.SerialNumber != "SN0001" || ldev.Subject.CommonName != "Example Sensor SN0001" {
		t.Fatalf("LDevID subject %s: want the device id SN0001 of the IDevID's serialNumber", ldev.Subject)
	}
	if err := ldev.CheckSignatureFrom(cas[0]); err != nil {
		t.Fatalf("LDevID not signed by the LDevID CA: %v", err)
	}

	// Re-enrollment with the LDevID; the old LDevID is superseded and no
	// longer authorizes a re-enrollment.
	rc := e.client(t, s, []*x509.Certificate{ldev}, newKey)
	csr2, key2 := newCSR(t, pkix.Name{})
	ldev2 := rc.certs(t, "simplereenroll", csr2)[0]
	if ldev2.Subject.String() != ldev.Subject.String() || ldev2.SerialNumber.Cmp(ldev.SerialNumber) == 0 {
		t.Fatalf("re-enrolled %s serial %x after %s serial %x", ldev2.Subject, ldev2.SerialNumber, ldev.Subject, ldev.SerialNumber)
	}
	rc = e.client(t, s, []*x509.Certificate{ldev}, newKey) // a new connection
	rc.refused(t, "simplereenroll", csr2, 403, "is superseded")
	// The IDevID authorizes no re-enrollment, an LDevID no enrollment.
	c.refused(t, "simplereenroll", csr2, 403, "is not an LDevID of CA \"ldevid-ca\"")
	rc.refused(t, "simpleenroll", csr2, 403, "not an acceptable IDevID")
	// A revoked LDevID authorizes no re-enrollment.
	e.mustRun(t, "inventory", "revoke", "--db", e.db, "--issuer", "ldevid-ca", "--serial", ldev2.SerialNumber.Text(16))
	rc2 := e.client(t, s, []*x509.Certificate{ldev2}, key2)
	rc2.refused(t, "simplereenroll", csr2, 403, "is revoked")

	recs := e.inventoryRecords(t, "--profile", "ldevid")
	if len(recs) != 2 {
		t.Fatalf("inventory: %v", recs)
	}
	want := []string{
		"SN0001 superseded " + sha(ldev) + " est:idevid:" + idev[0].SerialNumber.Text(16),
		"SN0001 revoked " + sha(ldev2) + " est:ldevid:" + ldev.SerialNumber.Text(16),
	}
	for i, r := range recs {
		if got := r["id"] + " " + r["status"] + " " + r["sha256"] + " " + r["auth"]; got != want[i] {
			t.Errorf("inventory record %d: %s, want %s", i, got, want[i])
		}
	}
	// Journaled too, with the serial it replaces.
	entries, err := store.ReadJournal(filepath.Join(e.pki, store.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	if last.Serial != ldev2.SerialNumber.Text(16) || last.Previous != ldev.SerialNumber.Text(16) || last.Profile != "ldevid" {
		t.Fatalf("last journal line %+v", last)
	}

	// Refusals.
	old := e.client(t, s, idev, key)
	tr := old.http.Transport.(*http.Transport)
	tr.TLSClientConfig.MinVersion, tr.TLSClientConfig.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
	if _, _, err := old.do("cacerts", nil); err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("TLS 1.1: %v, want a handshake failure on the protocol version", err)
	}
	anon := e.client(t, s, nil, nil)
	anon.refused(t, "simpleenroll", csr, 401, "needs TLS client authentication")
	other, _ := newCSR(t, pkix.Name{CommonName: "Example Sensor SN0000", SerialNumber: "SN0000", Organization: []string{"Example Operator"}})
	c.refused(t, "simpleenroll", other, 400, "the CSR's subject")
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	rder, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, rsaKey)
	rcsr, _ := x509.ParseCertificateRequest(rder)
	c.refused(t, "simpleenroll", rcsr, 400, "the CSR's key is RSA-2048; device profile \"ldevid\" requires P-256")
	status, body, _ := c.do("nosuchprofile/cacerts", nil)
	if status != 404 {
		t.Errorf("cacerts of an unknown label: %d %s", status, body)
	}
	for _, tc := range []struct {
		contentType, body string
		status            int
		msg               string
	}{
		{"application/pkcs10", strings.Repeat("A", 20<<10), 413, "request body too large"},
		{"application/x-pem-file", "MII=", 415, "want application/pkcs10"},
		{"application/pkcs10", "not base64!", 400, "the body is not base64"},
		{"application/pkcs10", "MIIB", 400, "not a PKCS#10 certificate request"},
	} {
		req, _ := http.NewRequest(http.MethodPost, "https://"+s.host+"/.well-known/est/ldevid/simpleenroll", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.contentType)
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(got), tc.msg) {
			t.Errorf("POST %s of %d bytes: %d %q; want %d with %q", tc.contentType, len(tc.body), resp.StatusCode, got, tc.status, tc.msg)
		}
	}
}

// runScript runs a bash script in dir with env and returns its output;
// the script fails the test when it fails.
func runScript(t *testing.T, dir, script string, env ...string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", "set -euo pipefail\n"+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("script: %v\n%s", err, out)
	}
	return string(out)
}

// TestESTCurlOpenSSL is a device with curl and openssl: cacerts,
// simpleenroll with its IDevID, simplereenroll with the LDevID, every
// certificate verified by openssl; refusals of an IDevID of another
// manufacturer (same names, other keys) and of an IDevID its profile
// refuses; then the operator root is rolled and cacerts carries the
// rollover set, through which openssl validates the LDevID for a device
// that trusts only the new root.
func TestESTCurlOpenSSL(t *testing.T) {
	for _, tool := range []string{"curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (.ci/run installs it): %v", tool, err)
		}
	}
	e := setupEST(t, 1)
	// Another manufacturer: the same spec, other keys.
	other := filepath.Join(e.dir, "other")
	e.mustRun(t, "gen", "hierarchy", e.spec, "--out", other)
	e.mustRun(t, "gen", "device", e.spec, "--out", other, "--ca", "idevid-ca", "--id", "x1", "--set", "serial=SN0000")
	s := e.start(t)
	env := []string{"PKI=" + e.pki, "OTHER=" + other, "B=https://" + s.host + "/.well-known/est", "SRV=" + e.srvCert}
	out := runScript(t, e.dir, `
C="curl -sS --tlsv1.2 --cacert $SRV"
$C $B/cacerts | openssl base64 -d | openssl pkcs7 -inform DER -print_certs -out cacerts.pem
echo "cacerts: $(grep -c BEGIN cacerts.pem)"
openssl ecparam -name prime256v1 -genkey -noout -out dev.key
openssl req -new -key dev.key -subj / -outform DER | openssl base64 > csr.b64
cat $PKI/devices/d000/cert.pem $PKI/devices/d000/chain.pem > idev.pem
enroll() { # op cert key csr
	$C -o resp -w '%{http_code}' --cert "$2" --key "$3" -H 'Content-Type: application/pkcs10' --data-binary @"$4" $B/$1
}
echo "enroll: $(enroll simpleenroll idev.pem $PKI/devices/d000/key.pem csr.b64)"
openssl base64 -d -in resp | openssl pkcs7 -inform DER -print_certs -out ldev.pem
openssl verify -CAfile $PKI/operator-root/cert.pem -untrusted $PKI/ldevid-ca/cert.pem ldev.pem
openssl x509 -in ldev.pem -noout -subject -nameopt RFC2253
openssl ecparam -name prime256v1 -genkey -noout -out dev2.key
openssl req -new -key dev2.key -subj / -outform DER | openssl base64 > csr2.b64
echo "reenroll: $(enroll simplereenroll ldev.pem dev.key csr2.b64)"
openssl base64 -d -in resp | openssl pkcs7 -inform DER -print_certs -out ldev2.pem
openssl verify -CAfile $PKI/operator-root/cert.pem -untrusted $PKI/ldevid-ca/cert.pem ldev2.pem
cat $OTHER/devices/x1/cert.pem $OTHER/devices/x1/chain.pem > other.pem
echo "other manufacturer: $(enroll simpleenroll other.pem $OTHER/devices/x1/key.pem csr2.b64) $(head -n 1 resp)"
# An IDevID of the right CA that its profile refuses: it has a
# subjectKeyIdentifier, which the IoT profile forbids in an end entity.
openssl ecparam -name prime256v1 -genkey -noout -out bad.key
openssl req -new -key bad.key -subj "/CN=Example Sensor/O=Example Devices Ltd/serialNumber=SN0007" -out bad.csr
printf 'keyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n' > ext.cnf
openssl x509 -req -in bad.csr -CA $PKI/idevid-ca/cert.pem -CAkey $PKI/idevid-ca/key.pem -set_serial 7 -sha256 -days 30 -extfile ext.cnf -out bad.pem 2>/dev/null
cat bad.pem $PKI/idevid-ca/cert.pem > badchain.pem
echo "refused by the profile: $(enroll simpleenroll badchain.pem bad.key csr2.b64)"
grep -o 'e_iot_ee_no_ski' resp
`, env...)
	for _, want := range []string{
		"cacerts: 2\n", "enroll: 200\n", "ldev.pem: OK\n", "subject=CN=Example Sensor SN0000,O=Example Operator,serialNumber=SN0000\n",
		"reenroll: 200\n", "ldev2.pem: OK\n", "other manufacturer: 403 the client certificate is not an acceptable IDevID",
		"refused by the profile: 403\ne_iot_ee_no_ski\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}

	// Roll the operator root; the server restarted with --rollover sends
	// the LDevID CA and the four rollover certificates.
	s.kill()
	e.mustRun(t, "roll", "execute", "--old", filepath.Join(e.pki, "operator-root"), "--resign", filepath.Join(e.pki, "ldevid-ca"), "--out", filepath.Join(e.dir, "roll"))
	s = e.start(t, "--rollover", filepath.Join(e.dir, "roll"))
	env[2] = "B=https://" + s.host + "/.well-known/est"
	out = runScript(t, e.dir, `
curl -sS --cacert $SRV $B/ldevid/cacerts | openssl base64 -d | openssl pkcs7 -inform DER -print_certs -out cacerts2.pem
echo "cacerts: $(grep -c BEGIN cacerts2.pem)"
openssl x509 -in roll/newwithnew.pem -out newroot.pem
# A device that trusts only the new root validates the LDevID issued
# under the old one through OldWithNew, from the /cacerts response alone.
openssl verify -CAfile newroot.pem -untrusted cacerts2.pem ldev2.pem
# A device that trusts only the old root validates the LDevID CA re-signed
# under the new root through NewWithOld.
openssl verify -CAfile $PKI/operator-root/cert.pem -untrusted cacerts2.pem roll/ldevid-ca/cert.pem
`, env...)
	for _, want := range []string{"cacerts: 5\n", "ldev2.pem: OK\n", "roll/ldevid-ca/cert.pem: OK\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// enrollAll enrolls devices from..to-1 with workers at a time and returns
// the LDevIDs received, by device index (nil: not received).
func (e *estEnv) enrollAll(t *testing.T, s *estServer, from, to, workers int, received func()) []*x509.Certificate {
	t.Helper()
	got := make([]*x509.Certificate, to)
	clients := make([]*estClient, to)
	csrs := make([]*x509.CertificateRequest, to)
	for i := from; i < to; i++ {
		certs, key := e.device(t, i)
		clients[i] = e.client(t, s, certs, key)
		csrs[i], _ = newCSR(t, pkix.Name{})
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				status, body, err := clients[i].do("simpleenroll", csrs[i])
				if err != nil || status != http.StatusOK {
					continue
				}
				for it := range certio.Read([]string{"-"}, bytes.NewReader(body)) {
					if it.Err == nil {
						got[i], _ = x509.ParseCertificate(it.DER)
					}
				}
				if received != nil {
					received()
				}
			}
		}()
	}
	for i := from; i < to; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return got
}

// TestESTParallel enrolls 200 devices at once: every one gets an LDevID,
// no two serials are equal, and the inventory holds exactly those
// certificates, each the current one of its device.
func TestESTParallel(t *testing.T) {
	const n = 200
	e := setupEST(t, n)
	s := e.start(t)
	got := e.enrollAll(t, s, 0, n, n, nil)
	serials := map[string]bool{}
	want := map[string]string{} // sha256 -> id
	for i, c := range got {
		if c == nil {
			t.Fatalf("device %d got no LDevID:\n%s", i, s.log())
		}
		if serials[c.SerialNumber.String()] {
			t.Errorf("serial %x issued twice", c.SerialNumber)
		}
		serials[c.SerialNumber.String()] = true
		want[sha(c)] = fmt.Sprintf("SN%04d", i)
	}
	recs := e.inventoryRecords(t, "--profile", "ldevid")
	if len(recs) != n {
		t.Fatalf("inventory holds %d LDevIDs, want %d", len(recs), n)
	}
	for _, r := range recs {
		if want[r["sha256"]] != r["id"] || r["status"] != "issued" {
			t.Errorf("inventory record %v matches no certificate received", r)
		}
	}
}

// TestESTKill kills the server with SIGKILL while devices enroll, starts
// it again and lets the devices that got nothing enroll: no certificate a
// device received is missing from the inventory, and every device ends
// with exactly one current LDevID, the last one it received.
func TestESTKill(t *testing.T) {
	const n = 120
	e := setupEST(t, n)
	s := e.start(t)
	var mu sync.Mutex
	count := 0
	killed := make(chan struct{})
	got := e.enrollAll(t, s, 0, n, 16, func() {
		mu.Lock()
		defer mu.Unlock()
		if count++; count == 40 {
			s.cmd.Process.Kill() // SIGKILL, under load
			close(killed)
		}
	})
	<-killed
	s.cmd.Wait()
	received := 0
	for _, c := range got {
		if c != nil {
			received++
		}
	}
	if received == n {
		t.Fatal("every device enrolled before the kill: the kill hit no load")
	}
	s = e.start(t)
	var missing []int
	for i, c := range got {
		if c == nil {
			missing = append(missing, i)
		}
	}
	for _, i := range missing {
		again := e.enrollAll(t, s, i, i+1, 1, nil)
		if again[i] == nil {
			t.Fatalf("device %d could not enroll after the restart:\n%s", i, s.log())
		}
		got[i] = again[i]
	}
	recs := e.inventoryRecords(t, "--profile", "ldevid")
	bySHA := map[string]map[string]string{}
	current := map[string]int{}
	for _, r := range recs {
		bySHA[r["sha256"]] = r
		if r["status"] == "issued" {
			current[r["id"]]++
		}
	}
	for i, c := range got {
		r := bySHA[sha(c)]
		switch {
		case r == nil:
			t.Errorf("device %d: LDevID serial %x is missing from the inventory", i, c.SerialNumber)
		case r["status"] != "issued" || current[r["id"]] != 1:
			t.Errorf("device %d: LDevID serial %x is %s, %d current", i, c.SerialNumber, r["status"], current[r["id"]])
		}
	}
	t.Logf("%d of %d devices enrolled before the kill; %d inventory records", received, n, len(recs))
}

// TestESTProofOfPossession runs the server with --require-pop: a CSR
// made by openssl with the connection's tls-exporter channel binding (RFC
// 9266) in its challengePassword is accepted on that connection, refused
// on another one, and a CSR without one is refused.
func TestESTProofOfPossession(t *testing.T) {
	e := setupEST(t, 1)
	s := e.start(t, "--require-pop")
	idev, key := e.device(t, 0)
	c := e.client(t, s, idev, key)
	c.http.Transport.(*http.Transport).MaxConnsPerHost = 1

	plain, _ := newCSR(t, pkix.Name{})
	c.refused(t, "simpleenroll", plain, 400, "proof-of-possession linking is required")

	// The binding of the connection, read on a request over it.
	resp, err := c.http.Get("https://" + s.host + "/.well-known/est/cacerts")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	cb, err := resp.TLS.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
	if err != nil {
		t.Fatal(err)
	}
	cnf := "[req]\nprompt = no\ndistinguished_name = dn\nattributes = attrs\n[dn]\nCN = Example Sensor SN0000\nO = Example Operator\nserialNumber = SN0000\n[attrs]\nchallengePassword = " + base64.StdEncoding.EncodeToString(cb) + "\n"
	os.WriteFile(filepath.Join(e.dir, "pop.cnf"), []byte(cnf), 0o644)
	runScript(t, e.dir, `
openssl ecparam -name prime256v1 -genkey -noout -out pop.key
openssl req -new -key pop.key -config pop.cnf -outform DER -out pop.der
openssl req -inform DER -in pop.der -noout -text | grep -q challengePassword
`)
	der, _ := os.ReadFile(filepath.Join(e.dir, "pop.der"))
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.certs(t, "simpleenroll", csr); got[0].Subject.SerialNumber != "SN0000" {
		t.Fatalf("enrolled %s", got[0].Subject)
	}
	other := e.client(t, s, idev, key) // a new connection: another binding
	other.refused(t, "simpleenroll", csr, 400, "not the channel binding of this TLS connection")
}
