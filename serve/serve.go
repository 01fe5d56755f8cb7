// Package serve is iotcert's HTTP service: a stateless REST API that lints
// certificates, bundles and to-be-signed certificates with the same
// profiles, chain checks and reports as "iotcert lint", a web page to do
// the same by hand, and Prometheus metrics.
//
//	h, err := serve.New(serve.Config{Rules: rules})
//	http.ListenAndServe("127.0.0.1:8080", h)
//
// The API is versioned under /v1 and described by the OpenAPI 3 document
// served at /v1/openapi.json (OpenAPI). Every asset of the page is
// embedded; the page makes no request to another host. Request bodies are
// never stored or logged. docs/serve.md describes the endpoints and the
// security model.
package serve

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes = 8 << 20
	DefaultTimeout      = 30 * time.Second
	// DefaultProfile is the profile a lint uses when the request names
	// none, if the rules have it (their first profile otherwise).
	DefaultProfile = "tls13-iot"
)

// Config configures a Server. Rules is required.
type Config struct {
	// Rules are the profiles the server lints with.
	Rules *profile.Rules
	// Trust holds the trust stores a request may name (?trust=NAME): the
	// certificates of each end chains and are not linted. Every item
	// must be a certificate.
	Trust map[string][]certio.Item
	// MaxBodyBytes bounds a request body; a larger one gets 413
	// (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// Timeout bounds the time a lint request may take; a request that
	// takes longer gets 503 (default DefaultTimeout).
	Timeout time.Duration
	// MaxConcurrent is how many lint requests run at a time; one more
	// gets 503 at once (default 4 × GOMAXPROCS).
	MaxConcurrent int
	// Logger receives one structured line per request (never its body);
	// nil discards them.
	Logger *slog.Logger
	// Metrics is the set (github.com/VictoriaMetrics/metrics) that
	// receives the server's metrics and that /metrics serves in the
	// Prometheus text format; nil makes a set of the server's own. A set
	// holds the metrics of one server.
	Metrics *vm.Set
}

// Server is the HTTP handler of the service. It is safe for concurrent
// use and keeps nothing between requests.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	api     []route // the routes of endpoints, for notFound
	slots   chan struct{}
	metrics *metrics
	log     *slog.Logger
	// defaultProfile is the profile of a request that names none.
	defaultProfile string
	// infos describes the findings each profile can report (SARIF's
	// rules), made once: profiles do not change.
	infos map[string][]profile.LintInfo
	// hook, when set by a test, runs in each lint before the work starts.
	hook func()
}

//go:embed openapi.json
var openAPI []byte

//go:embed web
var webFS embed.FS

// OpenAPI returns the OpenAPI 3 document of the API.
func OpenAPI() []byte { return slices.Clone(openAPI) }

// New returns a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Rules == nil {
		return nil, fmt.Errorf("serve: no rules")
	}
	if len(cfg.Rules.Names()) == 0 {
		return nil, fmt.Errorf("serve: the rules have no profile")
	}
	for name, items := range cfg.Trust {
		for _, it := range items {
			if it.Err != nil {
				return nil, fmt.Errorf("serve: trust store %s: %w", name, it.Err)
			}
		}
	}
	cfg.MaxBodyBytes = cmp.Or(cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.MaxConcurrent = cmp.Or(cfg.MaxConcurrent, 4*runtime.GOMAXPROCS(0))
	if cfg.MaxBodyBytes < 0 || cfg.Timeout < 0 || cfg.MaxConcurrent < 0 {
		return nil, fmt.Errorf("serve: negative limit")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	set := cfg.Metrics
	if set == nil {
		set = vm.NewSet()
	}
	m, err := newMetrics(set)
	if err != nil {
		return nil, fmt.Errorf("serve: metrics: %w", err)
	}
	s := &Server{cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrent), metrics: m, log: log, infos: map[string][]profile.LintInfo{}}
	s.defaultProfile = cfg.Rules.Names()[0]
	if _, err := cfg.Rules.Profile(DefaultProfile); err == nil {
		s.defaultProfile = DefaultProfile
	}
	for _, name := range cfg.Rules.Names() {
		p, err := cfg.Rules.Profile(name)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		s.infos[name] = bundle.LintInfos(p)
	}
	s.routes()
	return s, nil
}

// route is one endpoint: its method and path pattern, and its handler.
type route struct {
	method, path string
	handler      http.HandlerFunc
}

// endpoints lists the API's routes; the OpenAPI document describes
// exactly these (TestOpenAPIRoutes).
func (s *Server) endpoints() []route {
	return []route{
		{"POST", "/v1/lint", s.limited(s.handleLint)},
		{"POST", "/v1/lint/tbs", s.limited(s.handleLintTBS)},
		{"GET", "/v1/profiles", s.handleProfiles},
		{"GET", "/v1/rules", s.handleRules},
		{"GET", "/v1/healthz", s.handleHealthz},
		{"GET", "/v1/version", s.handleVersion},
		{"GET", "/v1/openapi.json", s.handleOpenAPI},
		{"GET", "/metrics", s.metrics.handler},
	}
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.api = s.endpoints()
	for _, r := range s.api {
		s.mux.Handle(r.method+" "+r.path, s.instrument(r.path, r.handler))
	}
	web, _ := fs.Sub(webFS, "web")
	files := http.FileServerFS(web)
	s.mux.Handle("GET /{$}", s.instrument("/", s.page(files)))
	s.mux.Handle("GET /assets/", s.instrument("/assets/", s.page(http.StripPrefix("/assets", files))))
	s.mux.Handle("/", s.instrument("other", http.HandlerFunc(s.notFound)))
}

// ServeHTTP serves the API, the page and the metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// page serves the web page's files with a policy that lets it load and
// send nothing to any other origin.
func (s *Server) page(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// notFound answers every request no route matched: 405 when the path
// exists with another method, 404 otherwise.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	for _, rt := range s.api {
		if rt.path == r.URL.Path {
			w.Header().Set("Allow", rt.method)
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s: method not allowed (use %s)", r.Method, r.URL.Path, rt.method))
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("%s: not found (the API is under /v1, described at /v1/openapi.json)", r.URL.Path))
}

// answer is a response computed away from the ResponseWriter, so that a
// request that times out can be answered while its work ends.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a *answer) write(w http.ResponseWriter) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	w.Write(a.body)
}

// limited runs h when one of the MaxConcurrent slots is free, and answers
// 503 at once when none is. h runs on its own goroutine, bounded by
// Timeout: when it takes longer the request gets 503 and h's context is
// cancelled; its slot is freed only when h returns, so that the work
// running never exceeds MaxConcurrent requests.
func (s *Server) limited(h func(ctx context.Context, r *http.Request) *answer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
		default:
			s.metrics.rejected.Inc()
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("busy: %d lint requests are running, the most this server runs at a time; retry later", cap(s.slots)))
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
		defer cancel()
		done := make(chan *answer, 1)
		go func() {
			defer func() { <-s.slots }()
			defer func() {
				if v := recover(); v != nil {
					s.log.Error("lint panicked", "path", r.URL.Path, "panic", fmt.Sprint(v))
					done <- errorAnswer(http.StatusInternalServerError, "internal error while linting")
				}
			}()
			if s.hook != nil {
				s.hook()
			}
			done <- h(ctx, r)
		}()
		select {
		case a := <-done:
			a.write(w)
		case <-ctx.Done():
			s.metrics.timeouts.Inc()
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("timeout: the request took longer than %s", s.cfg.Timeout))
		}
	}
}
