// Package est is an EST enrollment server (RFC 7030) that issues IEEE
// 802.1AR LDevIDs to devices that authenticate with their IDevID.
//
// A Server serves, under /.well-known/est/ and under
// /.well-known/est/<label>/ for each enrolled device profile:
//
//	GET  cacerts          the issuing CA chain, and during a root rollover
//	                      the link certificates (RFC 7030 §4.1.3)
//	GET  csrattrs         the key the profile wants (RFC 7030 §4.5)
//	POST simpleenroll     a CSR, authorized by the device's IDevID as TLS
//	                      client certificate (RFC 7030 §4.2.1)
//	POST simplereenroll   a CSR, authorized by the device's current LDevID
//	                      (RFC 7030 §4.2.2); the old one is superseded
//
// The IDevID must have a valid path to a trust anchor and no error
// finding of its lint profile (the path verdict and lints of iotcert
// lint). The device id is read from it by the device profile's id_from
// rule; the LDevID is rendered from the profile's templates for that id
// (ldevid.Hierarchy.SignCSR: the CSR gives the key and its proof of
// possession only) and linted before it is signed. Each certificate is
// recorded in the inventory and journaled before the response is sent.
package est

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/iotcert/iotcert/internal/certsonly"
	"github.com/iotcert/iotcert/inventory"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// Path is the prefix of the EST endpoints (RFC 7030 §3.2.2).
const Path = "/.well-known/est/"

// Media types of RFC 7030 §4.
const (
	mimePKCS10   = "application/pkcs10"
	mimeCertsP7  = "application/pkcs7-mime; smime-type=certs-only"
	mimeCSRAttrs = "application/csrattrs"
)

// DefaultMaxBody is the largest request body accepted: a CSR of a P-384
// key with a few names is well under 2 KiB, base64 included.
const DefaultMaxBody = 16 << 10

// Journal records the certificates issued (store.Journal does):
// AppendAll writes several lines durably at once.
type Journal interface {
	AppendAll(entries []store.JournalEntry) error
}

// Config configures a Server.
type Config struct {
	// Hierarchy issues the certificates: the CAs of the enrolled device
	// profiles are loaded in it, with the issuing CAs' keys opened.
	Hierarchy *ldevid.Hierarchy
	// Devices are the device profiles enrolled, each under
	// /.well-known/est/<name>/; each needs an id_from rule.
	Devices []string
	// Default is the device profile served without a label ("" for
	// none).
	Default string
	// IDevIDTrust are the trust anchors IDevIDs must chain to.
	IDevIDTrust []*x509.Certificate
	// IDevIDProfile is the lint profile IDevIDs are judged with.
	IDevIDProfile *profile.Profile
	// Rollover, when not nil, are the certificates of a root key rollover
	// of the issuing CAs' root (roll.Rollover.CACerts order), served by
	// cacerts after the issuing CA chain below the root.
	Rollover []*x509.Certificate
	// Store is the inventory every certificate is recorded in.
	Store inventory.Store
	// Journal is where each certificate is journaled (nil: nowhere).
	Journal Journal
	// Logger receives one line a request (nil: none). Request bodies,
	// keys and CSRs are never logged.
	Logger *slog.Logger
	// MaxBody is the largest request body (0: DefaultMaxBody).
	MaxBody int64
	// Rate is the number of enrollments a device may make per minute, a
	// burst of Rate allowed (0: no limit).
	Rate int
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// RequirePoP refuses a CSR without proof-of-possession linking (RFC
	// 7030 §3.5): its challengePassword must be the connection's channel
	// binding. A CSR that carries a challengePassword is checked anyway.
	RequirePoP bool
}

// Server is the EST http.Handler.
type Server struct {
	cfg     Config
	devices map[string]*device
	mux     *http.ServeMux
	verdict *verdictCache
	limit   *limiter
	locks   [256]sync.Mutex // per device, by hash of profile and id
	journal chan journalRequest
}

// journalRequest is a line to journal and where to say it is durable.
type journalRequest struct {
	e    store.JournalEntry
	done chan error
}

