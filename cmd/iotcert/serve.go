package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/serve"
)

const serveSynopsis = `serve [flags]

Serves the REST lint API (under /v1, described at /v1/openapi.json), the
lint web page (/) and Prometheus metrics (/metrics) until SIGTERM or
SIGINT, then finishes the requests in flight. Nothing is stored; request
bodies are never logged. One JSON log line a request goes to standard
error. Listening on an address other than loopback needs --tls-cert and
--tls-key, or --insecure. See docs/serve.md.`

// trustFlag is the repeatable --trust NAME=FILE flag.
type trustFlag map[string]string

func (t trustFlag) String() string { return fmt.Sprint(map[string]string(t)) }

func (t trustFlag) Set(v string) error {
	name, file, ok := strings.Cut(v, "=")
	if !ok || name == "" || file == "" {
		return fmt.Errorf("%q: want NAME=FILE", v)
	}
	if _, dup := t[name]; dup {
		return fmt.Errorf("trust store %q given twice", name)
	}
	t[name] = file
	return nil
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", serveSynopsis, stderr)
	var rf rulesFlags
	rf.register(fs)
	trust := trustFlag{}
	listen := fs.String("listen", "127.0.0.1:8080", "listen on `ADDRESS` (host:port; port 0 picks a free port)")
	fs.Var(trust, "trust", "offer the certificates of `NAME=FILE` (PEM, DER, PKCS#7 or a directory) as trust store NAME (?trust=NAME); repeatable")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with the certificate chain in `FILE` (PEM)")
	tlsKey := fs.String("tls-key", "", "the private key of --tls-cert, in `FILE` (PEM)")
	insecure := fs.Bool("insecure", false, "allow plain HTTP on an address other than loopback")
	maxBody := fs.Int64("max-body", serve.DefaultMaxBodyBytes, "largest request body, in `BYTES` (larger: 413)")
	timeout := fs.Duration("timeout", serve.DefaultTimeout, "longest time a lint request may take (longer: 503)")
	maxConc := fs.Int("max-concurrent", 0, "lint requests run at a time; one more gets 503 (default 4 × the number of CPUs)")
	fail := usageFailure(stderr, "serve")
	if rest, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	} else if len(rest) > 0 {
		return fail("unexpected argument %q", rest[0])
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fail("--tls-cert and --tls-key: give both or neither")
	}
	if *maxBody <= 0 || *timeout <= 0 || *maxConc < 0 {
		return fail("--max-body, --timeout and --max-concurrent must be positive")
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return fail("--listen %q: %v", *listen, err)
	}
	if ip := net.ParseIP(host); *tlsCert == "" && !*insecure && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fail("--listen %s is not a loopback address: serve HTTPS (--tls-cert, --tls-key) or allow plain HTTP with --insecure", *listen)
	}
	rules, err := rf.load()
	if err != nil {
		return fail("%v", err)
	}
	stores, err := loadTrust(trust)
	if err != nil {
		return fail("%v", err)
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" {
		// Checked before anything listens or is logged as listening.
		cert, err := loadKeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return fail("%v", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	// A lint request allocates as a device issuance does, over a small
	// live heap: the same collector target keeps the collector's share low.
	defer batchGC()()
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	// # TYPE lines on /metrics (a process-wide setting of the metrics
	// library, which the command owns).
	vm.ExposeMetadata(true)
	h, err := serve.New(serve.Config{Rules: rules, Trust: stores, MaxBodyBytes: *maxBody, Timeout: *timeout, MaxConcurrent: *maxConc, Logger: log})
	if err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fail("%v", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       *timeout + 10*time.Second,
		WriteTimeout:      *timeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		TLSConfig:         tlsConfig,
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	log.Info("listening", "url", scheme+"://"+ln.Addr().String()+"/", "profiles", len(rules.Names()), "trust", slices.Sorted(maps.Keys(stores)))
	select {
	case err := <-errc:
		return fail("%v", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), *timeout+5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fail("shutdown: %v", err)
	}
	log.Info("stopped")
	return exitOK
}

// maxTLSFile bounds a --tls-cert or --tls-key file: a chain or a key in
// PEM is a few KiB.
const maxTLSFile = 1 << 20

// loadKeyPair reads the --tls-cert chain and the --tls-key key, each at
// most maxTLSFile bytes, and checks that they make a key pair; the error
// names the flags and files, never the key.
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := boundedread.ReadFile(certFile, maxTLSFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-cert: %w", err)
	}
	keyPEM, err := boundedread.ReadFile(keyFile, maxTLSFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", certFile, keyFile, err)
	}
	return cert, nil
}

// loadTrust reads the trust stores; every item must be a certificate.
func loadTrust(files trustFlag) (map[string][]certio.Item, error) {
	stores := map[string][]certio.Item{}
	for name, file := range files {
		for it := range certio.Read([]string{file}, nil) {
			if it.Err != nil {
				return nil, fmt.Errorf("--trust %s: %v", name, it.Err)
			}
			stores[name] = append(stores[name], it)
		}
		if len(stores[name]) == 0 {
			return nil, fmt.Errorf("--trust %s: no certificate in %s", name, file)
		}
	}
	return stores, nil
}
