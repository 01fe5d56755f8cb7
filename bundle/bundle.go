// Package bundle builds the chains of a set of certificates — who issued
// whom, by name chaining, authority/subject key identifiers and a real
// signature check — refines each certificate's role (root, subordinate,
// link, end entity) and reports chain-level findings: broken signatures,
// key identifier mismatches, orphans, duplicates, pathLenConstraint and
// name constraint violations, validity nesting, algorithm consistency,
// expiry, key reuse and the chain rows of the rules catalogue — and gives
// every certificate a path verdict: whether a certification path from it
// to a trust anchor is valid at the evaluation time (RFC 5280 §6.1; see
// path.go and docs/bundle.md).
//
// It is the engine of the bundle gate: Run lints a stream of certificates
// with a profile on all cores and adds the chain findings to the result of
// the certificate each concerns. Library users can also drive the steps
// themselves:
//
//	b, _ := bundle.New(bundle.Options{Profiles: []string{"tls13-iot"}})
//	for each certificate c with its profile.Result res:
//		b.Add(&res, bundle.NewNode(c))
//	g := b.Finish()
//	g.Apply(results)
//
// Chain building keeps one compact Node per certificate (no DER), so that
// bundles of 100,000 certificates fit comfortably in memory; see
// docs/bundle.md for the cost.
package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/duration"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/role"
	"github.com/zmap/zcrypto/x509"
)

// Options configure chain building and the chain checks.
type Options struct {
	// Profiles are the profile the certificates are linted with and the
	// profiles it extends, nearest first (its lineage: p.Name, then
	// p.Extends, then what that profile extends). Checks limited to
	// some profiles run when one of these is among them.
	Profiles []string
	// Clock gives the time of the check: it is read once, when the
	// bundle is made, and that instant is the one expiry and the paths
	// are judged at and the one the profile's clocked lints judge every
	// certificate at (profile.Profile.WithClock). nil means time.Now.
	Clock func() time.Time
	// ExpiryHorizon, when CheckExpiry is set, is how far ahead of the time of the check a
	// notAfter counts as expiring (0: only certificates already expired).
	ExpiryHorizon time.Duration
	// CheckExpiry turns on e_chain_expiring. A certificate that has
	// expired at the time of the check is always reported, as e_chain_expired.
	CheckExpiry bool
	// ValidityNesting is the level of w_chain_validity_outside_issuer:
	// profile.Warn (the default when zero) or profile.Error.
	ValidityNesting profile.Level
	// Enable turns on optional checks by name; Disable turns checks off.
	Enable, Disable []string
	// Workers is the number of goroutines for linting and signature
	// checks; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// ProfileOf, when not nil, chooses the profile each certificate of
	// the input is linted with, such as the one its hierarchy spec gives
	// it; when it returns nil, or for trust anchors, the profile given to
	// Run, Spool or Lint is used. It is called on several goroutines.
	// Profiles should then list the profiles it can return and those
	// they extend.
	ProfileOf func(c *x509.Certificate) *profile.Profile
	// TempDir is the directory Spool writes its temporary files to; empty
	// means os.TempDir().
	TempDir string
	// SizeBudget, when not nil, is the size budget of the size checks
	// (w_chain_size_budget, w_chain_cert_size_budget); Run and Spool use
	// the budget of their profile when it is nil. Without a budget the
	// size checks do not run. Certificates are measured as Run, Spool
	// and Lint add them; a Node given to Add directly is not measured and
	// is taken to fit.
	SizeBudget *profile.SizeBudget
	// MatterCD, when not nil, is the Certification Declaration the DACs
	// of a matter bundle are checked against (the e_matter_cd_* checks).
	MatterCD *MatterCD
}

// Bundle collects the certificates of one run and builds their chains.
// Add and AddTrusted must not be called concurrently; Finish runs the
// chain checks once all certificates are in.
type Bundle struct {
	opts    Options
	enabled map[string]bool
	nodes   []*Node // in input order; nil for inputs that are not certificates (none under spill)
	count   int     // results added
	anchors []*Node
	names   map[string]string // interned issuer and subject names
	now     time.Time         // the time of the check, read from Options.Clock once

	// spill, when not nil, keeps the Nodes of end entities on disk until
	// the results are replayed (spill.go); Spool sets it.
	spill *spill

	sizeMu sync.Mutex
	noC509 map[*Node]string // why a certificate has no C509 form (size.go)
}