// device is one enrolled device profile.
type device struct {
	spec     *ldevid.DeviceSpec
	ca       *ldevid.CA
	cacerts  []byte // base64 certs-only
	csrattrs []byte // base64 CsrAttrs
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Hierarchy == nil || cfg.Store == nil || cfg.IDevIDProfile == nil {
		return nil, errors.New("est: a hierarchy, an inventory and an IDevID profile are required")
	}
	if len(cfg.IDevIDTrust) == 0 {
		return nil, errors.New("est: no IDevID trust anchor")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, devices: map[string]*device{}, mux: http.NewServeMux(), verdict: newVerdictCache(4096), limit: newLimiter(cfg.Rate, cfg.Now)}
	spec := cfg.Hierarchy.Spec()
	for _, name := range cfg.Devices {
		d := spec.Device(name)
		if d == nil {
			return nil, fmt.Errorf("est: %q is not a device profile of %s", name, spec.Name)
		}
		if d.IDFrom == "" {
			return nil, fmt.Errorf("est: device profile %q has no id_from rule: the server cannot tell which device an IDevID is", name)
		}
		ca := cfg.Hierarchy.CA(d.CA)
		if ca == nil || ca.Signer == nil {
			return nil, fmt.Errorf("est: the key of CA %q is not loaded", d.CA)
		}
		chain, err := cfg.Hierarchy.Chain(d.CA)
		if err != nil {
			return nil, fmt.Errorf("est: %w", err)
		}
		certs := chain
		if cfg.Rollover != nil {
			// The CAs below the root, then the rollover set: the link
			// certificates before the roots (see roll.Rollover.CACerts).
			certs = nil
			for _, c := range chain {
				if !c.IsCA || string(c.RawSubject) != string(c.RawIssuer) {
					certs = append(certs, c)
				}
			}
			certs = append(certs, cfg.Rollover...)
		}
		p7, err := certsonly.Marshal(certs)
		if err != nil {
			return nil, fmt.Errorf("est: cacerts: %w", err)
		}
		attrs, err := CSRAttrs(d)
		if err != nil {
			return nil, fmt.Errorf("est: device profile %q: %w", name, err)
		}
		s.devices[name] = &device{spec: d, ca: ca, cacerts: certsonly.Base64(p7), csrattrs: certsonly.Base64(attrs)}
	}
	if cfg.Journal != nil {
		s.journal = make(chan journalRequest)
		go s.commitJournal()
	}
	if cfg.Default != "" && s.devices[cfg.Default] == nil {
		return nil, fmt.Errorf("est: default device profile %q is not enrolled", cfg.Default)
	}
	for _, op := range []struct {
		method, name string
		h            func(http.ResponseWriter, *http.Request, *device) (int, string)
	}{
		{http.MethodGet, "cacerts", s.cacerts},
		{http.MethodGet, "csrattrs", s.csrattrs},
		{http.MethodPost, "simpleenroll", s.simpleenroll},
		{http.MethodPost, "simplereenroll", s.simplereenroll},
	} {
		h := s.handle(op.h)
		s.mux.Handle(op.method+" "+Path+op.name, h)
		s.mux.Handle(op.method+" "+Path+"{label}/"+op.name, h)
	}
	return s, nil
}

// ServeHTTP serves the EST endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handle wraps an endpoint: it finds the device profile of the label,
// limits the body and logs one line.
func (s *Server) handle(h func(http.ResponseWriter, *http.Request, *device) (int, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		w.Header().Set("Cache-Control", "no-store")
		label := r.PathValue("label")
		name := label
		if name == "" {
			name = s.cfg.Default
		}
		var status int
		var who string
		if d := s.devices[name]; d == nil {
			status = http.StatusNotFound
			http.Error(w, fmt.Sprintf("no device profile %q is enrolled here", label), status)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
			status, who = h(w, r, d)
		}
		if s.cfg.Logger != nil {
			s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", status), slog.String("client", who), slog.String("remote", r.RemoteAddr),
				slog.Duration("duration", s.cfg.Now().Sub(start)))
		}
	})
}

// refuse writes a refusal: status and the reasons, one a line.
func refuse(w http.ResponseWriter, status int, reasons ...string) int {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(status)
	for _, r := range reasons {
		io.WriteString(w, r+"\n")
	}
	return status
}

func writeBase64(w http.ResponseWriter, contentType string, body []byte) int {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Transfer-Encoding", "base64")
	w.Write(body)
	return http.StatusOK
}

func (s *Server) cacerts(w http.ResponseWriter, r *http.Request, d *device) (int, string) {
	return writeBase64(w, mimeCertsP7, d.cacerts), ""
}

func (s *Server) csrattrs(w http.ResponseWriter, r *http.Request, d *device) (int, string) {
	return writeBase64(w, mimeCSRAttrs, d.csrattrs), ""
}

