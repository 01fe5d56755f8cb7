package serve

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
)

const certs = "../testdata/certs"

// testNow is the time lints judge at in these tests (?at=, added by do
// unless the query names one): the generated certificates have fixed
// dates, so the tests must not depend on the day they run.
const testNow = "2026-06-01"

func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Rules == nil {
		rules, err := profile.LoadDefault()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Rules = rules
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// do sends a request to s, checks the response against the OpenAPI
// document, and returns it. route is the documented path.
func do(t *testing.T, s *Server, method, route, query string, body []byte, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	target := route
	if strings.HasPrefix(route, "/v1/lint") && !strings.Contains(query, "at=") {
		query = strings.TrimPrefix(query+"&at="+testNow, "&")
	}
	if query != "" {
		target += "?" + query
	}
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	checkResponse(t, method, route, rec)
	return rec
}

// errorOf decodes an error response.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) Error {
	t.Helper()
	var e Error
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	return e
}

// reportOf decodes a JSON report with its verdict.
func reportOf(t *testing.T, rec *httptest.ResponseRecorder) (profile.Report, Verdict) {
	t.Helper()
	var r struct {
		profile.Report
		Verdict Verdict `json:"verdict"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("report %q: %v", rec.Body, err)
	}
	return r.Report, r.Verdict
}

func findings(res profile.Result) []string {
	out := []string{}
	for _, f := range res.Findings {
		out = append(out, f.Lint)
	}
	return out
}

// TestLintSampleBundle posts the sample bundle and checks the report, the
// verdict and the verdict header.
func TestLintSampleBundle(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "sample-bundle.pem")),
		"Content-Type", "application/x-pem-file", "Content-Disposition", `attachment; filename="sample-bundle.pem"`)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rep, v := reportOf(t, rec)
	want := [][]string{
		{}, {}, {},
		{"w_iot_all_serial_entropy_64bit"},
		{"e_iot_all_spki_curve"},
		{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"},
		{"e_iot_ee_no_ski"},
		{"e_iot_ee_ku_critical"},
	}
	if len(rep.Certificates) != len(want) {
		t.Fatalf("%d certificates, want %d", len(rep.Certificates), len(want))
	}
	for i, c := range rep.Certificates {
		if got := findings(c); !slices.Equal(got, want[i]) {
			t.Errorf("certificate %d: %v, want %v", i, got, want[i])
		}
		if c.Origin.File != "sample-bundle.pem" || c.Origin.Index != i {
			t.Errorf("certificate %d: origin %+v", i, c.Origin)
		}
	}
	wantV := Verdict{FailOn: "error", Pass: false, Reason: "findings at or above error"}
	if v != wantV || rec.Header().Get(VerdictHeader) != "fail" {
		t.Errorf("verdict %+v, header %q; want %+v, fail", v, rec.Header().Get(VerdictHeader), wantV)
	}
	if rep.Summary != (profile.Summary{Certificates: 8, Clean: 3, Findings: profile.LevelCounts{Error: 4, Warn: 2}, Worst: "error"}) {
		t.Errorf("summary %+v", rep.Summary)
	}
}

// TestLintVerdictPass lints a conforming chain: pass, and fail_on=notice
// still passes a chain without findings.
func TestLintVerdictPass(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, "POST", "/v1/lint", "fail_on=notice", readFile(t, filepath.Join(certs, "tls13-iot/chain.pem")))
	_, v := reportOf(t, rec)
	if v != (Verdict{FailOn: "notice", Pass: true}) || rec.Header().Get(VerdictHeader) != "pass" {
		t.Errorf("verdict %+v, header %q", v, rec.Header().Get(VerdictHeader))
	}
	// The sample bundle fails at warn too, and passes nothing at notice.
	rec = do(t, s, "POST", "/v1/lint", "fail_on=warn", readFile(t, filepath.Join(certs, "sample-bundle.pem")))
	if _, v := reportOf(t, rec); v.Pass || v.Reason != "findings at or above warn" {
		t.Errorf("fail_on=warn: %+v", v)
	}
}

// TestLintFormats checks each representation the Accept header can ask
// for.
func TestLintFormats(t *testing.T) {
	s := newTestServer(t, Config{})
	body := readFile(t, filepath.Join(certs, "sample-bundle.pem"))
	for _, tc := range []struct {
		accept, media string
		check         func(t *testing.T, b []byte)
	}{
		{"", "application/json", func(t *testing.T, b []byte) {}},
		{"*/*", "application/json", func(t *testing.T, b []byte) {}},
		{"text/html, application/json;q=0.9", "application/json", func(t *testing.T, b []byte) {}},
		{"application/sarif+json", "application/sarif+json", func(t *testing.T, b []byte) {
			var sarif struct {
				Version string `json:"version"`
				Runs    []struct {
					Results []json.RawMessage `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(b, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 6 {
				t.Errorf("SARIF: %v, %+v", err, sarif)
			}
		}},
		{"application/junit+xml", "application/junit+xml", func(t *testing.T, b []byte) {
			var suites struct {
				Failures int `xml:"failures,attr"`
			}
			if err := xml.Unmarshal(b, &suites); err != nil || suites.Failures != 4 {
				t.Errorf("JUnit: %v, %d failures, want 4", err, suites.Failures)
			}
		}},
		{"application/xml", "application/junit+xml", func(t *testing.T, b []byte) {}},
		{"text/plain", "text/plain", func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte("verdict: FAIL (findings at or above error)")) || !bytes.Contains(b, []byte("Chains\n")) {
				t.Errorf("text report:\n%s", b)
			}
		}},
		{"image/svg+xml", "image/svg+xml", func(t *testing.T, b []byte) {
			var svg struct {
				XMLName xml.Name
				Groups  []struct {
					Title string `xml:"title"`
				} `xml:"g"`
			}
			if err := xml.Unmarshal(b, &svg); err != nil || svg.XMLName.Local != "svg" {
				t.Fatalf("SVG: %v %v", err, svg.XMLName)
			}
			if len(svg.Groups) != 8 || !strings.HasPrefix(svg.Groups[0].Title, "ok root CN=Example IoT Root CA") {
				t.Errorf("SVG: %d boxes, first %q; want 8, the root", len(svg.Groups), svg.Groups[0].Title)
			}
		}},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			rec := do(t, s, "POST", "/v1/lint", "", body, "Accept", tc.accept)
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.media) {
				t.Fatalf("%d %s: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			if rec.Header().Get(VerdictHeader) != "fail" {
				t.Errorf("verdict header %q", rec.Header().Get(VerdictHeader))
			}
			tc.check(t, rec.Body.Bytes())
		})
	}
}