// at is the clock of the profiles the bundle lints with: the bundle's one
// instant.
func (b *Bundle) at() time.Time { return b.now }

// UnknownCheckError is the error of New when Options.Enable or
// Options.Disable name a chain check that does not exist (Checks lists
// those that do).
type UnknownCheckError struct {
	Name string // the name given
}

func (e *UnknownCheckError) Error() string {
	return fmt.Sprintf("unknown chain check %q", e.Name)
}

// New returns an empty bundle. It returns an *UnknownCheckError when
// Enable or Disable name a check that does not exist.
func New(opts Options) (*Bundle, error) {
	if opts.ValidityNesting == 0 {
		opts.ValidityNesting = profile.Warn
	}
	if opts.ValidityNesting != profile.Warn && opts.ValidityNesting != profile.Error {
		return nil, fmt.Errorf("validity nesting level %s: want warn or error", opts.ValidityNesting)
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	now := time.Now()
	if opts.Clock != nil {
		now = opts.Clock()
	}
	b := &Bundle{opts: opts, now: now, enabled: map[string]bool{}, names: map[string]string{}}
	for _, c := range checks {
		b.enabled[c.Name] = !c.Optional && appliesToProfiles(c.Profiles, opts.Profiles)
	}
	for _, name := range opts.Enable {
		if _, ok := checkInfo(name); !ok {
			return nil, &UnknownCheckError{Name: name}
		}
		b.enabled[name] = true
	}
	for _, name := range opts.Disable {
		if _, ok := checkInfo(name); !ok {
			return nil, &UnknownCheckError{Name: name}
		}
		b.enabled[name] = false
	}
	b.enabled[SizeChain] = b.enabled[SizeChain] && opts.SizeBudget != nil && opts.SizeBudget.Chain != nil
	b.enabled[SizeCertificate] = b.enabled[SizeCertificate] && opts.SizeBudget != nil && opts.SizeBudget.Certificate != nil
	if !b.enabled[OrphanError] || !b.enabled[OrphanNotice] {
		// One switch for both levels of the orphan finding.
		b.enabled[OrphanError], b.enabled[OrphanNotice] = false, false
	}
	return b, nil
}

func appliesToProfiles(limit, lineage []string) bool {
	if len(limit) == 0 {
		return true
	}
	for _, p := range lineage {
		if slices.Contains(limit, p) {
			return true
		}
	}
	return false
}

// intern returns a shared copy of s, so that the issuer name of many
// certificates costs one string.
func (b *Bundle) intern(s string) string {
	if b.names == nil { // released by Finish
		return s
	}
	if v, ok := b.names[s]; ok {
		return v
	}
	b.names[s] = s
	return s
}

// Add adds the next result, in input order, with the node of its
// certificate; n is nil when the input was not a certificate. The result's
// origin, role, subject, serial and SHA-256 are copied into the node.
func (b *Bundle) Add(res *profile.Result, n *Node) {
	if n != nil {
		b.describeNode(res, n)
		if b.spill != nil && b.spill.add(b, n) {
			b.count++ // the Node waits in the node spool
			return
		}
		if n.isCA {
			// Only a CA's subject is some other certificate's issuer
			// name, as a rule; an end entity's is its own.
			n.subject = b.intern(n.subject)
		}
		n.issuer = b.intern(n.issuer)
	} else if b.spill != nil {
		b.spill.append(certRec{pos: rfMemory}) // not a certificate
		b.count++
		return
	}
	b.nodes = append(b.nodes, n)
	b.count++
}

// describeNode copies the result's origin, role, subject and SHA-256 into
// n, the node of the next result.
func (b *Bundle) describeNode(res *profile.Result, n *Node) {
	n.origin = res.Origin
	n.index = b.count
	n.sha256 = [sha256.Size]byte{}
	if len(res.SHA256) == 2*sha256.Size {
		if _, err := hex.Decode(n.sha256[:], []byte(res.SHA256)); err != nil {
			n.sha256 = [sha256.Size]byte{}
		}
	}
	if res.Subject != "" {
		n.display = res.Subject
	}
	if r, ok := role.Parse(res.Role); ok {
		n.role = r
	}
}

// AddTrusted adds a trust anchor: a certificate that ends chains and is
// not reported (the --trust store). AddTrustedResult also records what
// makes it malformed.
func (b *Bundle) AddTrusted(n *Node, origin certio.Origin) {
	n.subject = b.intern(n.subject)
	n.issuer = b.intern(n.issuer)
	n.origin = origin
	n.trusted = true
	n.index = -1
	b.anchors = append(b.anchors, n)
}

// AddTrustedResult adds a trust anchor, as AddTrusted does, with the
// result of linting it: an error-level finding of an RFC 5280 lint makes
// the anchor malformed, and no path starts at it (see docs/bundle.md,
// "Trust anchors").
func (b *Bundle) AddTrustedResult(n *Node, origin certio.Origin, res profile.Result) {
	for _, f := range res.Findings {
		if f.Level >= profile.Error && f.Source == rfc5280Source {
			n.malformed = f.Lint + " (" + f.Details + ")"
			break
		}
	}
	b.AddTrusted(n, origin)
}

// rfc5280Source is the lint source of zlint's RFC 5280 lints.
const rfc5280Source = "RFC5280"

// ChainFinding is a finding of a chain check on the certificate at Index
// (the position of its result, in input order).
type ChainFinding struct {
	Index   int
	Finding profile.Finding
}

// state is the chain-building state of one node.
type state struct {
	n       *Node
	parents []*state // issuers whose key verifies the signature, best first
	named   []*state // certificates named as issuer whose key does not verify
	role    string   // refined role
	dupOf   *state
	roots   []*state
	pos     int // position in Graph.Nodes (set by graph)

	// The path verdict (path.go).
	paths    []*pathRec
	pathsWhy string
	verdict  pathVerdict

	// The flags are kept together, so that they share one word of the
	// struct (a state is made per certificate).
	selfSigned   bool
	rootsDone    bool
	visiting     bool
	anchor       bool // a trust anchor: a --trust certificate (or a copy of one), or without --trust a self-signed root of the input
	anchorCopy   bool // the same certificate as a --trust anchor
	pathsDone    bool
	pathVisiting bool
	explained    bool      // an error-level chain finding already says why no path validates
	matterRole   role.Role // the Matter role by position when it differs from the cA flag's (matter.go); 0 (role.Unknown) when it does not
}

func (s *state) isLink() bool { return s.role == RoleLink }

// Refined role names beyond those of package role.
const (
	// RoleLink is a CA certificate that is self-issued but not
	// self-signed, or that certifies the key of another root: a link
	// certificate of a root key rollover (NewWithOld, OldWithNew; RFC 9810
	// §4.4) or a cross certificate between two CA keys.
	RoleLink = "link"
	// RoleTrustAnchor is the role of a --trust certificate in the graph.
	RoleTrustAnchor = "trust-anchor"
)

// Finish builds the chains and runs the chain checks. It can be called
// once, after every certificate was added.
func (b *Bundle) Finish() *Graph {
	f, inputs := b.finish()
	return f.graph(inputs)
}

// finish builds the chains and runs the chain checks; it returns the
// finisher's state and the states of the input's certificates in input
// order.
func (b *Bundle) finish() (*finisher, []*state) {
	if b.spill != nil {
		b.spill.promote(b)
	}
	all := make([]*state, 0, len(b.nodes)+len(b.anchors))
	inputs := make([]*state, 0, len(b.nodes))
	for _, n := range b.nodes {
		if n != nil {
			s := &state{n: n, role: n.role.String()}
			inputs = append(inputs, s)
			all = append(all, s)
		}
	}
	for _, n := range b.anchors {
		all = append(all, &state{n: n, role: RoleTrustAnchor})
	}
	f := &finisher{b: b, all: all}
	f.dedupe()
	f.link()
	if releaseMemory {
		f.dropSignatures()
	}
	b.names = nil // no name is added any more
	f.assignRoles()
	f.judgePaths()
	f.check()
	return f, inputs
}

type finisher struct {
	b         *Bundle
	all       []*state // certificates and anchors, duplicates included
	findings  []ChainFinding
	hasRoot   bool
	hasAnchor bool // there is a trust anchor: the path verdict is judged
	// bySKI indexes the certificates by subjectKeyIdentifier (withSKI);
	// skiScans counts the certificates it looked at, for tests.
	bySKI    map[string][2]*state
	skiScans int
	// bySubject and ix index the candidate issuers by subject (link).
	bySubject map[string][]*state
	ix        *issuerIndex
}

func (f *finisher) add(s *state, name, format string, args ...any) {
	if !f.b.enabled[name] || s.n.trusted {
		return
	}
	info, _ := checkInfo(name)
	lv := info.Level
	if lv >= profile.Error && pathCheck[name] {
		s.explained = true
	}
	if name == ValidityOutsideIssuer {
		lv = f.b.opts.ValidityNesting
	}
	f.findings = append(f.findings, ChainFinding{Index: s.n.index, Finding: profile.Finding{
		Lint: name, Level: lv, Details: fmt.Sprintf(format, args...), Citation: info.Citation, Source: Source,
	}})
}

// live returns the certificates that take part in chain building: all but
// later copies of a duplicate.
func (f *finisher) live() []*state {
	out := make([]*state, 0, len(f.all))
	for _, s := range f.all {
		if s.dupOf == nil {
			out = append(out, s)
		}
	}
	return out
}

// dedupe marks duplicates and reports reused issuer+serial pairs. A
// certificate found more than once in the input is reported once, on its
// first copy, with the number of copies (the same CA certificate in every
// device's chain.pem is one notice, not one per device).
func (f *finisher) dedupe() {
	byHash := map[[sha256.Size]byte]*state{}
	bySerial := map[string]*state{}
	copies := map[*state][]*state{} // later copies in the input, by first copy
	for _, s := range f.all {
		if s.n.sha256 != ([sha256.Size]byte{}) {
			if first, ok := byHash[s.n.sha256]; ok {
				if s.n.trusted && !first.n.trusted {
					// A --trust certificate also in the input: the
					// input's copy is the anchor.
					first.anchorCopy = true
				}
				s.dupOf = first
				if !s.n.trusted {
					copies[first] = append(copies[first], s)
				}
				continue
			}
			byHash[s.n.sha256] = s
		}
		key := s.n.issuer + "\x00" + s.n.serial
		if first, ok := bySerial[key]; ok {
			f.add(s, SerialUnique, "issuer %q and serial %s are also those of a different certificate: %s", s.n.issuerDisplay(first), s.n.serial, describe(first))
			continue
		}
		bySerial[key] = s
	}
	for _, s := range f.all {
		if later := copies[s]; len(later) > 0 {
			f.add(s, Duplicate, "%d copies of this certificate in the input; the later ones are left out of chain building: %s", len(later)+1, describeSome(later, 3))
		}
	}
}

// describeSome describes the first n of ss and says how many more there
// are.
func describeSome(ss []*state, n int) string {
	if len(ss) <= n {
		return describeAll(ss)
	}
	return fmt.Sprintf("%s and %d more", describeAll(ss[:n]), len(ss)-n)
}

// issuerDisplay returns the issuer DN of n for messages: the subject of a
// certificate whose subject is n's issuer.
func (n *Node) issuerDisplay(other *state) string {
	if other.n.issuer == n.issuer {
		return other.n.issuerName()
	}
	return n.issuerName()
}

// link finds the issuers of every certificate, checking signatures on all
// workers.
func (f *finisher) link() {
	live := f.live()
	// Only the certificates whose subject is some certificate's issuer
	// name are candidates: the others (most end entities) are left out of
	// the index, which would otherwise hold every subject of the bundle.
	issuers := map[string]bool{}
	for _, s := range live {
		issuers[s.n.issuer] = true
	}
	bySubject := map[string][]*state{}
	for _, s := range live {
		if issuers[s.n.subject] || f.b.spill.isIssuer(s.n.subject) {
			bySubject[s.n.subject] = append(bySubject[s.n.subject], s)
			// Parse the key of every candidate issuer, once.
			s.n.parseKey()
		}
	}
	f.bySubject, f.ix = bySubject, newIssuerIndex(bySubject)
	work := make(chan *state, 256)
	var wg sync.WaitGroup
	for range f.b.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				f.linkState(s)
			}
		}()
	}
	for _, s := range live {
		work <- s
	}
	close(work)
	wg.Wait()
	for _, s := range live {
		if s.selfSigned && s.n.isCA && !s.n.trusted {
			f.hasRoot = true
		}
	}
}

