package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/serve"
)

// postLint posts body to a server made with the default rules, as the
// file name, and returns the status and body.
func postLint(t *testing.T, name string, body []byte, query string) (int, []byte) {
	t.Helper()
	rules, err := profile.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve.New(serve.Config{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/v1/lint?"+query, bytes.NewReader(body))
	req.Header.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// TestServeSameAsLint checks that POST /v1/lint answers with the JSON
// report "iotcert lint --format json" writes, plus the verdict, and that
// a body with no certificate gets 400 with the errors in the words
// "iotcert lint" prints (but for where a PKCS#12 password goes).
func TestServeSameAsLint(t *testing.T) {
	t.Chdir(certs)
	code, out, _ := iotcert(t, "", "lint", "--format", "json", "sample-bundle.pem")
	if code != exitFindings {
		t.Fatalf("lint: exit %d", code)
	}
	status, body := postLint(t, "sample-bundle.pem", readBytes(t, "sample-bundle.pem"), "at="+testNow)
	if status != 200 {
		t.Fatalf("serve: %d %s", status, body)
	}
	verdict := regexp.MustCompile(`,"verdict":\{[^}]*\}\}\n$`)
	if !verdict.Match(body) {
		t.Fatalf("no verdict at the end of %s", body)
	}
	if got := verdict.ReplaceAllString(string(body), "}\n"); got != out {
		t.Errorf("serve's report differs from lint's:\nserve: %s\nlint:  %s", got, out)
	}

	for _, name := range []string{"truncated.pem", "wrong-tag.der", "empty.pem", "binary-garbage.bin", "huge-length.der", "pkcs7-no-certs.p7b", "wrong-password.p12"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "malformed", name)
			code, _, errOut := iotcert(t, "", "lint", path)
			if code != exitUsage {
				t.Fatalf("lint: exit %d", code)
			}
			status, body := postLint(t, path, readBytes(t, path), "")
			if status != 400 {
				t.Fatalf("serve: %d %s", status, body)
			}
			var e serve.Error
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, in := range e.Inputs {
				got = append(got, "iotcert lint: "+strings.Replace(strings.Replace(in.Message, name, path, 1), "in the "+serve.PasswordHeader+" header", "with --p12-password-file or the IOTCERT_P12_PASSWORD environment variable", 1))
			}
			got = append(got, "iotcert lint: "+strings.Replace(e.Error, name, path, 1))
			if want := strings.TrimSpace(errOut); strings.Join(got, "\n") != want {
				t.Errorf("serve says\n%s\nlint says\n%s", strings.Join(got, "\n"), want)
			}
		})
	}
}

