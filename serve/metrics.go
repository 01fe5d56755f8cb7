package serve

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/iotcert/iotcert/profile"
)

// metrics are the server's Prometheus metrics.
type metrics struct {
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	findings     *prometheus.CounterVec
	certificates prometheus.Counter
	rejected     prometheus.Counter
	timeouts     prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "iotcert_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "iotcert_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"route"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "iotcert_findings_total", Help: "Findings reported by lint requests, by level.",
		}, []string{"level"}),
		certificates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "iotcert_certificates_linted_total", Help: "Certificates (and unreadable inputs) reported by lint requests.",
		}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "iotcert_requests_rejected_total", Help: "Lint requests refused because the concurrency limit was reached.",
		}),
		timeouts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "iotcert_requests_timed_out_total", Help: "Lint requests that took longer than the request timeout.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.findings, m.certificates, m.rejected, m.timeouts} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, l := range []profile.Level{profile.Notice, profile.Warn, profile.Error, profile.Fatal} {
		m.findings.WithLabelValues(l.String())
	}
	return m, nil
}

// count adds the certificates and findings of a lint.
func (m *metrics) count(results []profile.Result) {
	m.certificates.Add(float64(len(results)))
	for _, res := range results {
		for _, f := range res.Findings {
			m.findings.WithLabelValues(f.Level.String()).Inc()
		}
	}
}

// metricsHandler serves the metrics of gath in Prometheus text format.
func metricsHandler(gath prometheus.Gatherer) http.HandlerFunc {
	if gath == nil {
		return nil
	}
	return promhttp.HandlerFor(gath, promhttp.HandlerOpts{}).ServeHTTP
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
		s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(code)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
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