// linkState finds the issuers of s among the certificates indexed by
// link. It writes only s.
func (f *finisher) linkState(s *state) {
	candidates := f.bySubject[s.n.issuer]
	f.linkOne(s, f.ix.narrow(s, candidates))
	// s's signature is checked: release it and its digest now, not after
	// every certificate is linked (see dropSignatures).
	if releaseMemory {
		s.n.sig, s.n.digest = nil, nil
	}
	if len(s.parents) == 0 && len(s.named) == 0 && !s.selfSigned {
		// The candidates narrow left out cannot have made the signature:
		// they are named issuers that do not verify.
		for _, c := range candidates {
			if c != s && len(s.named) < 3 {
				s.named = append(s.named, c)
			}
		}
	}
}

// releaseMemory turns on the releases of chain-building state that
// docs/bundle.md describes ("Concurrency and memory"): signatures once
// checked, and the end entities' states once the graph is built. Tests
// turn it off to check that the findings do not change.
var releaseMemory = true

// dropSignatures releases what only signature checks need, the signature
// and the digest it signs, of the certificates link did not check (later
// copies of a duplicate; link releases the others as it goes): they are a
// fifth of a device certificate's node.
func (f *finisher) dropSignatures() {
	for _, s := range f.all {
		s.n.sig, s.n.digest = nil, nil
	}
}

