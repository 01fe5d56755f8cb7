package bundle

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The path verdict (RFC 5280 §6.1): for every certificate, whether a
// certification path from a trust anchor down to it exists that is valid
// at the evaluation time (Options.Clock). See docs/bundle.md, "The path
// verdict".

// maxIssuerPaths is how many valid paths are kept per CA certificate for
// the certificates below it: paths differ in the name constraints and
// pathLenConstraints they carry, so a certificate that one path's
// constraints refuse may still validate through another (an alternate
// chain, a cross certificate).
const maxIssuerPaths = 4

// pathRec is a valid certification path from a trust anchor down to a CA
// certificate, usable to issue further certificates.
type pathRec struct {
	s  *state   // the last certificate of the path
	up *pathRec // the path down to s's issuer; nil when s is the anchor
	// remaining is how many more non-self-issued intermediate
	// certificates the pathLenConstraints of the path allow below s
	// (RFC 5280 §6.1.4 (l)(m)).
	remaining int
	// nc is the nearest path (s's or above) whose last certificate has
	// name constraints, or nil.
	nc *pathRec
}

// contains reports whether s is on the path.
func (r *pathRec) contains(s *state) bool {
	for ; r != nil; r = r.up {
		if r.s == s {
			return true
		}
	}
	return false
}

// ncViolation returns why n's names break the name constraints along the
// path, or "".
func (r *pathRec) ncViolation(n *Node) string {
	for c := r.nc; c != nil; c = c.up.ncOf() {
		if why := c.s.n.nc.violation(n); why != "" {
			return fmt.Sprintf("%s, under the nameConstraints of %s", why, describe(c.s))
		}
	}
	return ""
}

func (r *pathRec) ncOf() *pathRec {
	if r == nil {
		return nil
	}
	return r.nc
}

// extend returns the path r extended by the CA certificate s, or why s
// cannot follow r as an intermediate certificate.
func (r *pathRec) extend(s *state) (*pathRec, string) {
	selfIssued := s.n.subject == s.n.issuer
	if !selfIssued {
		if r.remaining <= 0 {
			return nil, fmt.Sprintf("the pathLenConstraint of a CA above it is exhausted at %s (%s)", describe(r.s), pathLenOrigin(r))
		}
		if why := r.ncViolation(s.n); why != "" {
			return nil, why
		}
	}
	next := &pathRec{s: s, up: r, remaining: r.remaining, nc: r.nc}
	if !selfIssued {
		next.remaining--
	}
	if s.n.maxPathLen >= 0 && s.n.maxPathLen < next.remaining {
		next.remaining = s.n.maxPathLen
	}
	if s.n.nc != nil {
		next.nc = next
	}
	return next, ""
}

// pathLenOrigin names the certificate whose pathLenConstraint limits r.
func pathLenOrigin(r *pathRec) string {
	for c := r; c != nil; c = c.up {
		if c.s.n.maxPathLen >= 0 {
			return fmt.Sprintf("pathLenConstraint %d of %s", c.s.n.maxPathLen, describe(c.s))
		}
	}
	return "no pathLenConstraint"
}

// verdict is the outcome of path validation for one certificate.
type pathVerdict struct {
	path   *pathRec // the issuer's path the certificate validates through; nil for an anchor
	reason string   // why no path validates
	done   bool
	valid  bool
	// own is true when the reason is the certificate itself (its own
	// validity, critical extensions, signature or missing issuer), which
	// the specific checks report.
	own bool
}

// anchorProblem says why the trust anchor s cannot start a path at the
// evaluation time, or "" (see docs/bundle.md, "Trust anchors").
func (f *finisher) anchorProblem(s *state) string {
	if why := f.anchorDefect(s); why != "" {
		return fmt.Sprintf("the trust anchor %s: %s", describe(s), why)
	}
	return ""
}