// TestLintErrors checks every error of POST /v1/lint.
func TestLintErrors(t *testing.T) {
	s := newTestServer(t, Config{MaxBodyBytes: 4000, Trust: map[string][]certio.Item{"lab": readItems(t, "tls13-iot/root.pem")}})
	good := readFile(t, filepath.Join(certs, "tls13-iot/ee.pem"))
	big := readFile(t, filepath.Join(certs, "sample-bundle.pem"))
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	derKey, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, query string
		body        []byte
		header      []string
		code        int
		msg         string
	}{
		{"unknown profile", "profile=nope", good, nil, 400, `unknown profile "nope" (known: `},
		{"bad fail_on", "fail_on=fatal", good, nil, 400, `fail_on "fatal": want notice, warn or error`},
		{"bad at", "at=tomorrow", good, nil, 400, `at: "tomorrow" is neither an RFC 3339 time (2027-01-31T00:00:00Z) nor a date (2027-01-31)`},
		{"unknown trust", "trust=prod", good, nil, 400, `trust "prod": no such trust store (known: lab)`},
		{"unknown parameter", "profil=tls13-iot", good, nil, 400, `unknown query parameter "profil" (want profile, fail_on, at, trust)`},
		{"repeated parameter", "profile=tls13-iot&profile=rfc7925", good, nil, 400, `query parameter "profile" given 2 times`},
		{"empty body", "", nil, nil, 400, "no certificate found in standard input: 1 input read (0 bytes); 1 input error|- (certificate 0, byte 0): empty input: no certificate"},
		{"truncated PEM", "", readFile(t, "../testdata/malformed/truncated.pem"), nil, 400, "no certificate found in standard input: 1 input read (271 bytes); 1 input error|- (certificate 0, byte 0): truncated PEM block: no END line before end of input"},
		{"named", "", readFile(t, "../testdata/malformed/wrong-tag.der"), []string{"Content-Disposition", `attachment; filename="../x/wrong-tag.der"`}, 400, "no certificate found in wrong-tag.der: 1 input read (359 bytes); 1 input error|wrong-tag.der (certificate 0, byte 0): "},
		{"wrong PKCS#12 password", "", readFile(t, "../testdata/malformed/trust-store.p12"), []string{PasswordHeader, "not-it"}, 400, "no certificate found in standard input: 1 input read (1353 bytes); 1 input error|- (certificate 0, byte 0): PKCS#12: wrong password (give it in the Iotcert-PKCS12-Password header)"},
		{"DER private key", "", derKey, nil, 400, "no certificate found in standard input: 1 input read (" + strconv.Itoa(len(derKey)) + " bytes)"},
		{"too large", "", big, nil, 413, "request body larger than 4000 bytes"},
		{"JSON body", "", good, []string{"Content-Type", "application/json"}, 415, `Content-Type "application/json": want a certificate`},
		{"multipart body", "", good, []string{"Content-Type", "multipart/form-data; boundary=x"}, 415, `Content-Type "multipart/form-data": want a certificate`},
		{"PNG wanted", "", good, []string{"Accept", "image/png"}, 406, "Accept: want application/json, application/sarif+json, application/junit+xml, text/plain or image/svg+xml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, s, "POST", "/v1/lint", tc.query, tc.body, tc.header...)
			if rec.Code != tc.code {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tc.code)
			}
			// msg is the error, or the error and the first input error.
			msg, input, located := strings.Cut(tc.msg, "|")
			e := errorOf(t, rec)
			if located && (e.Error != msg || len(e.Inputs) != 1 || !strings.HasPrefix(e.Inputs[0].Message, input)) {
				t.Errorf("error %q, inputs %+v; want %q, an input error starting with %q", e.Error, e.Inputs, msg, input)
			}
			if !located && !strings.HasPrefix(e.Error, tc.msg) {
				t.Errorf("error %q, want it to start with %q", e.Error, tc.msg)
			}
		})
	}
}

