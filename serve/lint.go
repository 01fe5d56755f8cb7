package serve

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/hint"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/report"
)

// PasswordHeader is the request header that carries the password of a
// PKCS#12 body. It is never logged.
const PasswordHeader = "Iotcert-PKCS12-Password"

// VerdictHeader is the response header that says whether a lint passed
// (pass or fail), in every format.
const VerdictHeader = "Iotcert-Verdict"

// bodyTypes are the content types a certificate body may have. The format
// is recognised by content, as "iotcert lint" does; the type only keeps
// out what cannot be a certificate. application/x-www-form-urlencoded is
// what curl --data-binary sends when not told otherwise.
var bodyTypes = []string{
	"", "application/octet-stream", "text/plain", "application/x-www-form-urlencoded",
	"application/pkix-cert", "application/x-x509-ca-cert", "application/x-x509-user-cert",
	"application/x-pem-file", "application/pem-certificate-chain",
	"application/pkcs7-mime", "application/x-pkcs7-certificates",
	"application/pkcs12", "application/x-pkcs12",
}

// answerTypes are the representations of a lint, by media type.
var answerTypes = []struct{ media, format string }{
	{"application/json", "json"},
	{"application/sarif+json", "sarif"},
	{"application/junit+xml", "junit"},
	{"application/xml", "junit"},
	{"text/plain", "text"},
	{"image/svg+xml", "svg"},
}

// lintQuery is the parsed query of a lint request.
type lintQuery struct {
	p      *profile.Profile
	failOn profile.Level
	opts   bundle.Options
	trust  []certio.Item
}

// parseQuery reads the query parameters of a lint request; allowed names
// the ones the endpoint takes.
func (s *Server) parseQuery(r *http.Request, allowed ...string) (*lintQuery, error) {
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains(allowed, k) {
			return nil, fmt.Errorf("unknown query parameter %q (want %s)", k, strings.Join(allowed, ", "))
		}
		if len(q[k]) > 1 {
			return nil, fmt.Errorf("query parameter %q given %d times", k, len(q[k]))
		}
	}
	lq := &lintQuery{failOn: profile.Error}
	name := s.defaultProfile
	if v := q.Get("profile"); v != "" {
		name = v
	}
	p, err := s.cfg.Rules.Profile(name)
	if err != nil {
		return nil, err
	}
	lq.p = p
	lq.opts.Profiles = lineage.Of(s.cfg.Rules, p)
	if v := q.Get("fail_on"); v != "" {
		l, ok := profile.ParseLevel(v)
		if !ok || l == profile.Fatal {
			return nil, fmt.Errorf("fail_on %q: want notice, warn or error", v)
		}
		lq.failOn = l
	}
	if v := q.Get("at"); v != "" {
		t, err := bundle.ParseTime(v)
		if err != nil {
			return nil, fmt.Errorf("at: %v", err)
		}
		at := func() time.Time { return t }
		lq.opts.Clock = at
		lq.p = lq.p.WithClock(at)
	}
	if v := q.Get("trust"); v != "" {
		items, ok := s.cfg.Trust[v]
		if !ok {
			return nil, fmt.Errorf("trust %q: no such trust store (known: %s)", v, strings.Join(s.trustNames(), ", "))
		}
		lq.trust = items
	}
	return lq, nil
}

// negotiate returns the format the Accept header asks for among those
// offered, or "" when it accepts none of them.
func negotiate(accept string, offered ...string) string {
	if strings.TrimSpace(accept) == "" {
		return "json"
	}
	best, bestQ := "", 0.0
	for _, part := range strings.Split(accept, ",") {
		media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if _, err := fmt.Sscanf(v, "%g", &q); err != nil {
				continue
			}
		}
		format := ""
		switch media {
		case "*/*", "application/*":
			format = "json"
		default:
			for _, a := range answerTypes {
				if a.media == media && slices.Contains(offered, a.format) {
					format = a.format
					break
				}
			}
		}
		if format != "" && slices.Contains(offered, format) && q > bestQ {
			best, bestQ = format, q
		}
	}
	return best
}