func (s *Server) simpleenroll(w http.ResponseWriter, r *http.Request, d *device) (int, string) {
	return s.enroll(w, r, d, false)
}

func (s *Server) simplereenroll(w http.ResponseWriter, r *http.Request, d *device) (int, string) {
	return s.enroll(w, r, d, true)
}

// client is an authenticated device.
type client struct {
	id   string
	auth string // the inventory's Auth
	prev *inventory.Record
}

// enroll serves simpleenroll (re false) and simplereenroll (re true).
func (s *Server) enroll(w http.ResponseWriter, r *http.Request, d *device, re bool) (int, string) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		what := "IDevID"
		if re {
			what = "current LDevID"
		}
		return refuse(w, http.StatusUnauthorized, "enrollment needs TLS client authentication with the device's "+what), ""
	}
	var c client
	var status int
	var reasons []string
	if re {
		c, status, reasons = s.authLDevID(r.Context(), r.TLS.PeerCertificates[0], d)
	} else {
		c, status, reasons = s.authIDevID(r.TLS.PeerCertificates, d)
	}
	if status != 0 {
		return refuse(w, status, reasons...), c.auth
	}
	if !s.limit.allow(d.spec.Name + "\x00" + c.id) {
		return refuse(w, http.StatusTooManyRequests, fmt.Sprintf("device %q: too many enrollments; retry later", c.id)), c.auth
	}
	csr, st, msg := readCSR(r)
	if st != 0 {
		return refuse(w, st, msg), c.auth
	}
	if why := checkPoP(r.TLS, csr.RawTBSCertificateRequest, s.cfg.RequirePoP); why != "" {
		return refuse(w, http.StatusBadRequest, why), c.auth
	}
	lock := &s.locks[lockIndex(d.spec.Name, c.id)]
	lock.Lock()
	defer lock.Unlock()
	if !re {
		// A device enrolling again with its IDevID (after a factory
		// reset) replaces its current LDevID.
		cur, err := s.cfg.Store.Current(r.Context(), d.spec.Name, c.id)
		switch {
		case err == nil:
			c.prev = &cur
		case !errors.Is(err, inventory.ErrNotFound):
			return s.internal(w, r, err), c.auth
		}
	}
	dev, err := s.cfg.Hierarchy.SignCSR(ldevid.Request{Device: d.spec.Name, ID: c.id}, csr, ldevid.CSROptions{})
	if err != nil {
		var refused *ldevid.RefusedError
		if errors.As(err, &refused) {
			lines := append([]string{refused.What + ": refused"}, refused.Reasons...)
			for _, f := range refused.Findings {
				lines = append(lines, fmt.Sprintf("%s %s: %s", f.Level, f.Lint, f.Details))
			}
			return refuse(w, http.StatusBadRequest, lines...), c.auth
		}
		return s.internal(w, r, err), c.auth
	}
	e := s.cfg.Hierarchy.Entry(d.spec.Name, dev, nil)
	e.Auth = c.auth
	e.Command = "iotcert est " + map[bool]string{false: "simpleenroll", true: "simplereenroll"}[re]
	if c.prev != nil {
		e.Previous, e.ReissueReason = c.prev.Serial, map[bool]string{false: "enrolled again with the IDevID", true: "re-enrollment"}[re]
	}
	rec, err := inventory.FromJournal(e)
	if err != nil {
		return s.internal(w, r, err), c.auth
	}
	// Recorded before the response: a certificate a device holds is
	// never missing from the inventory, whatever stops the server.
	if c.prev != nil {
		err = s.cfg.Store.Supersede(r.Context(), c.prev.Key(), rec)
	} else {
		err = s.cfg.Store.Insert(r.Context(), rec)
	}
	if errors.Is(err, inventory.ErrIssued) || errors.Is(err, inventory.ErrNotCurrent) {
		// Another replica enrolled the device meanwhile.
		return refuse(w, http.StatusConflict, fmt.Sprintf("device %q: enrolled concurrently; retry: %v", c.id, err)), c.auth
	}
	if err != nil {
		return s.internal(w, r, err), c.auth
	}
	if s.journal != nil {
		done := make(chan error, 1)
		s.journal <- journalRequest{e: e, done: done}
		if err := <-done; err != nil {
			return s.internal(w, r, err), c.auth
		}
	}
	p7, err := certsonly.Marshal([]*x509.Certificate{dev.Cert})
	if err != nil {
		return s.internal(w, r, err), c.auth
	}
	if s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "issued", slog.String("profile", d.spec.Name), slog.String("id", c.id),
			slog.String("serial", e.Serial), slog.String("client", c.auth), slog.String("previous", e.Previous))
	}
	return writeBase64(w, mimeCertsP7, certsonly.Base64(p7)), c.auth
}