// TestLintTooLargeChunked checks the body limit when no Content-Length
// announces the size.
func TestLintTooLargeChunked(t *testing.T) {
	s := newTestServer(t, Config{MaxBodyBytes: 4000})
	req := httptest.NewRequest("POST", "/v1/lint", io.MultiReader(bytes.NewReader(readFile(t, filepath.Join(certs, "sample-bundle.pem")))))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	checkResponse(t, "POST", "/v1/lint", rec)
	if rec.Code != 413 {
		t.Errorf("%d %s, want 413", rec.Code, rec.Body)
	}
}

// TestLintPartlyBad checks that a body with a bad input and a good
// certificate gets the report, with the input error located in place and
// the good certificate judged, as "iotcert lint" reports it.
func TestLintPartlyBad(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, "POST", "/v1/lint", "", readFile(t, "../testdata/malformed/bad-base64.pem"))
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rep, v := reportOf(t, rec)
	if len(rep.Certificates) != 2 || findings(rep.Certificates[0])[0] != profile.InputErrorLint || rep.Certificates[1].SHA256 == "" {
		t.Errorf("certificates %+v", rep.Certificates)
	}
	if v != (Verdict{FailOn: "error", Pass: false, Reason: "input errors"}) {
		t.Errorf("verdict %+v", v)
	}
}

func readItems(t *testing.T, name string) []certio.Item {
	t.Helper()
	var items []certio.Item
	for it := range certio.Read([]string{filepath.Join(certs, name)}, nil) {
		if it.Err != nil {
			t.Fatal(it.Err)
		}
		items = append(items, it)
	}
	return items
}

// TestLintTrustAndAt checks ?trust= (the root ends the chain instead of
// an orphan finding) and ?at= (expiry judged at that time).
func TestLintTrustAndAt(t *testing.T) {
	s := newTestServer(t, Config{Trust: map[string][]certio.Item{"lab": readItems(t, "tls13-iot/root.pem")}})
	body := append(readFile(t, filepath.Join(certs, "tls13-iot/sub.pem")), readFile(t, filepath.Join(certs, "tls13-iot/ee.pem"))...)
	rec := do(t, s, "POST", "/v1/lint", "", body)
	rep, _ := reportOf(t, rec)
	if got := findings(rep.Certificates[0]); !slices.Equal(got, []string{bundle.OrphanNotice}) {
		t.Errorf("without trust: sub findings %v, want [%s]", got, bundle.OrphanNotice)
	}
	rec = do(t, s, "POST", "/v1/lint", "trust=lab", body)
	rep, v := reportOf(t, rec)
	if got := findings(rep.Certificates[0]); len(got) != 0 || !v.Pass {
		t.Errorf("with trust: sub findings %v, verdict %+v; want none, pass", got, v)
	}
	rec = do(t, s, "POST", "/v1/lint", "trust=lab&at=2200-01-01", body)
	rep, _ = reportOf(t, rec)
	if got := findings(rep.Certificates[1]); !slices.Contains(got, bundle.Expired) {
		t.Errorf("at 2200: ee findings %v, want %s", got, bundle.Expired)
	}
}