// linkOne finds the issuers of s among the candidates (certificates whose
// subject is s's issuer). It writes only s.
func (f *finisher) linkOne(s *state, candidates []*state) {
	if s.n.subject == s.n.issuer {
		switch verify(s.n, s.n) {
		case verified:
			s.selfSigned = true
		case unknown:
			s.selfSigned = len(s.n.aki) == 0 || bytes.Equal(s.n.aki, s.n.ski)
		}
		if s.selfSigned {
			return
		}
	}
	for _, c := range candidates {
		if c == s {
			continue
		}
		switch verify(s.n, c.n) {
		case verified:
			s.parents = append(s.parents, c)
		case unknown:
			if len(s.n.aki) == 0 || bytes.Equal(s.n.aki, c.n.ski) {
				s.parents = append(s.parents, c)
			}
		default:
			s.named = append(s.named, c)
		}
	}
}

// assignRoles refines roles (link certificates) and orders parents.
func (f *finisher) assignRoles() {
	rootKeys := map[string]bool{}
	for _, s := range f.all {
		if s.selfSigned && s.n.isCA {
			rootKeys[string(s.n.spki)] = true
		}
	}
	for _, s := range f.all {
		switch {
		case s.n.trusted:
		case s.selfSigned && s.n.isCA:
			s.role = role.Root.String()
		case s.n.isCA && (s.n.subject == s.n.issuer || rootKeys[string(s.n.spki)]):
			s.role = RoleLink
		case s.n.isCA:
			s.role = role.Subordinate.String()
		}
	}
	for _, s := range f.all {
		sort.SliceStable(s.parents, func(i, j int) bool { return betterParent(s, s.parents[i], s.parents[j]) })
	}
	for _, s := range f.all {
		if s.dupOf != nil {
			s.role = s.dupOf.role
		}
	}
}