// anchorDefect is what makes the trust anchor s unusable, or "".
func (f *finisher) anchorDefect(s *state) string {
	n := s.n
	if why := f.ownProblem(s); why != "" {
		return why
	}
	switch {
	case !n.cA:
		return "it is not a CA certificate (no basicConstraints with cA true)"
	case n.hasKU && !n.kuCertSign:
		return "it has a keyUsage without keyCertSign"
	case n.malformed != "":
		return "it is malformed: " + n.malformed
	case n.nc != nil && n.nc.malformed != "":
		return n.nc.malformed
	case s.selfSigned && len(n.aki) > 0 && len(n.ski) > 0 && !bytes.Equal(n.aki, n.ski):
		return fmt.Sprintf("it is malformed: self-signed, its authorityKeyIdentifier %X differs from its subjectKeyIdentifier %X (RFC 5280 §4.2.1.1; e_chain_aki_mismatch on a root of the input)", n.aki, n.ski)
	}
	return ""
}

// ownProblem says why no path through the certificate s validates
// whatever its issuers: its validity at the evaluation time or an
// unknown critical extension; "" when there is none.
func (f *finisher) ownProblem(s *state) string {
	n, now := s.n, f.b.now.Unix()
	switch {
	case n.notAfter < now && !n.noExpiry:
		return fmt.Sprintf("it expired on %s", day(n.notAfter))
	case n.notBefore > now:
		return fmt.Sprintf("it is not valid before %s", day(n.notBefore))
	case len(n.unknownCritical) > 0:
		return fmt.Sprintf("it has the unknown critical extension %s", n.unknownCritical[0])
	}
	return ""
}

// caProblem says why s cannot issue certificates on a path (RFC 5280
// §6.1.4 (k)(n)), or "".
func caProblem(s *state) string {
	switch {
	case !s.n.cA:
		return fmt.Sprintf("its issuer %s is not a CA certificate (no basicConstraints with cA true)", describe(s))
	case s.n.hasKU && !s.n.kuCertSign:
		return fmt.Sprintf("its issuer %s has a keyUsage without keyCertSign", describe(s))
	case s.n.nc != nil && s.n.nc.malformed != "":
		return fmt.Sprintf("its issuer %s: %s", describe(s), s.n.nc.malformed)
	}
	return ""
}

// issuerPaths returns up to maxIssuerPaths valid paths from a trust
// anchor down to the CA certificate s, for certificates issued by s, and
// why there is none.
//
// Results are memoised per CA. A CA met again while its own paths are
// being computed closes a loop, which gives no path. A CA whose paths are
// computed while another CA is on the stack does not get the paths that
// run through that other CA: in the rare graph where only such a path is
// valid (cross certificates in a cycle, with the anchor reached only
// through the CA visited first), the verdict can miss it.
func (f *finisher) issuerPaths(s *state) ([]*pathRec, string) {
	if s.pathsDone {
		return s.paths, s.pathsWhy
	}
	if s.pathVisiting {
		return nil, fmt.Sprintf("its issuers form a loop through %s", describe(s))
	}
	s.pathVisiting = true
	s.paths, s.pathsWhy = f.computeIssuerPaths(s)
	s.pathVisiting = false
	s.pathsDone = true
	return s.paths, s.pathsWhy
}

func (f *finisher) computeIssuerPaths(s *state) ([]*pathRec, string) {
	if s.anchor {
		if why := f.anchorProblem(s); why != "" {
			return nil, why
		}
		rem := math.MaxInt
		if s.n.maxPathLen >= 0 {
			rem = s.n.maxPathLen
		}
		r := &pathRec{s: s, remaining: rem}
		if s.n.nc != nil {
			r.nc = r
		}
		return []*pathRec{r}, ""
	}
	if why := caProblem(s); why != "" {
		return nil, why
	}
	if why := f.ownProblem(s); why != "" {
		return nil, fmt.Sprintf("its issuer %s: %s", describe(s), why)
	}
	var out []*pathRec
	why := ""
	for _, p := range s.parents {
		rs, w := f.issuerPaths(p)
		if len(rs) == 0 && why == "" {
			why = w
		}
		for _, r := range rs {
			if r.contains(s) {
				if why == "" {
					why = fmt.Sprintf("its issuers form a loop through %s", describe(s))
				}
				continue
			}
			next, w := r.extend(s)
			if next == nil {
				if why == "" {
					why = w
				}
				continue
			}
			out = append(out, next)
			if len(out) == maxIssuerPaths {
				return out, ""
			}
		}
	}
	if len(out) == 0 && why == "" {
		why = f.noIssuerReason(s)
	}
	return out, why
}

