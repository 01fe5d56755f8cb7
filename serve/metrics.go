package serve

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/iotcert/iotcert/profile"
)

// Metric names. A labelled metric is one series per label value, named as
// in the Prometheus text format (labels in the order of their names, as
// the Prometheus client writes them).
const (
	requestsMetric     = "iotcert_http_requests_total"           // {code,method,route}: HTTP requests by route, method and status code
	latencyMetric      = "iotcert_http_request_duration_seconds" // {route}: time to answer an HTTP request, by route
	findingsMetric     = "iotcert_findings_total"                // {level}: findings reported by lint requests, by level
	certificatesMetric = "iotcert_certificates_linted_total"     // certificates (and unreadable inputs) reported by lint requests
	rejectedMetric     = "iotcert_requests_rejected_total"       // lint requests refused because the concurrency limit was reached
	timeoutsMetric     = "iotcert_requests_timed_out_total"      // lint requests that took longer than the request timeout
)

// latencyBuckets are the upper bounds of the latency histogram, in seconds.
var latencyBuckets = []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30}

// metrics are the server's metrics, kept in a metrics set
// (github.com/VictoriaMetrics/metrics) and served in the Prometheus text
// format.
type metrics struct {
	set          *vm.Set
	findings     map[profile.Level]*vm.Counter
	certificates *vm.Counter
	rejected     *vm.Counter
	timeouts     *vm.Counter
}

// newMetrics registers the server's metrics in set, which must hold no
// iotcert metric yet.
func newMetrics(set *vm.Set) (*metrics, error) {
	for _, name := range set.ListMetricNames() {
		if strings.HasPrefix(name, "iotcert_") {
			return nil, fmt.Errorf("the set already holds %s (a set serves one server)", name)
		}
	}
	m := &metrics{
		set:          set,
		findings:     map[profile.Level]*vm.Counter{},
		certificates: set.NewCounter(certificatesMetric),
		rejected:     set.NewCounter(rejectedMetric),
		timeouts:     set.NewCounter(timeoutsMetric),
	}
	for _, l := range []profile.Level{profile.Notice, profile.Warn, profile.Error, profile.Fatal} {
		m.findings[l] = set.NewCounter(findingsMetric + labels("level", l.String()))
	}
	return m, nil
}

// count adds the certificates and findings of a lint.
func (m *metrics) count(results []profile.Result) {
	m.certificates.Add(len(results))
	for _, res := range results {
		for _, f := range res.Findings {
			m.findings[f.Level].Inc()
		}
	}
}

// request counts and times one answered request.
func (m *metrics) request(route, method string, code int, d time.Duration) {
	m.set.GetOrCreateCounter(requestsMetric + labels("code", strconv.Itoa(code), "method", method, "route", route)).Inc()
	m.set.GetOrCreatePrometheusHistogramExt(latencyMetric+labels("route", route), latencyBuckets).Update(d.Seconds())
}

// labels returns the label set {name="value",...} of the name, value
// pairs kv, with the values escaped as the Prometheus text format wants.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// handler serves the metrics in the Prometheus text format.
func (m *metrics) handler(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	m.set.WritePrometheus(&b)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write(b.Bytes())
}

// statusWriter records the status code and size of a response.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument counts, times and logs the requests of route. The log line
// names the request, never its body or headers.
func (s *Server) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		d := time.Since(start)
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		s.metrics.request(route, r.Method, code, d)
		level := slog.LevelInfo
		if code >= 500 {
			level = slog.LevelWarn
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("query", r.URL.RawQuery),
			slog.Int("status", code), slog.Int64("body_bytes", r.ContentLength), slog.Int("response_bytes", sw.bytes),
			slog.Duration("duration", d), slog.String("remote", r.RemoteAddr))
	})
}