// TestLintPKCS12 reads a PKCS#12 store with the password header.
func TestLintPKCS12(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, "POST", "/v1/lint", "", readFile(t, "../testdata/malformed/trust-store.p12"),
		"Content-Type", "application/pkcs12", PasswordHeader, "iotcert-test")
	rep, _ := reportOf(t, rec)
	if rec.Code != 200 || len(rep.Certificates) != 2 || rep.Certificates[0].SHA256 == "" || rep.Certificates[1].SHA256 == "" {
		t.Errorf("%d: %+v", rec.Code, rep.Certificates)
	}
}

// blocker makes lints wait until released, to hold requests in flight.
type blocker struct{ entered, release chan struct{} }

func newBlocker(s *Server) *blocker {
	b := &blocker{entered: make(chan struct{}, 16), release: make(chan struct{})}
	s.hook = func() {
		b.entered <- struct{}{}
		<-b.release
	}
	return b
}

// TestLintTimeout checks that a lint that takes longer than the timeout
// gets 503, and that its slot stays taken until the work ends.
func TestLintTimeout(t *testing.T) {
	s := newTestServer(t, Config{Timeout: 50 * time.Millisecond, MaxConcurrent: 1})
	b := newBlocker(s)
	rec := do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "tls13-iot/ee.pem")))
	if e := errorOf(t, rec); rec.Code != 503 || e.Error != "timeout: the request took longer than 50ms" {
		t.Errorf("%d %q, want 503 timeout", rec.Code, e.Error)
	}
	// The timed-out lint still runs: the one slot is taken.
	rec = do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "tls13-iot/ee.pem")))
	if rec.Code != 503 || !strings.HasPrefix(errorOf(t, rec).Error, "busy: ") {
		t.Errorf("while the timed-out lint runs: %d %s, want 503 busy", rec.Code, rec.Body)
	}
	close(b.release)
	waitFree(t, s)
	if rec := do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "tls13-iot/ee.pem"))); rec.Code != 200 {
		t.Errorf("after: %d", rec.Code)
	}
	if got := metricValue(t, s, "iotcert_requests_timed_out_total"); got != "1" {
		t.Errorf("timeouts metric %s, want 1", got)
	}
}