func readBytes(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestServeUsageErrors checks the flags serve refuses.
func TestServeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--listen", "0.0.0.0:8080"}, "iotcert serve: --listen 0.0.0.0:8080 is not a loopback address: serve HTTPS (--tls-cert, --tls-key) or allow plain HTTP with --insecure\n"},
		{[]string{"--listen", "8080"}, "iotcert serve: --listen \"8080\": address 8080: missing port in address\n"},
		{[]string{"--tls-cert", "c.pem"}, "iotcert serve: --tls-cert and --tls-key: give both or neither\n"},
		{[]string{"--trust", "lab"}, "invalid value \"lab\" for flag -trust: \"lab\": want NAME=FILE\n"},
		{[]string{"--trust", "lab=" + filepath.Join("..", "..", "testdata", "malformed", "truncated.pem")}, "iotcert serve: --trust lab: " + filepath.Join("..", "..", "testdata", "malformed", "truncated.pem") + " (certificate 0, byte 0): truncated PEM block: no END line before end of input\n"},
		{[]string{"--trust", "lab=nope.pem"}, "iotcert serve: --trust lab: nope.pem"},
		{[]string{"--timeout", "0s"}, "iotcert serve: --max-body, --timeout and --max-concurrent must be positive\n"},
		{[]string{"extra"}, "iotcert serve: unexpected argument \"extra\"\n"},
	} {
		code, _, errOut := iotcert(t, "", append([]string{"serve"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.msg) {
			t.Errorf("serve %v: exit %d, %q; want 2, %q", tc.args, code, errOut, tc.msg)
		}
	}
}

// TestServeTLSFilesFirst: --tls-cert and --tls-key are read and checked
// before anything listens, so a wrong file stops serve with exit 2, a
// message that names the flags and files, and no "listening" log line.
func TestServeTLSFilesFirst(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.pem")
	huge := filepath.Join(dir, "huge.pem")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(huge, make([]byte, 1<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	pair := func(name string) (string, string) {
		c, k, _ := writeTLSPair(t, dir, name)
		return c, k
	}
	aCert, aKey := pair("a")
	_, bKey := pair("b")
	for _, tc := range []struct {
		cert, key, want string
	}{
		{empty, aKey, "iotcert serve: --tls-cert " + empty + ", --tls-key " + aKey + ": tls: failed to find any PEM data in certificate input\n"},
		{aCert, bKey, "iotcert serve: --tls-cert " + aCert + ", --tls-key " + bKey + ": tls: private key does not match public key\n"},
		{huge, aKey, "iotcert serve: --tls-cert: " + huge + ": larger than 1048576 bytes\n"},
		{aCert, huge, "iotcert serve: --tls-key: " + huge + ": larger than 1048576 bytes\n"},
		{aCert, filepath.Join(dir, "none.key"), "iotcert serve: --tls-key: open " + filepath.Join(dir, "none.key") + ": no such file or directory\n"},
	} {
		code, out, errOut := iotcert(t, "", "serve", "--listen", "127.0.0.1:0", "--tls-cert", tc.cert, "--tls-key", tc.key)
		if code != exitUsage || out != "" || errOut != tc.want {
			t.Errorf("--tls-cert %s --tls-key %s: exit %d, stdout %q, stderr %q; want exit 2, stderr %q", tc.cert, tc.key, code, out, errOut, tc.want)
		}
	}
}

// startServe builds the iotcert binary, starts "iotcert serve" on a free
// loopback port with args and returns its base URL. At cleanup it sends
// SIGTERM and checks that the server stops cleanly (exit 0, "stopped"
// logged) after finishing what is in flight.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "iotcert")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	var logs bytes.Buffer
	logDone := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(logDone)
	}()
	var base string
	deadline := time.After(30 * time.Second)
	for base == "" {
		select {
		case line := <-lines:
			var l struct{ Msg, URL string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" {
				base = strings.TrimSuffix(l.URL, "/")
			}
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("iotcert serve did not say where it listens")
		}
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") && !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("listening on %q", base)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		// Read the log to its end before Wait, which closes the pipe once
		// the process has exited: called first, it can drop the last
		// lines ("stopped") that the reader has not read yet.
		select {
		case <-logDone:
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			<-logDone
			t.Errorf("iotcert serve did not stop within 60 s of SIGTERM")
		}
		err := cmd.Wait()
		if err != nil {
			t.Errorf("iotcert serve after SIGTERM: %v\n%s", err, logs.String())
		}
		if !strings.Contains(logs.String(), `"msg":"stopped"`) {
			t.Errorf("no clean stop logged:\n%s", logs.String())
		}
	})
	return base
}

// writeTLSPair writes a self-signed P-256 server certificate for
// 127.0.0.1, valid for the hour around now, and its key into dir as
// NAME.pem and NAME.key; it returns both paths and the certificate.
func writeTLSPair(t *testing.T, dir, name string) (certFile, keyFile string, der []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "iotcert serve test " + name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, der
}

// TestServeTLS runs the real binary with HTTPS, with a certificate made
// here: a client that trusts it lints the sample bundle over a loopback
// port; SIGTERM then stops the server cleanly (checked at cleanup).
func TestServeTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	certFile, keyFile, der := writeTLSPair(t, t.TempDir(), "tls")
	base := startServe(t, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("serving %s, want https", base)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Post(base+"/v1/lint?at="+testNow, "application/x-pem-file", bytes.NewReader(readBytes(t, filepath.Join(certs, "sample-bundle.pem"))))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.TLS == nil || resp.Header.Get(serve.VerdictHeader) != "fail" || !bytes.Contains(body, []byte(`"summary":{"certificates":8,`)) {
		t.Errorf("%d, TLS %v, verdict %q: %s", resp.StatusCode, resp.TLS != nil, resp.Header.Get(serve.VerdictHeader), body)
	}
}