// betterParent orders the issuers of s: a matching AKI first, then
// non-link certificates, then trust anchors, then input order.
func betterParent(s, a, b *state) bool {
	am, bm := akiMatches(s, a), akiMatches(s, b)
	if am != bm {
		return am
	}
	if a.isLink() != b.isLink() {
		return !a.isLink()
	}
	if a.n.trusted != b.n.trusted {
		return a.n.trusted
	}
	return false
}

func akiMatches(s, issuer *state) bool {
	return len(s.n.aki) > 0 && bytes.Equal(s.n.aki, issuer.n.ski)
}

// parent returns the issuer chains are drawn and walked through.
func (s *state) parent() *state {
	if len(s.parents) == 0 {
		return nil
	}
	return s.parents[0]
}

// isAnchor reports whether chains end at s.
func (s *state) isAnchor() bool { return s.n.trusted || s.selfSigned }

// ancestors calls fn for each certificate above s on its primary path,
// nearest first, and stops at an anchor, a loop or when fn returns false.
func (s *state) ancestors(fn func(a *state) bool) {
	// A chain longer than maxDepth can only be a loop of issuers (two
	// CAs certifying each other); walking stops there without a map.
	const maxDepth = 64
	for a, depth := s.parent(), 0; a != nil && a != s && depth < maxDepth; a, depth = a.parent(), depth+1 {
		if !fn(a) || a.isAnchor() {
			return
		}
	}
}