// noIssuerReason says why a certificate without a valid path has no
// issuer to try.
func (f *finisher) noIssuerReason(s *state) string {
	switch {
	case s.selfSigned:
		return fmt.Sprintf("%s is a self-signed root that is not a trust anchor", describe(s))
	case len(s.named) > 0:
		return fmt.Sprintf("the signature of %s does not verify with the key of its issuer", describe(s))
	}
	return fmt.Sprintf("the issuer %q of %s is not in the input or trust store", s.n.issuerName(), describe(s))
}

// pathOf returns the path verdict of the certificate s.
func (f *finisher) pathOf(s *state) *pathVerdict {
	v := &s.verdict
	if v.done {
		return v
	}
	v.done = true
	if s.anchor {
		if why := f.anchorProblem(s); why != "" {
			v.reason, v.own = why, f.ownProblem(s) != ""
			return v
		}
		v.valid = true
		return v
	}
	if why := f.ownProblem(s); why != "" {
		v.reason, v.own = why, true
		return v
	}
	for _, p := range s.parents {
		rs, why := f.issuerPaths(p)
		if len(rs) == 0 && v.reason == "" {
			v.reason = why
		}
		for _, r := range rs {
			if r.contains(s) {
				continue
			}
			// A self-issued CA certificate is judged as the CA it is:
			// name constraints do not apply to it (RFC 5280 §6.1.3 (b)(c)
			// skip self-issued intermediates, as checkNameConstraints does).
			if !(s.n.isCA && s.n.subject == s.n.issuer) {
				if why := r.ncViolation(s.n); why != "" {
					if v.reason == "" {
						v.reason = why
					}
					continue
				}
			}
			v.valid, v.path, v.reason = true, r, ""
			return v
		}
	}
	if v.reason == "" {
		switch {
		case s.selfSigned:
			v.reason = "it is self-signed and not a trust anchor"
			if s.n.isCA {
				v.reason = "it is a self-signed root that is not a trust anchor"
			}
		case len(s.named) > 0:
			v.reason, v.own = "its signature does not verify with the key of its issuer", true
		default:
			v.reason, v.own = fmt.Sprintf("its issuer %q is not in the input or trust store", s.n.issuerName()), true
		}
	}
	return v
}

// judgePaths marks the trust anchors, finds the path verdict of every
// certificate and puts the issuer of the chosen path first among its
// issuers, so that the chain diagram and the chain checks follow it.
func (f *finisher) judgePaths() {
	live := f.live()
	trusted := len(f.b.anchors) > 0
	for _, s := range live {
		s.anchor = s.n.trusted || s.anchorCopy || (!trusted && s.selfSigned && s.n.isCA)
		if s.anchor {
			f.hasAnchor = true
		}
	}
	if !f.hasAnchor {
		return // no anchor: every certificate is judged by its profile alone
	}
	for _, s := range live {
		if s.n.trusted {
			continue
		}
		v := f.pathOf(s)
		if v.valid && v.path != nil {
			chosen := v.path.s
			if i := slices.Index(s.parents, chosen); i > 0 {
				copy(s.parents[1:i+1], s.parents[:i])
				s.parents[0] = chosen
			}
		}
	}
}

// checkPath reports a certificate without a valid path, unless a more
// specific error-level chain finding on it already says why.
func (f *finisher) checkPath(s *state) {
	if !f.hasAnchor || s.n.trusted {
		return
	}
	v := f.pathOf(s)
	if v.valid || s.explained {
		return
	}
	f.add(s, NoValidPath, "no certification path to a trust anchor validates at %s: %s", day(f.b.now.Unix()), v.reason)
}

// checkUnknownCritical reports critical extensions that this package does
// not process (RFC 5280 §4.2: a relying party must reject them).
func (f *finisher) checkUnknownCritical(s *state) {
	if len(s.n.unknownCritical) > 0 {
		f.add(s, UnknownCritical, "critical extension(s) %s not recognised: no path through this certificate validates", strings.Join(s.n.unknownCritical, ", "))
	}
}