// mediaType returns the media type a format is answered with.
func mediaType(format string) string {
	for _, a := range answerTypes {
		if a.format == format {
			if format == "text" {
				return "text/plain; charset=utf-8"
			}
			return a.media
		}
	}
	return "application/octet-stream"
}

// readBody reads at most MaxBodyBytes of the body; a larger body is
// errTooLarge.
func (s *Server) readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	if int64(len(data)) > s.cfg.MaxBodyBytes {
		return nil, errTooLarge
	}
	return data, nil
}

var errTooLarge = errors.New("request body too large")

func (s *Server) tooLarge() *answer {
	return errorAnswer(http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", s.cfg.MaxBodyBytes))
}

// bodyName is the name the body's certificates are located in: the file
// name of a Content-Disposition header, or "-" as for standard input.
func bodyName(r *http.Request) string {
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
		if f := path.Base(strings.ReplaceAll(params["filename"], `\`, "/")); f != "" && f != "." && f != "/" {
			return strings.Map(func(r rune) rune {
				if r < 0x20 || r == 0x7f {
					return -1
				}
				return r
			}, f)
		}
	}
	return certio.Stdin
}

// handleLint lints the certificates of the body with their chains.
func (s *Server) handleLint(ctx context.Context, r *http.Request) *answer {
	format := negotiate(r.Header.Get("Accept"), "json", "sarif", "junit", "text", "svg")
	if format == "" {
		return errorAnswer(http.StatusNotAcceptable, "Accept: want application/json, application/sarif+json, application/junit+xml, text/plain or image/svg+xml")
	}
	if ct := contentType(r); !slices.Contains(bodyTypes, ct) {
		return errorAnswer(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: want a certificate or bundle in PEM, DER, PKCS#7 or PKCS#12 (application/octet-stream, application/x-pem-file, application/pkix-cert, application/pkcs7-mime, application/pkcs12)", ct))
	}
	lq, err := s.parseQuery(r, "profile", "fail_on", "at", "trust")
	if err != nil {
		return errorAnswer(http.StatusBadRequest, err.Error())
	}
	body, err := s.readBody(r)
	if errors.Is(err, errTooLarge) {
		return s.tooLarge()
	} else if err != nil {
		return errorAnswer(http.StatusBadRequest, err.Error())
	}
	inOpts := certio.Options{PKCS12Password: r.Header.Get(PasswordHeader)}
	name := bodyName(r)
	items := func(yield func(certio.Item) bool) {
		certio.DecodeWith(name, body, inOpts, func(it certio.Item) bool {
			return ctx.Err() == nil && yield(withPasswordHint(it))
		})
	}
	if len(body) < 64<<10 {
		lq.opts.Workers = 1 // one small input: goroutines would cost more than they save
	}
	results, graph, err := bundle.Run(lq.p, items, slices.Values(lq.trust), lq.opts)
	if err != nil {
		return errorAnswer(http.StatusInternalServerError, err.Error())
	}
	if ctx.Err() != nil { // decoding stopped early: the result is partial
		return errorAnswer(http.StatusServiceUnavailable, fmt.Sprintf("timeout: the request took longer than %s", s.cfg.Timeout))
	}
	if a := inputErrors(results, name, len(body)); a != nil {
		return a
	}
	s.metrics.count(results)
	return s.render(format, lq, results, graph)
}

// withPasswordHint returns it with the server's advice added to the error
// of a PKCS#12 store that the password does not open: the password comes
// in the PasswordHeader header.
func withPasswordHint(it certio.Item) certio.Item {
	return hint.Input(it, certio.ErrPKCS12Password, "give it in the "+PasswordHeader+" header")
}

// inputErrors returns the 400 answer for a body in which no certificate
// could be read, or nil: each input error located, and the summary of
// what was read, in the words of "iotcert lint" for the body read as the
// file name. When some certificate could be read, the input errors are
// reported in place, as "iotcert lint" does.
func inputErrors(results []profile.Result, name string, size int) *answer {
	var errs []InputError
	for _, res := range results {
		if len(res.Findings) != 1 || res.Findings[0].Lint != profile.InputErrorLint {
			return nil
		}
		errs = append(errs, InputError{Origin: res.Origin, Message: res.Findings[0].Details})
	}
	stats := certio.Stats{Paths: []string{name}, Files: 1, Bytes: int64(size), Errors: len(errs)}
	msg := stats.NoCertificate().Error()
	a := errorAnswer(http.StatusBadRequest, msg)
	a.body, _ = json.Marshal(Error{Error: msg, Inputs: errs})
	a.body = append(a.body, '\n')
	return a
}

// Verdict is the outcome of a lint against its fail_on level.
type Verdict struct {
	// FailOn is the level at or above which a finding fails the lint.
	FailOn string `json:"fail_on"`
	// Pass is true when no finding reaches FailOn and every input was a
	// certificate.
	Pass bool `json:"pass"`
	// Reason says why the lint failed; empty when it passed.
	Reason string `json:"reason,omitempty"`
}

func verdictOf(sum profile.Summary, failOn profile.Level) Verdict {
	v := Verdict{FailOn: failOn.String(), Pass: true}
	switch {
	case sum.Findings.Fatal > 0:
		v.Pass, v.Reason = false, "input errors"
	case sum.WorstLevel() >= failOn:
		v.Pass, v.Reason = false, "findings at or above "+failOn.String()
	}
	return v
}

// render writes the results in the format asked for: the JSON report of
// "iotcert lint --format json" with the verdict added, SARIF, JUnit, text
// or the chain diagram as SVG.
func (s *Server) render(format string, lq *lintQuery, results []profile.Result, graph *bundle.Graph) *answer {
	var sum profile.Summary
	for _, res := range results {
		sum.Add(res)
	}
	v := verdictOf(sum, lq.failOn)
	var buf bytes.Buffer
	if format == "svg" {
		if err := report.WriteSVG(&buf, graph); err != nil {
			return errorAnswer(http.StatusInternalServerError, err.Error())
		}
	} else {
		w, err := report.New(format, &buf, report.Options{Profile: lq.p.Name, FailOn: lq.failOn, Graph: graph, Rules: s.infos[lq.p.Name]})
		if err != nil {
			return errorAnswer(http.StatusInternalServerError, err.Error())
		}
		for _, res := range results {
			if err := w.Certificate(res); err != nil {
				return errorAnswer(http.StatusInternalServerError, fmt.Sprintf("writing the report: %v", err))
			}
		}
		if err := w.Close(sum); err != nil {
			return errorAnswer(http.StatusInternalServerError, fmt.Sprintf("writing the report: %v", err))
		}
	}
	body := buf.Bytes()
	if format == "json" {
		body = withVerdict(body, v)
	}
	a := &answer{status: http.StatusOK, header: http.Header{}, body: body}
	a.header.Set("Content-Type", mediaType(format))
	a.header.Set(VerdictHeader, map[bool]string{true: "pass", false: "fail"}[v.Pass])
	return a
}

// withVerdict adds the verdict as the last member of the JSON report.
func withVerdict(report []byte, v Verdict) []byte {
	trimmed := bytes.TrimRight(report, "\n")
	b, _ := json.Marshal(v)
	out := append(bytes.TrimSuffix(trimmed, []byte("}")), `,"verdict":`...)
	return append(append(out, b...), "}\n"...)
}

// contentType returns the media type of the request body, "" when none.
func contentType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	media, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	return media
}

// tbsRequest is the JSON body of POST /v1/lint/tbs.
type tbsRequest struct {
	// TBS is the DER TBSCertificate, in base64.
	TBS string `json:"tbs"`
	// Issuer is the issuer's certificate (DER or PEM), in base64.
	Issuer string `json:"issuer"`
}

// handleLintTBS lints a to-be-signed certificate before it is signed,
// with the chain checks against its issuer when the issuer is given.
func (s *Server) handleLintTBS(ctx context.Context, r *http.Request) *answer {
	format := negotiate(r.Header.Get("Accept"), "json", "sarif", "junit", "text")
	if format == "" {
		return errorAnswer(http.StatusNotAcceptable, "Accept: want application/json, application/sarif+json, application/junit+xml or text/plain")
	}
	lq, err := s.parseQuery(r, "profile", "fail_on", "at")
	if err != nil {
		return errorAnswer(http.StatusBadRequest, err.Error())
	}
	ct := contentType(r)
	if ct != "application/json" && ct != "multipart/form-data" && ct != "application/octet-stream" {
		return errorAnswer(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: want multipart/form-data (parts tbs and issuer), application/json ({\"tbs\": base64, \"issuer\": base64}) or application/octet-stream (the DER TBSCertificate)", ct))
	}
	body, err := s.readBody(r)
	if errors.Is(err, errTooLarge) {
		return s.tooLarge()
	} else if err != nil {
		return errorAnswer(http.StatusBadRequest, err.Error())
	}
	tbs, issuer, err := tbsOf(r, ct, body)
	if err != nil {
		return errorAnswer(http.StatusBadRequest, err.Error())
	}
	pi, err := lq.p.LintTBS(tbs)
	if err != nil {
		return errorAnswer(http.StatusBadRequest, err.Error())
	}
	res := pi.Result
	res.Origin = certio.Origin{File: "tbs"}
	results := []profile.Result{res}
	if issuer != nil {
		if results, err = s.chainTBS(lq, tbs, issuer); err != nil {
			return errorAnswer(http.StatusBadRequest, err.Error())
		}
	}
	s.metrics.count(results)
	return s.render(format, lq, results, nil)
}

// chainTBS lints tbs with the chain checks against issuer (PEM or DER):
// the pair is signed with a throwaway key (throwawayPair) and run through
// the bundle with the issuer as the trust anchor.
func (s *Server) chainTBS(lq *lintQuery, tbs, issuerData []byte) ([]profile.Result, error) {
	var issuer []byte
	for it := range func(yield func(certio.Item) bool) { certio.Decode("issuer", issuerData, yield) } {
		if it.Err != nil {
			return nil, it.Err
		}
		if issuer != nil {
			return nil, errors.New("issuer: more than one certificate")
		}
		issuer = it.DER
	}
	if issuer == nil {
		return nil, errors.New("issuer: no certificate")
	}
	child, anchor, err := throwawayPair(tbs, issuer)
	if err != nil {
		return nil, err
	}
	opts := lq.opts
	opts.Workers = 1
	results, _, err := bundle.Run(lq.p, slices.Values([]certio.Item{{Origin: certio.Origin{File: "tbs"}, DER: child}}),
		slices.Values([]certio.Item{{Origin: certio.Origin{File: "issuer"}, DER: anchor}}), opts)
	return results, err
}

// tbsOf returns the DER TBSCertificate of a /v1/lint/tbs body and the
// issuer's certificate, nil when the body has none.
func tbsOf(r *http.Request, ct string, body []byte) (tbs, issuer []byte, err error) {
	switch ct {
	case "application/octet-stream":
		return body, nil, nil
	case "application/json":
		var req tbsRequest
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, nil, fmt.Errorf("JSON body: %v", err)
		}
		if req.TBS == "" {
			return nil, nil, errors.New(`JSON body: no "tbs" member (the DER TBSCertificate in base64)`)
		}
		if tbs, err = base64.StdEncoding.DecodeString(req.TBS); err != nil {
			return nil, nil, fmt.Errorf(`JSON body: "tbs": %v`, err)
		}
		if req.Issuer != "" {
			if issuer, err = base64.StdEncoding.DecodeString(req.Issuer); err != nil {
				return nil, nil, fmt.Errorf(`JSON body: "issuer": %v`, err)
			}
		}
		return tbs, issuer, nil
	}
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %v", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %v", err)
		}
		switch part.FormName() {
		case "tbs":
			tbs = data
		case "issuer":
			issuer = data
		default:
			return nil, nil, fmt.Errorf("multipart body: unknown part %q (want tbs and issuer)", part.FormName())
		}
	}
	if tbs == nil {
		return nil, nil, errors.New(`multipart body: no part named "tbs" (the DER TBSCertificate)`)
	}
	return tbs, issuer, nil
}

// trustNames returns the names of the trust stores, sorted.
func (s *Server) trustNames() []string {
	var names []string
	for n := range s.cfg.Trust {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