// rootsOf returns the anchors s chains to, avoiding paths through link
// certificates when there is another way up.
func (f *finisher) rootsOf(s *state) []*state {
	if s.rootsDone {
		return s.roots
	}
	if s.visiting {
		return nil
	}
	s.visiting = true
	var out []*state
	if s.isAnchor() {
		out = []*state{s}
	} else {
		ps := s.parents
		if nonLink := slices.DeleteFunc(slices.Clone(ps), (*state).isLink); len(nonLink) > 0 {
			ps = nonLink
		}
		for _, p := range ps {
			for _, r := range f.rootsOf(p) {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	s.visiting = false
	s.roots, s.rootsDone = out, true
	return out
}

// check runs the chain checks.
func (f *finisher) check() {
	live := f.live()
	for _, s := range live {
		if s.n.trusted {
			continue
		}
		f.checkOne(s)
	}
	for _, s := range live {
		f.checkPath(s) // after the checks whose findings explain it
	}
	f.checkKeyReuse(live)
	f.checkDevIDs(live)
	f.checkLinks(live)                                   // link.go
	f.checkMatter(live)                                  // matter.go
	f.checkBACnet(live)                                  // bacnet.go
	f.checkCRLSign(f.b.spill.withCRLCandidates(f, live)) // crlsign.go
}

// checkOne runs the checks of the certificate s alone and its paths.
func (f *finisher) checkOne(s *state) {
	f.checkIssuer(s)
	f.checkRoots(s)
	f.checkPathLen(s)
	f.checkNameConstraints(s)
	f.checkValidity(s)
	f.checkAlgorithms(s)
	f.checkExpiry(s)
	f.checkUnknownCritical(s)
	f.checkDepth(s)
}

func (f *finisher) checkIssuer(s *state) {
	n := s.n
	if s.selfSigned {
		if len(n.aki) > 0 && len(n.ski) > 0 && !bytes.Equal(n.aki, n.ski) {
			f.add(s, AKIMismatch, "self-signed certificate: authorityKeyIdentifier %X differs from its own subjectKeyIdentifier %X", n.aki, n.ski)
		}
		return
	}
	p := s.parent()
	if p == nil {
		if len(s.named) > 0 {
			f.add(s, SignatureInvalid, "the signature (%s) does not verify with the key of its issuer %s", n.sigAlg, describeAll(s.named))
			return
		}
		hint := ""
		if c := f.withSKI(n.aki, s); c != nil {
			hint = fmt.Sprintf("; %s has the subjectKeyIdentifier of its authorityKeyIdentifier but another subject", describe(c))
		}
		if f.hasRoot || len(f.b.anchors) > 0 {
			f.add(s, OrphanError, "issuer %q is neither in the input nor in a trust store%s", n.issuerName(), hint)
		} else {
			f.add(s, OrphanNotice, "issuer %q is not in the input: judged by its profile alone%s", n.issuerName(), hint)
		}
		return
	}
	if len(n.aki) == 0 || len(p.n.ski) == 0 {
		return // the certificate lints judge missing identifiers
	}
	for _, q := range s.parents {
		if akiMatches(s, q) {
			return
		}
	}
	name := AKIMismatch
	switch {
	case s.role == role.Subordinate.String():
		name = SubAKIMatchesIssuer
	case !n.isCA:
		name = EEAKIMatchesIssuer
	}
	f.add(s, name, "authorityKeyIdentifier %X differs from the subjectKeyIdentifier %X of its issuer %s", n.aki, p.n.ski, describe(p))
}

// withSKI returns the first certificate of the input or trust store,
// other than s, whose subjectKeyIdentifier is ski, or nil (or when ski is
// empty). The certificates are indexed by subjectKeyIdentifier on the
// first call, so that many orphans naming one missing issuer cost one pass
// over the bundle, not one each.
func (f *finisher) withSKI(ski []byte, s *state) *state {
	if len(ski) == 0 {
		return nil
	}
	if f.bySKI == nil {
		// The first two certificates of each identifier: the first one
		// other than s is among them.
		f.bySKI = map[string][2]*state{}
		for _, c := range f.all {
			f.skiScans++
			if len(c.n.ski) == 0 {
				continue
			}
			e := f.bySKI[string(c.n.ski)]
			switch {
			case e[0] == nil:
				e[0] = c
			case e[1] == nil:
				e[1] = c
			}
			f.bySKI[string(c.n.ski)] = e
		}
	}
	for _, c := range f.bySKI[string(ski)] {
		f.skiScans++
		if c != nil && c != s {
			return c
		}
	}
	return nil
}

func (f *finisher) checkRoots(s *state) {
	if s.isAnchor() || s.isLink() {
		return
	}
	roots := f.rootsOf(s)
	keys := map[string]bool{}
	var names []*state
	for _, r := range roots {
		if !keys[string(r.n.spki)] {
			keys[string(r.n.spki)] = true
			names = append(names, r)
		}
	}
	if len(names) > 1 {
		f.add(s, MultipleRoots, "chains to %d roots: %s", len(names), describeAll(names))
	}
}

// checkPathLen applies the pathLenConstraints above s to the path down
// to it (RFC 5280 §6.1.4 (l)(m)): the non-self-issued intermediate CA
// certificates between a CA and s must be no more than the CA's
// pathLenConstraint. s itself is not counted: a pathLenConstraint limits
// the certificates below a CA that issue, never the last one of a path.
func (f *finisher) checkPathLen(s *state) {
	if s.selfSigned {
		return
	}
	k := 0
	s.ancestors(func(a *state) bool {
		if a.n.maxPathLen >= 0 && k > a.n.maxPathLen {
			f.add(s, PathLenExceeded, "%d non-self-issued intermediate CA certificate(s) between it and %s, whose pathLenConstraint is %d", k, describe(a), a.n.maxPathLen)
			return false
		}
		if a.n.subject != a.n.issuer {
			k++
		}
		return true
	})
}

func (f *finisher) checkNameConstraints(s *state) {
	if s.selfSigned || (s.n.isCA && s.n.subject == s.n.issuer) {
		return
	}
	s.ancestors(func(a *state) bool {
		if a.n.nc == nil {
			return true
		}
		if why := a.n.nc.violation(s.n); why != "" {
			f.add(s, NameConstraints, "%s, under the nameConstraints of %s", why, describe(a))
			return false
		}
		return true
	})
}

func (f *finisher) checkValidity(s *state) {
	p := s.parent()
	if p == nil || s.isLink() {
		return // link certificates: checkLinks (link.go)
	}
	n := s.n
	if n.notBefore < p.n.notBefore {
		f.add(s, ValidityOutsideIssuer, "notBefore %s is before its issuer's notBefore %s (%s)", day(n.notBefore), day(p.n.notBefore), describe(p))
	}
	if n.noExpiry {
		if !p.n.noExpiry && (s.n.role == role.IDevID || (s.n.role == role.EndEntity && !n.tlsEKU)) {
			f.add(s, IDevIDNoExpiryChain, "notAfter 99991231235959Z under %s, which expires %s", describe(p), day(p.n.notAfter))
		}
		return
	}
	if n.notAfter > p.n.notAfter {
		f.add(s, ValidityOutsideIssuer, "notAfter %s is after its issuer's notAfter %s (%s)", day(n.notAfter), day(p.n.notAfter), describe(p))
	}
}

func (f *finisher) checkAlgorithms(s *state) {
	p := s.parent()
	if p == nil {
		return
	}
	rfc7925 := appliesToProfiles(rfc7925Profiles, f.b.opts.Profiles)
	if why := algorithmProblem(p.n.keyKind, s.n.sigAlg, rfc7925); why != "" {
		f.add(s, AlgorithmInconsistent, "signed with %s by the %s key of %s: %s", s.n.sigAlg, p.n.keyKind, describe(p), why)
	}
	if s.n.sigAlg != p.n.sigAlg && !p.n.trusted {
		f.add(s, DevIDSameSigAlgChain, "signed with %s; its issuer %s is signed with %s", s.n.sigAlg, describe(p), p.n.sigAlg)
	}
}

func (f *finisher) checkExpiry(s *state) {
	now := f.b.now.Unix()
	if s.n.notBefore > now {
		f.add(s, NotYetValid, "not valid before %s (judged at %s)", day(s.n.notBefore), day(now))
	}
	if s.n.noExpiry {
		return
	}
	switch {
	case s.n.notAfter < now:
		f.add(s, Expired, "expired on %s (judged at %s)", day(s.n.notAfter), day(now))
	case f.b.opts.CheckExpiry && s.n.notAfter <= now+int64(f.b.opts.ExpiryHorizon/time.Second):
		f.add(s, Expiring, "expires on %s, within the horizon of %s", day(s.n.notAfter), duration.Format(f.b.opts.ExpiryHorizon))
	}
}

func (f *finisher) checkDepth(s *state) {
	if s.n.isCA {
		return
	}
	depth := 1
	s.ancestors(func(a *state) bool {
		if !a.isAnchor() {
			depth++
		}
		return true
	})
	if depth > 3 {
		f.add(s, RFC7925ChainDepth, "its chain holds %d certificates not counting the trust anchor", depth)
	}
}

func (f *finisher) checkKeyReuse(live []*state) {
	first := map[string]*state{}
	for _, s := range live {
		if len(s.n.spki) == 0 {
			continue
		}
		k := string(s.n.spki)
		o, ok := first[k]
		if !ok {
			first[k] = s
			continue
		}
		if o.n.subject != s.n.subject || o.n.isCA != s.n.isCA {
			f.add(s, KeyReuse, "same public key as %s", describe(o))
		}
	}
}

// devKind classifies an end entity as an IDevID ('I') or LDevID ('L'):
// by content first (notAfter 99991231235959Z without a TLS
// extendedKeyUsage is an IDevID; a TLS extendedKeyUsage an LDevID), since
// a profile gives every end entity the same kind, then by role.
func devKind(n *Node) byte {
	switch {
	case n.isCA:
		return 0
	case n.noExpiry && !n.tlsEKU:
		return 'I'
	case n.tlsEKU:
		return 'L'
	case n.role == role.IDevID:
		return 'I'
	case n.role == role.LDevID:
		return 'L'
	}
	return 0
}

func (f *finisher) checkDevIDs(live []*state) {
	idevids := map[string]*state{}
	for _, s := range live {
		if devKind(s.n) == 'I' && s.n.subjectSN != "" {
			if _, ok := idevids[s.n.subjectSN]; !ok {
				idevids[s.n.subjectSN] = s
			}
		}
	}
	for _, s := range live {
		if devKind(s.n) != 'L' || s.n.subjectSN == "" {
			continue
		}
		if i, ok := idevids[s.n.subjectSN]; ok && i.n.subject != s.n.subject {
			f.add(s, DevIDLDevIDSubjectMatch, "subject %q differs from the subject %q of the IDevID of the same device (serialNumber %s), %s", s.n.display, i.n.display, s.n.subjectSN, describe(i))
		}
	}
}

// issuerName returns n's issuer DN for messages.
func (n *Node) issuerName() string {
	if name, err := dnString(n.issuer); err == nil {
		return name
	}
	return fmt.Sprintf("%X", n.issuer)
}

// describe names a certificate in a message: subject and origin.
func describe(s *state) string {
	if s.n.trusted {
		return fmt.Sprintf("%q (trust store %s)", s.n.display, s.n.origin)
	}
	return fmt.Sprintf("%q (%s)", s.n.display, s.n.origin)
}

func describeAll(ss []*state) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = describe(s)
	}
	return strings.Join(parts, ", ")
}

func day(unix int64) string {
	return time.Unix(unix, 0).UTC().Format("2006-01-02 15:04:05Z")
}
