package est

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// verdict is the judgement of a presented IDevID chain.
type verdict struct {
	reasons []string // why it is refused; none when accepted
	at      time.Time
}

// verdictCacheTTL is how long the verdict on a chain is reused: a device
// that reconnects is not linted again meanwhile.
const verdictCacheTTL = 10 * time.Minute

// verdictCache keeps the verdicts on presented chains, by the SHA-256 of
// their DER, up to a number of entries (then it starts afresh).
type verdictCache struct {
	mu  sync.Mutex
	max int
	m   map[[32]byte]verdict
}

func newVerdictCache(max int) *verdictCache {
	return &verdictCache{max: max, m: map[[32]byte]verdict{}}
}

func (vc *verdictCache) get(k [32]byte, now time.Time) (verdict, bool) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	v, ok := vc.m[k]
	if ok && now.Sub(v.at) > verdictCacheTTL {
		delete(vc.m, k)
		return verdict{}, false
	}
	return v, ok
}

func (vc *verdictCache) put(k [32]byte, v verdict) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if len(vc.m) >= vc.max {
		clear(vc.m)
	}
	vc.m[k] = v
}

// authIDevID authorizes an enrollment: chain[0] must be an IDevID with a
// valid path to an IDevID trust anchor (through the CA certificates the
// client sent) and no error finding of the IDevID profile, chain and path
// checks included; the device id is read from it by the profile's rule.
func (s *Server) authIDevID(chain []*x509.Certificate, d *device) (client, int, []string) {
	leaf := chain[0]
	c := client{auth: "est:idevid:" + leaf.SerialNumber.Text(16)}
	h := sha256.New()
	for _, cert := range chain {
		h.Write(cert.Raw)
	}
	var key [32]byte
	h.Sum(key[:0])
	now := s.cfg.Now()
	v, ok := s.verdict.get(key, now)
	if !ok {
		v = verdict{reasons: s.judge(chain, now), at: now}
		s.verdict.put(key, v)
	}
	if len(v.reasons) > 0 {
		return c, http.StatusForbidden, append([]string{"the client certificate is not an acceptable IDevID:"}, v.reasons...)
	}
	id, err := DeviceID(leaf, d.spec.IDFrom)
	if err != nil {
		return c, http.StatusForbidden, []string{err.Error()}
	}
	if err := store.CheckID(id); err != nil {
		return c, http.StatusForbidden, []string{fmt.Sprintf("the IDevID's %s gives device id %q: %v", d.spec.IDFrom, id, err)}
	}
	c.id = id
	return c, 0, nil
}

// judge lints chain with the IDevID profile and the path verdict against
// the IDevID trust anchors, as "iotcert lint --trust" would, and returns
// the reasons to refuse chain[0].
func (s *Server) judge(chain []*x509.Certificate, now time.Time) []string {
	items := func(certs []*x509.Certificate, file string) func(func(certio.Item) bool) {
		return func(yield func(certio.Item) bool) {
			for i, c := range certs {
				if !yield(certio.Item{Origin: certio.Origin{File: file, Index: i}, DER: c.Raw}) {
					return
				}
			}
		}
	}
	p := s.cfg.IDevIDProfile
	results, _, err := bundle.Run(p, items(chain, "client certificate"), items(s.cfg.IDevIDTrust, "idevid-trust"),
		bundle.Options{Profiles: lineage.Of(s.cfg.Hierarchy.Rules(), p), Clock: func() time.Time { return now }, Workers: 1})
	if err != nil {
		return []string{err.Error()}
	}
	if len(results) == 0 {
		return []string{"no certificate"}
	}
	res := results[0]
	var reasons []string
	if res.Path == nil || !res.Path.Valid {
		why := "no trust anchor"
		if res.Path != nil {
			why = res.Path.Reason
		}
		reasons = append(reasons, "no valid path to an IDevID trust anchor: "+why)
	}
	if res.Role != "idevid" {
		reasons = append(reasons, fmt.Sprintf("linted as %s, not as an IDevID", res.Role))
	}
	for _, f := range res.Findings {
		if f.Level >= profile.Error {
			reasons = append(reasons, fmt.Sprintf("%s %s: %s", f.Level, f.Lint, f.Details))
		}
	}
	return slices.Compact(reasons)
}

// DeviceID reads the device id from an IDevID by the rule of a device
// profile's id_from: ldevid.IDFromSerialNumber, IDFromCommonName or
// IDFromHardwareModuleName.
func DeviceID(c *x509.Certificate, rule string) (string, error) {
	var id string
	switch rule {
	case ldevid.IDFromSerialNumber:
		id = c.Subject.SerialNumber
	case ldevid.IDFromCommonName:
		id = c.Subject.CommonName
	case ldevid.IDFromHardwareModuleName:
		for _, e := range c.Extensions {
			if !e.Id.Equal(idevid.OIDSubjectAltName) {
				continue
			}
			names, err := idevid.ParseSubjectAltName(e.Value, nil)
			if err != nil {
				return "", fmt.Errorf("the IDevID's subjectAltName: %w", err)
			}
			for _, n := range names {
				if hw, ok := n.(idevid.HardwareModuleName); ok {
					if id != "" {
						return "", errors.New("the IDevID has more than one HardwareModuleName")
					}
					id = string(hw.SerialNumber)
				}
			}
		}
	default:
		return "", fmt.Errorf("unknown id_from rule %q", rule)
	}
	if id == "" {
		return "", fmt.Errorf("the IDevID has no %s to take the device id from", rule)
	}
	return id, nil
}

// limiter is a token bucket per device: rate enrollments a minute, a
// burst of rate.
type limiter struct {
	mu   sync.Mutex
	rate float64 // per second
	max  float64
	now  func() time.Time
	m    map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{rate: float64(perMinute) / 60, max: float64(perMinute), now: now, m: map[string]*bucket{}}
}

// allow takes a token of key's bucket.
func (l *limiter) allow(key string) bool {
	if l.max == 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.m[key]
	if b == nil {
		if len(l.m) >= 100000 {
			// Forget the buckets that are full again.
			for k, o := range l.m {
				if o.tokens+now.Sub(o.last).Seconds()*l.rate >= l.max {
					delete(l.m, k)
				}
			}
		}
		b = &bucket{tokens: l.max, last: now}
		l.m[key] = b
	}
	b.tokens = min(l.max, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