// waitFree waits until no lint holds a slot.
func waitFree(t *testing.T, s *Server) {
	t.Helper()
	for range 500 {
		if len(s.slots) == 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("slots still taken")
}

// TestLintConcurrencyLimit checks that one lint more than MaxConcurrent
// gets 503 with Retry-After, at once, on both lint endpoints.
func TestLintConcurrencyLimit(t *testing.T) {
	s := newTestServer(t, Config{MaxConcurrent: 2})
	b := newBlocker(s)
	ee := readFile(t, filepath.Join(certs, "tls13-iot/ee.pem"))
	done := make(chan int, 2)
	for range 2 {
		go func() {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/lint", bytes.NewReader(ee)))
			done <- rec.Code
		}()
	}
	<-b.entered
	<-b.entered
	rec := do(t, s, "POST", "/v1/lint", "", ee)
	if rec.Code != 503 || rec.Header().Get("Retry-After") != "1" || errorOf(t, rec).Error != "busy: 2 lint requests are running, the most this server runs at a time; retry later" {
		t.Errorf("third lint: %d, Retry-After %q, %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	rec = do(t, s, "POST", "/v1/lint/tbs", "", tbsOfFile(t, "tls13-iot/ee.pem"), "Content-Type", "application/octet-stream")
	if rec.Code != 503 {
		t.Errorf("TBS lint while full: %d", rec.Code)
	}
	// Other endpoints are not limited.
	if rec := do(t, s, "GET", "/v1/healthz", "", nil); rec.Code != 200 {
		t.Errorf("healthz while full: %d", rec.Code)
	}
	close(b.release)
	for range 2 {
		if code := <-done; code != 200 {
			t.Errorf("held lint: %d", code)
		}
	}
	if got := metricValue(t, s, "iotcert_requests_rejected_total"); got != "2" {
		t.Errorf("rejected metric %s, want 2", got)
	}
}

// tbsOfFile returns the TBSCertificate of a test certificate.
func tbsOfFile(t *testing.T, name string) []byte {
	t.Helper()
	block, _ := pem.Decode(readFile(t, filepath.Join(certs, name)))
	c, err := certio.Parse(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c.RawTBSCertificate
}

// TestLintTBS posts a TBSCertificate in each body form and checks that the
// result is profile.LintTBS's.
func TestLintTBS(t *testing.T) {
	s := newTestServer(t, Config{})
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	now, _ := bundle.ParseTime(testNow)
	p = p.WithClock(func() time.Time { return now })
	for _, name := range []string{"tls13-iot/ee.pem", "cases/e_iot_ee_no_ski.pem"} {
		tbs := tbsOfFile(t, name)
		want, err := p.LintTBS(tbs)
		if err != nil {
			t.Fatal(err)
		}
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		fw, _ := mw.CreateFormFile("tbs", "tbs.der")
		fw.Write(tbs)
		mw.Close()
		jsonBody, _ := json.Marshal(map[string]string{"tbs": base64.StdEncoding.EncodeToString(tbs)})
		for _, form := range []struct {
			ct   string
			body []byte
		}{{"application/octet-stream", tbs}, {mw.FormDataContentType(), mp.Bytes()}, {"application/json", jsonBody}} {
			rec := do(t, s, "POST", "/v1/lint/tbs", "", form.body, "Content-Type", form.ct)
			if rec.Code != 200 {
				t.Fatalf("%s %s: %d %s", name, form.ct, rec.Code, rec.Body)
			}
			rep, v := reportOf(t, rec)
			got := rep.Certificates[0]
			if !slices.Equal(findings(got), findings(want.Result)) || got.Role != want.Result.Role || got.Origin.File != "tbs" {
				t.Errorf("%s %s: %v %s, want %v %s", name, form.ct, findings(got), got.Role, findings(want.Result), want.Result.Role)
			}
			if v.Pass != (len(want.Result.Findings) == 0) {
				t.Errorf("%s: verdict %+v", name, v)
			}
		}
	}
}

// TestLintTBSErrors checks every error of POST /v1/lint/tbs.
func TestLintTBSErrors(t *testing.T) {
	s := newTestServer(t, Config{MaxBodyBytes: 100})
	tbs := tbsOfFile(t, "tls13-iot/ee.pem")[:90]
	for _, tc := range []struct {
		name, query, ct string
		body            []byte
		accept          string
		code            int
		msg             string
	}{
		{"not a TBS", "", "application/octet-stream", []byte("hello"), "", 400, "pre-issuance lint: "},
		{"cut TBS", "", "application/octet-stream", tbs, "", 400, "pre-issuance lint: "},
		{"unknown member", "", "application/json", []byte(`{"cert":"AA=="}`), "", 400, `JSON body: json: unknown field "cert"`},
		{"no tbs member", "", "application/json", []byte(`{"issuer":"AA=="}`), "", 400, `JSON body: no "tbs" member (the DER TBSCertificate in base64)`},
		{"empty JSON", "", "application/json", []byte(`{}`), "", 400, `JSON body: no "tbs" member (the DER TBSCertificate in base64)`},
		{"bad base64", "", "application/json", []byte(`{"tbs":"!!"}`), "", 400, `JSON body: "tbs": illegal base64 data`},
		{"unknown part", "", "multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nx\r\n--b--\r\n"), "", 400, `multipart body: unknown part "x" (want tbs and issuer)`},
		{"no tbs part", "", "multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"issuer\"\r\n\r\nx\r\n--b--\r\n"), "", 400, `multipart body: no part named "tbs"`},
		{"unknown profile", "profile=nope", "application/octet-stream", tbs, "", 400, `unknown profile "nope"`},
		{"trust not taken", "trust=x", "application/octet-stream", tbs, "", 400, `unknown query parameter "trust" (want profile, fail_on, at)`},
		{"PEM body", "", "application/x-pem-file", tbs, "", 415, `Content-Type "application/x-pem-file": want multipart/form-data`},
		{"SVG wanted", "", "application/octet-stream", tbs, "image/svg+xml", 406, "Accept: want application/json, application/sarif+json, application/junit+xml or text/plain"},
		{"too large", "", "application/octet-stream", make([]byte, 101), "", 413, "request body larger than 100 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, s, "POST", "/v1/lint/tbs", tc.query, tc.body, "Content-Type", tc.ct, "Accept", tc.accept)
			if rec.Code != tc.code {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tc.code)
			}
			if e := errorOf(t, rec); !strings.HasPrefix(e.Error, tc.msg) {
				t.Errorf("error %q, want it to start with %q", e.Error, tc.msg)
			}
		})
	}
}