// commitJournal writes the lines of concurrent enrollments to the
// journal together, one write and one sync for all (group commit), and
// answers each once its line is durable. It runs for the Server's life.
func (s *Server) commitJournal() {
	var batch []journalRequest
	var entries []store.JournalEntry
	for first := range s.journal {
		batch = append(batch[:0], first)
	more:
		for len(batch) < 256 {
			select {
			case r := <-s.journal:
				batch = append(batch, r)
			default:
				break more
			}
		}
		entries = entries[:0]
		for _, r := range batch {
			entries = append(entries, r.e)
		}
		err := s.cfg.Journal.AppendAll(entries)
		for _, r := range batch {
			r.done <- err
		}
	}
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) int {
	if s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelError, "enrollment failed", slog.String("error", err.Error()))
	}
	return refuse(w, http.StatusInternalServerError, "internal error; the certificate was not issued")
}

// readCSR reads the base64 DER PKCS#10 body of an enrollment request. A
// refusal is a status and a message for the client.
func readCSR(r *http.Request) (*x509.CertificateRequest, int, string) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mimePKCS10 {
		return nil, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: want %s (RFC 7030 §4.2.1)", r.Header.Get("Content-Type"), mimePKCS10)
	}
	if cte := r.Header.Get("Content-Transfer-Encoding"); cte != "" && !strings.EqualFold(cte, "base64") {
		return nil, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Transfer-Encoding %q: want base64 (RFC 7030 §4.2.1)", cte)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body too large (more than %d bytes)", mbe.Limit)
		}
		return nil, http.StatusBadRequest, fmt.Sprintf("reading the request: %v", err)
	}
	der, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, string(body)))
	if err != nil {
		return nil, http.StatusBadRequest, fmt.Sprintf("the body is not base64: %v", err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, http.StatusBadRequest, fmt.Sprintf("the body is not a PKCS#10 certificate request: %v", err)
	}
	return csr, 0, ""
}

func lockIndex(profile, id string) int {
	h := fnv.New32a()
	io.WriteString(h, profile)
	h.Write([]byte{0})
	io.WriteString(h, id)
	return int(h.Sum32() % 256)
}

// authLDevID authorizes a re-enrollment: the client certificate must be
// signed by the profile's CA, valid now, and the device's current
// certificate in the inventory.
func (s *Server) authLDevID(ctx context.Context, leaf *x509.Certificate, d *device) (client, int, []string) {
	serial := leaf.SerialNumber.Text(16)
	c := client{auth: "est:ldevid:" + serial}
	if err := leaf.CheckSignatureFrom(d.ca.Cert); err != nil {
		return c, http.StatusForbidden, []string{fmt.Sprintf("the client certificate (serial %s) is not an LDevID of CA %q: %v", serial, d.ca.Spec.Name, err)}
	}
	if now := s.cfg.Now(); now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return c, http.StatusForbidden, []string{fmt.Sprintf("the client certificate (serial %s) is not valid now (%s to %s)", serial, leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339))}
	}
	rec, err := s.cfg.Store.Get(ctx, inventory.Key{Issuer: d.ca.Spec.Name, Serial: serial})
	if errors.Is(err, inventory.ErrNotFound) {
		return c, http.StatusForbidden, []string{fmt.Sprintf("the client certificate (serial %s) is not in the inventory", serial)}
	}
	if err != nil {
		return c, http.StatusInternalServerError, []string{"internal error"}
	}
	sum := sha256.Sum256(leaf.Raw)
	switch {
	case rec.SHA256 != hex.EncodeToString(sum[:]):
		return c, http.StatusForbidden, []string{fmt.Sprintf("the client certificate (serial %s) is not the one the inventory records", serial)}
	case rec.Profile != d.spec.Name:
		return c, http.StatusForbidden, []string{fmt.Sprintf("the client certificate (serial %s) is of device profile %q, not %q", serial, rec.Profile, d.spec.Name)}
	case rec.Status != inventory.Issued:
		return c, http.StatusForbidden, []string{fmt.Sprintf("the client certificate (serial %s) is %s: re-enroll with the device's current LDevID", serial, rec.Status)}
	}
	c.id, c.prev = rec.ID, &rec
	return c, 0, nil
}
