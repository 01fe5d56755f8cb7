package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/est"
	"github.com/iotcert/iotcert/inventory"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/roll"
	"github.com/iotcert/iotcert/store"
)

const estSynopsis = `est --spec SPEC --dir DIR --listen ADDR --tls-cert FILE --tls-key FILE --idevid-trust FILE --db FILE [--rollover DIR] [--device PROFILE] [--kms URI [--kms-pin-env NAME]] [flags]

Serves EST (RFC 7030) over HTTPS until SIGTERM or SIGINT, then finishes
the requests in flight. Devices authenticate with their IDevID (TLS
client certificate with a valid path to an --idevid-trust anchor and no
error finding of the IDevID profile) and receive an LDevID of the device
profile whose id_from rule reads their id from the IDevID; the LDevID is
rendered from the profile for that id as "iotcert sign --id" does (the
CSR gives the key only), linted before it is signed, recorded in the
inventory (--db) and journaled in DIR/journal.jsonl before it is sent.

  GET  /.well-known/est/[PROFILE/]cacerts          the CA chain (and the rollover set)
  GET  /.well-known/est/[PROFILE/]csrattrs         the key the profile wants
  POST /.well-known/est/[PROFILE/]simpleenroll     authorized by the IDevID
  POST /.well-known/est/[PROFILE/]simplereenroll   authorized by the current LDevID

Only the issuing CAs' keys are opened, once, at start. One JSON log line
a request goes to standard error; CSRs and keys are never logged. See
docs/est.md.`