// TestInfoEndpoints checks profiles, rules, healthz, version and the
// OpenAPI document.
func TestInfoEndpoints(t *testing.T) {
	s := newTestServer(t, Config{Trust: map[string][]certio.Item{"lab": readItems(t, "tls13-iot/root.pem")}})
	rules, _ := profile.LoadDefault()

	rec := do(t, s, "GET", "/v1/profiles", "", nil)
	var ps Profiles
	json.Unmarshal(rec.Body.Bytes(), &ps)
	var names []string
	for _, p := range ps.Profiles {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, rules.Names()) || ps.Default != "tls13-iot" || !slices.Equal(ps.Trust, []string{"lab"}) {
		t.Errorf("profiles %v default %q trust %v", names, ps.Default, ps.Trust)
	}

	rec = do(t, s, "GET", "/v1/rules", "profile=rfc7925", nil)
	var entries []profile.CatalogueEntry
	json.Unmarshal(rec.Body.Bytes(), &entries)
	p, _ := rules.Profile("rfc7925")
	var want []string
	for _, li := range p.Lints() {
		want = append(want, li.Name)
	}
	for _, c := range bundle.Checks() {
		if c.RunsUnder(lineage.Of(rules, p)) && !c.Optional {
			want = append(want, c.Name)
		}
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name)
		if !slices.Equal(e.Profiles, []string{"rfc7925"}) {
			t.Errorf("%s: profiles %v", e.Name, e.Profiles)
		}
	}
	if !slices.Equal(got, want) || !slices.Contains(got, bundle.RFC7925ChainDepth) || slices.Contains(got, bundle.MatterChainShape) {
		t.Errorf("rules of rfc7925: %v\nwant %v", got, want)
	}
	rec = do(t, s, "GET", "/v1/rules", "", nil)
	json.Unmarshal(rec.Body.Bytes(), &entries)
	cat := rules.Catalogue()
	if len(entries) <= len(cat) {
		t.Fatalf("all rules: %d entries, want the %d of the catalogue and the chain checks", len(entries), len(cat))
	}
	for i, e := range cat {
		if entries[i].Name != e.Name || !slices.Equal(entries[i].Profiles, e.Profiles) {
			t.Errorf("all rules, entry %d: %s %v, want %s %v", i, entries[i].Name, entries[i].Profiles, e.Name, e.Profiles)
		}
	}
	for _, e := range entries[len(cat):] {
		if e.Name == bundle.MatterChainShape && !slices.Equal(e.Profiles, []string{"matter"}) {
			t.Errorf("%s: profiles %v, want [matter]", e.Name, e.Profiles)
		}
	}
	if rec := do(t, s, "GET", "/v1/rules", "profile=nope", nil); rec.Code != 400 || !strings.HasPrefix(errorOf(t, rec).Error, `unknown profile "nope"`) {
		t.Errorf("unknown profile: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, s, "GET", "/v1/rules", "level=error", nil); rec.Code != 400 || errorOf(t, rec).Error != `unknown query parameter "level" (want profile)` {
		t.Errorf("unknown parameter: %d %s", rec.Code, rec.Body)
	}

	if rec := do(t, s, "GET", "/v1/healthz", "", nil); rec.Body.String() != "{\n  \"status\": \"ok\"\n}\n" {
		t.Errorf("healthz %q", rec.Body)
	}
	rec = do(t, s, "GET", "/v1/version", "", nil)
	var v Version
	json.Unmarshal(rec.Body.Bytes(), &v)
	if v.Schema != profile.ReportSchema || !strings.HasPrefix(v.Go, "go") || v.Version == "" {
		t.Errorf("version %+v", v)
	}
	rec = do(t, s, "GET", "/v1/openapi.json", "", nil)
	if !bytes.Equal(rec.Body.Bytes(), OpenAPI()) {
		t.Error("/v1/openapi.json is not the embedded document")
	}
}

// metricValue returns the value of an unlabelled metric, or of a metric
// with labels written as in the exposition ("name{level=\"error\"}").
func metricValue(t *testing.T, s *Server, name string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// TestMetrics checks the Prometheus metrics after two lints.
func TestMetrics(t *testing.T) {
	s := newTestServer(t, Config{})
	do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "sample-bundle.pem")))
	do(t, s, "POST", "/v1/lint", "profile=nope", nil)
	rec := do(t, s, "GET", "/metrics", "", nil)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	for name, want := range map[string]string{
		`iotcert_findings_total{level="error"}`:                                    "4",
		`iotcert_findings_total{level="warn"}`:                                     "2",
		`iotcert_findings_total{level="fatal"}`:                                    "0",
		`iotcert_certificates_linted_total`:                                        "8",
		`iotcert_http_requests_total{code="200",method="POST",route="/v1/lint"}`:   "1",
		`iotcert_http_requests_total{code="400",method="POST",route="/v1/lint"}`:   "1",
		`iotcert_http_request_duration_seconds_count{route="/v1/lint"}`:            "2",
		`iotcert_http_request_duration_seconds_bucket{route="/v1/lint",le="+Inf"}`: "2",
	} {
		if got := metricValue(t, s, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// TestLogsNoBody checks that a request is logged as one structured line
// with its outcome, and without its body or its PKCS#12 password.
func TestLogsNoBody(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	body := readFile(t, "../testdata/malformed/trust-store.p12")
	do(t, s, "POST", "/v1/lint", "profile=tls13-iot", body, PasswordHeader, "iotcert-test")
	do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "tls13-iot/ee.pem")))
	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2:\n%s", len(lines), out)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	if line["msg"] != "request" || line["status"] != 200.0 || line["path"] != "/v1/lint" || line["body_bytes"] != float64(len(body)) {
		t.Errorf("log line %v", line)
	}
	for _, secret := range []string{"iotcert-test", "BEGIN CERTIFICATE", "MII"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

// TestPage checks the page and its assets: served with a policy that
// allows no other origin, and referring to no other host.
func TestPage(t *testing.T) {
	s := newTestServer(t, Config{})
	for _, path := range []string{"/", "/assets/app.js", "/assets/style.css"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'; script-src 'self';") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if b := rec.Body.String(); strings.Contains(b, "http://") || strings.Contains(b, "https://") || strings.Contains(b, "//cdn") {
			t.Errorf("%s refers to another host", path)
		}
	}
	for _, path := range []string{"/index.html/x", "/v2/lint", "/assets/nope.js"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 404 {
			t.Errorf("%s: %d, want 404", path, rec.Code)
		}
	}
}

