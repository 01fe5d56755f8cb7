package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"iter"
	"sync"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certparse"
	"github.com/iotcert/iotcert/profile"
)

// Run lints every certificate of items with p, on opts.Workers goroutines,
// builds the chains over them and the trust anchors, and returns one
// result per item, in input order, with the chain findings added (see
// Graph.Apply), and the graph.
//
// Items flow through a bounded queue: at most a few DER certificates per
// worker are held at a time; what stays is each certificate's Result and
// Node. trust holds the trust anchors (not reported; linted only for what
// makes an anchor malformed); an
// item of trust that is not a certificate is an error.
func Run(p *profile.Profile, items iter.Seq[certio.Item], trust iter.Seq[certio.Item], opts Options) ([]profile.Result, *Graph, error) {
	b, err := newBundle(p, trust, opts)
	if err != nil {
		return nil, nil, err
	}
	results := b.Lint(p, items)
	g := b.Finish()
	g.Apply(results)
	return results, g, nil
}

// newBundle returns a bundle with the trust anchors of trust added. Each
// anchor is linted with p for what makes it malformed (see
// Bundle.AddTrustedResult).
func newBundle(p *profile.Profile, trust iter.Seq[certio.Item], opts Options) (*Bundle, error) {
	if opts.SizeBudget == nil {
		opts.SizeBudget = p.SizeBudget
	}
	b, err := New(opts)
	if err != nil {
		return nil, err
	}
	p = p.WithClock(b.at)
	if trust != nil {
		for it := range trust {
			if it.Err != nil {
				return nil, fmt.Errorf("trust store: %w", it.Err)
			}
			c, err := certio.Parse(it.DER)
			if err != nil {
				return nil, fmt.Errorf("trust store: %w", &certio.InputError{Origin: it.Origin, Msg: "not a valid X.509 certificate: " + certparse.DescribeError(err)})
			}
			n := NewNode(c)
			b.measure(n, it.DER)
			res := p.Lint(c)
			sum := sha256.Sum256(it.DER)
			n.sha256 = sum
			b.AddTrustedResult(n, it.Origin, res)
		}
	}
	return b, nil
}

// Lint lints every certificate of items with p on the bundle's workers,
// at the bundle's time (Options.Clock), and adds each, in input order, to b. It returns the results in input
// order (without chain findings: call Finish and Graph.Apply).
func (b *Bundle) Lint(p *profile.Profile, items iter.Seq[certio.Item]) []profile.Result {
	var results []profile.Result
	b.lintEach(p, items, func(res profile.Result) error {
		results = append(results, res)
		return nil
	})
	return results
}

// lintEach lints every certificate of items with p on the bundle's
// workers, at the bundle's time (Options.Clock), adds each, in input order,
// to b and passes its result to fn. It stops at the first error of fn and
// returns it.
func (b *Bundle) lintEach(p *profile.Profile, items iter.Seq[certio.Item], fn func(profile.Result) error) error {
	p = p.WithClock(b.at)
	type job struct {
		seq int
		it  certio.Item
	}
	type done struct {
		seq  int
		res  profile.Result
		node *Node
	}
	matterAlt := appliesToProfiles(matterProfiles, b.opts.Profiles)
	workers := b.opts.Workers
	jobs := make(chan job, 2*workers)
	out := make(chan done, 2*workers)
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		seq := 0
		for it := range items {
			select {
			case jobs <- job{seq, it}:
			case <-stop:
				return
			}
			seq++
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res, n := lintItem(b.profileFor(p, j.it), j.it, matterAlt)
				if n != nil {
					b.measure(n, j.it.DER)
				}
				out <- done{j.seq, res, n}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var err error
	n := 0
	pending := map[int]done{}
	for d := range out {
		if err != nil {
			continue // drain the workers
		}
		pending[d.seq] = d
		for {
			next, ok := pending[n]
			if !ok {
				break
			}
			delete(pending, n)
			n++
			b.Add(&next.res, next.node)
			if err = fn(next.res); err != nil {
				close(stop)
				break
			}
		}
	}
	if err == nil {
		close(stop)
	}
	return err
}

// LintItem lints one item with p, as p.LintItem does, and also returns the
// chain-building node of the certificate (nil when the item is not a
// certificate). The certificate is parsed once for both.
func LintItem(p *profile.Profile, it certio.Item) (profile.Result, *Node) {
	return lintItem(p, it, false)
}

// lintItem is LintItem; with matterAlt it also lints a certificate that is
// not self-signed in the other of the subordinate and end-entity roles,
// for the Matter role by position (matter.go).
func lintItem(p *profile.Profile, it certio.Item, matterAlt bool) (profile.Result, *Node) {
	if it.Err != nil {
		return p.LintItem(it), nil
	}
	c, defects, err := certio.ParseDefects(it.DER)
	if err != nil {
		return p.LintItem(it), nil
	}
	res := p.Lint(c)
	n := NewNode(c)
	if matterAlt {
		n.matterAlt = otherRoleResult(p, c, res.Role)
	}
	for _, r := range []*profile.Result{&res, n.matterAlt} {
		if r == nil {
			continue
		}
		if len(defects) > 0 {
			r.Findings = append(profile.DefectFindings(defects), r.Findings...)
		}
		r.Origin = it.Origin
		sum := sha256.Sum256(it.DER)
		r.SHA256 = hex.EncodeToString(sum[:])
	}
	return res, n
}