func runEst(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("est", estSynopsis, stderr)
	specFile := fs.String("spec", "", "the hierarchy spec `FILE`")
	dir := fs.String("dir", "", "the `DIR` of \"gen hierarchy\" holding the issuing CAs; the journal is DIR/journal.jsonl")
	listen := fs.String("listen", "127.0.0.1:8443", "listen on `ADDRESS` (host:port; port 0 picks a free port)")
	tlsCert := fs.String("tls-cert", "", "the server's certificate chain `FILE` (PEM)")
	tlsKey := fs.String("tls-key", "", "the server's private key `FILE` (PEM)")
	trustFile := fs.String("idevid-trust", "", "the IDevID trust anchors `FILE` (PEM, DER, PKCS#7 or a directory): the manufacturers' roots")
	idevidProfile := fs.String("idevid-profile", "", "lint profile `P` IDevIDs are judged with (default: that of the spec's idevid device profile, else idevid-8021ar)")
	db := fs.String("db", "", "the inventory database `FILE` (SQLite, created if absent)")
	rollover := fs.String("rollover", "", "the `DIR` of \"iotcert roll execute\" of the issuing CAs' root: cacerts then carries NewWithOld, OldWithNew, NewWithNew and OldWithOld")
	device := fs.String("device", "", "enroll only device profile `PROFILE`, also under /.well-known/est/ without a label (default: every profile with id_from; the one there is serves the unlabelled path)")
	maxBody := fs.Int64("max-body", est.DefaultMaxBody, "largest request body, in `BYTES` (larger: 413)")
	requirePoP := fs.Bool("require-pop", false, "refuse CSRs without proof-of-possession linking (RFC 7030 §3.5): the base64 TLS channel binding (tls-exporter of RFC 9266 under TLS 1.3) in the CSR's challengePassword")
	rate := fs.Int("rate", 10, "enrollments a device may make per minute, as a burst (`N`; 0: no limit)")
	var kf keyFlags
	kf.register(fs, false)
	fail := usageFailure(stderr, "est")
	if rest, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	} else if len(rest) > 0 {
		return fail("unexpected argument %q", rest[0])
	}
	switch {
	case *specFile == "" || *dir == "" || *tlsCert == "" || *tlsKey == "" || *trustFile == "" || *db == "":
		return fail("want --spec, --dir, --tls-cert, --tls-key, --idevid-trust and --db (EST is served over TLS only)")
	case *maxBody <= 0 || *rate < 0:
		return fail("--max-body must be positive and --rate not negative")
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return fail("--listen %q: %v", *listen, err)
	}
	caKeys, _, err := kf.backends()
	if err != nil {
		return fail("%v", err)
	}
	defer kf.kms.close()
	spec, err := ldevid.ReadSpec(*specFile)
	if err != nil {
		return fail("%v", err)
	}
	if err := kf.checkCAs(spec); err != nil {
		return fail("%v", err)
	}
	var enrolled []string
	for _, d := range spec.Devices {
		if (*device == "" && d.IDFrom != "") || d.Name == *device {
			enrolled = append(enrolled, d.Name)
		}
	}
	if len(enrolled) == 0 {
		if *device != "" {
			return fail("--device %q is not a device profile of %s", *device, spec.Name)
		}
		return fail("%s: no device profile has an id_from rule (see iotcert gen example est)", spec.Name)
	}
	def := ""
	if len(enrolled) == 1 {
		def = enrolled[0]
	}
	h, err := ldevid.New(spec, ldevid.WithKeys(caKeys))
	if err != nil {
		return fail("%v", err)
	}
	for _, name := range enrolled {
		// The issuing CA's key is opened here, once.
		if err := h.LoadCAs(*dir, spec.Device(name).CA, nil); err != nil {
			return fail("%v", err)
		}
	}
	pname := *idevidProfile
	if pname == "" {
		pname = "idevid-8021ar"
		var found []string
		for _, d := range spec.Devices {
			if d.IsIDevID() {
				found = append(found, d.Profile)
			}
		}
		if len(found) == 1 {
			pname = found[0]
		}
	}
	ip, err := h.Profile(pname)
	if err != nil {
		return fail("--idevid-profile: %v", err)
	}
	trust, err := readCerts(*trustFile)
	if err != nil {
		return fail("--idevid-trust: %v", err)
	}
	var ro []*x509.Certificate
	if *rollover != "" {
		for _, f := range []string{roll.NewWithOldFile, roll.OldWithNewFile, roll.NewWithNewFile, roll.OldWithOldFile} {
			c, err := store.ReadCertFile(filepath.Join(*rollover, f))
			if err != nil {
				return fail("--rollover: %v", err)
			}
			ro = append(ro, c)
		}
	}
	cert, err := loadKeyPair(*tlsCert, *tlsKey)
	if err != nil {
		return fail("%v", err)
	}
	// The journal is synced at each (group) commit and recorded in the
	// inventory again at start: the inventory need not wait for the disk.
	st, err := inventory.OpenWith(*db, inventory.Options{NoSync: true})
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	jl, err := store.OpenJournal(*dir)
	if err != nil {
		return fail("%v", err)
	}
	defer jl.Close()
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	// What the command line issued into DIR is known to the inventory
	// before a device enrolls (the journal's lines recorded already are
	// skipped).
	if n, err := importBatchJournal(st, *dir); err != nil {
		return fail("recording %s in the inventory: %v", jl.Path(), err)
	} else if n > 0 {
		log.Info("journal recorded in the inventory", "journal", jl.Path(), "records", n)
	}
	srvEST, err := est.New(est.Config{Hierarchy: h, Devices: enrolled, Default: def, IDevIDTrust: trust, IDevIDProfile: ip,
		Rollover: ro, Store: st, Journal: jl, Logger: log, MaxBody: *maxBody, Rate: *rate, RequirePoP: *requirePoP})
	if err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fail("%v", err)
	}
	srv := &http.Server{
		Handler: srvEST,
		TLSConfig: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{cert},
			// Verified by the handler: an IDevID against --idevid-trust
			// for simpleenroll, an LDevID against the inventory for
			// simplereenroll; cacerts and csrattrs need none.
			ClientAuth: tls.RequestClientCert,
		},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, "", "") }()
	log.Info("listening", "url", "https://"+ln.Addr().String()+est.Path, "profiles", enrolled, "default", def, "idevid_profile", ip.Name, "rollover", len(ro) > 0)
	select {
	case err := <-errc:
		return fail("%v", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 35*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fail("shutdown: %v", err)
	}
	log.Info("stopped")
	return exitOK
}

// readCerts reads every certificate of a file or directory.
func readCerts(path string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for it := range certio.Read([]string{path}, nil) {
		if it.Err != nil {
			return nil, it.Err
		}
		c, err := x509.ParseCertificate(it.DER)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no certificate in %s", path)
	}
	return out, nil
}