// TestNegotiate checks Accept header parsing.
func TestNegotiate(t *testing.T) {
	for _, tc := range []struct{ accept, want string }{
		{"", "json"},
		{"application/json", "json"},
		{"application/*", "json"},
		{"image/svg+xml", "svg"},
		{"application/sarif+json;q=0.5, application/junit+xml;q=0.8", "junit"},
		{"image/png", ""},
		{"image/png, */*;q=0.1", "json"},
		{"text/plain;q=0, application/json", "json"},
	} {
		if got := negotiate(tc.accept, "json", "sarif", "junit", "text", "svg"); got != tc.want {
			t.Errorf("negotiate(%q) = %q, want %q", tc.accept, got, tc.want)
		}
	}
	if got := negotiate("image/svg+xml", "json", "text"); got != "" {
		t.Errorf("svg not offered: %q", got)
	}
}

// postTBS posts tbs and issuer as multipart and returns the report.
func postTBS(t *testing.T, s *Server, query string, tbs, issuer []byte) (*httptest.ResponseRecorder, profile.Report) {
	t.Helper()
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("tbs", "tbs.der")
	fw.Write(tbs)
	fw, _ = mw.CreateFormFile("issuer", "issuer.pem")
	fw.Write(issuer)
	mw.Close()
	rec := do(t, s, "POST", "/v1/lint/tbs", query, mp.Bytes(), "Content-Type", mw.FormDataContentType())
	if rec.Code != 200 {
		return rec, profile.Report{}
	}
	rep, _ := reportOf(t, rec)
	return rec, rep
}

// TestLintTBSIssuer checks the chain checks of a TBSCertificate against
// its issuer: its own issuer passes; a CA with the same name and another
// key identifier is a key identifier mismatch; a CA of another name is
// not its issuer; the issuer in JSON gives the same answer.
func TestLintTBSIssuer(t *testing.T) {
	s := newTestServer(t, Config{})
	tbs := tbsOfFile(t, "tls13-iot/ee.pem")
	sub := readFile(t, filepath.Join(certs, "tls13-iot/sub.pem"))
	for _, tc := range []struct {
		issuer string
		want   []string
	}{
		{"tls13-iot/sub.pem", []string{}},
		{"rfc7925/sub.pem", []string{bundle.EEAKIMatchesIssuer}},
		{"tls13-iot/root.pem", []string{bundle.OrphanError}},
	} {
		_, rep := postTBS(t, s, "", tbs, readFile(t, filepath.Join(certs, tc.issuer)))
		if len(rep.Certificates) != 1 {
			t.Fatalf("%s: %+v", tc.issuer, rep)
		}
		if got := findings(rep.Certificates[0]); !slices.Equal(got, tc.want) {
			t.Errorf("issuer %s: %v, want %v", tc.issuer, got, tc.want)
		}
		if rep.Certificates[0].Origin.File != "tbs" || rep.Certificates[0].Role != "end-entity" {
			t.Errorf("issuer %s: %+v", tc.issuer, rep.Certificates[0])
		}
	}
	// Expiry is judged against the issuer's validity too.
	_, rep := postTBS(t, s, "at=2200-01-01", tbs, sub)
	if got := findings(rep.Certificates[0]); !slices.Contains(got, bundle.Expired) {
		t.Errorf("at 2200: %v, want %s", got, bundle.Expired)
	}
	block, _ := pem.Decode(sub)
	jsonBody, _ := json.Marshal(map[string]string{"tbs": base64.StdEncoding.EncodeToString(tbs), "issuer": base64.StdEncoding.EncodeToString(block.Bytes)})
	rec := do(t, s, "POST", "/v1/lint/tbs", "", jsonBody, "Content-Type", "application/json")
	if rep, v := reportOf(t, rec); len(rep.Certificates[0].Findings) != 0 || !v.Pass {
		t.Errorf("JSON with issuer: %+v %+v", rep.Certificates, v)
	}
	for _, tc := range []struct{ name, issuer, msg string }{
		{"not a certificate", "hello", "issuer (certificate 0, byte 0): "},
		{"two certificates", string(append(append([]byte{}, sub...), sub...)), "issuer: more than one certificate"},
		{"empty", "", "issuer (certificate 0, byte 0): empty input"},
	} {
		rec, _ := postTBS(t, s, "", tbs, []byte(tc.issuer))
		if e := errorOf(t, rec); rec.Code != 400 || !strings.HasPrefix(e.Error, tc.msg) {
			t.Errorf("%s: %d %q, want 400 %q", tc.name, rec.Code, e.Error, tc.msg)
		}
	}
}

// TestDefaultProfile checks that rules without tls13-iot default to their
// first profile.
func TestDefaultProfile(t *testing.T) {
	rules, err := profile.Load(profile.RulesFile{Name: "only.yaml", Data: []byte("replace_default: true\nprofiles:\n  mine:\n    sources: [RFC5280]\n")})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, Config{Rules: rules})
	rec := do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "tls13-iot/ee.pem")))
	if rep, _ := reportOf(t, rec); rep.Profile != "mine" {
		t.Errorf("profile %q, want mine", rep.Profile)
	}
	rec = do(t, s, "GET", "/v1/profiles", "", nil)
	var ps Profiles
	json.Unmarshal(rec.Body.Bytes(), &ps)
	if ps.Default != "mine" || len(ps.Profiles) != 1 {
		t.Errorf("profiles %+v", ps)
	}
}

// TestNewErrors checks the configurations New refuses.
func TestNewErrors(t *testing.T) {
	rules, _ := profile.LoadDefault()
	bad := certio.Item{Origin: certio.Origin{File: "t.pem"}, Err: &certio.InputError{Origin: certio.Origin{File: "t.pem"}, Msg: "truncated"}}
	used := vm.NewSet()
	if _, err := New(Config{Rules: rules, Metrics: used}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg Config
		msg string
	}{
		{Config{}, "serve: no rules"},
		{Config{Rules: rules, Trust: map[string][]certio.Item{"lab": {bad}}}, "serve: trust store lab: "},
		{Config{Rules: rules, Timeout: -time.Second}, "serve: negative limit"},
		{Config{Rules: rules, Metrics: used}, "serve: metrics: the set already holds iotcert_"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.HasPrefix(err.Error(), tc.msg) {
			t.Errorf("%+v: %v, want %s", tc.cfg, err, tc.msg)
		}
	}
	set := vm.NewSet()
	s, err := New(Config{Rules: rules, Metrics: set})
	if err != nil {
		t.Fatal(err)
	}
	do(t, s, "POST", "/v1/lint", "", readFile(t, filepath.Join(certs, "tls13-iot/ee.pem")))
	if got := metricValue(t, s, "iotcert_certificates_linted_total"); got != "1" {
		t.Errorf("metrics on the given set: %q", got)
	}
	var b bytes.Buffer
	set.WritePrometheus(&b)
	if !strings.Contains(b.String(), "iotcert_certificates_linted_total 1\n") {
		t.Errorf("the given set does not hold the server's metrics:\n%s", b.String())
	}
}

// TestMetricLabels checks the escaping of label values, which the
// Prometheus text format (exposition formats, "label_value") gives as
// backslash, double quote and line feed, and that a request with a method
// of its own gets its series.
func TestMetricLabels(t *testing.T) {
	if got, want := labels("a", "x\"y\\z\nw", "b", "c"), `{a="x\"y\\z\nw",b="c"}`; got != want {
		t.Errorf("labels = %s, want %s", got, want)
	}
	s := newTestServer(t, Config{})
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PURGE", "/v1/healthz", nil))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !regexp.MustCompile(`(?m)^iotcert_http_requests_total\{code="[0-9]+",method="PURGE",route="[^"]+"\} 1$`).MatchString(rec.Body.String()) {
		t.Errorf("the PURGE request is not counted:\n%s", rec.Body)
	}
}
