package bundle

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// Spooled is the outcome of Spool: the chain graph, and the results kept
// in a temporary file until they are replayed by Results. Close removes
// the file.
type Spooled struct {
	// Graph is the chain graph; the Worst level of each node is set as
	// Results replays the certificate's result.
	Graph *Graph

	n    int
	file *os.File
}

// spooled is one result in the spool file. Empty tells an empty
// Findings slice from a nil one, which gob does not.
type spooled struct {
	Result profile.Result
	Empty  bool
}

// Spool is Run for bundles of any size: it lints every certificate of
// items with p on all workers, as Run does, but writes each result to a
// temporary file (in os.TempDir) as soon as it is known, in input order,
// instead of keeping it in memory while the chains are built. Memory then
// holds one compact Node per certificate and no results, so that it no
// longer grows with the number of findings. Results replays them with the
// chain findings added: the same results, in the same order, as Run
// returns.
//
// The caller must call Close, which removes the file.
func Spool(p *profile.Profile, items iter.Seq[certio.Item], trust iter.Seq[certio.Item], opts Options) (*Spooled, error) {
	b, err := newBundle(p, trust, opts)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "iotcert-results-*.gob")
	if err != nil {
		return nil, fmt.Errorf("spooling results: %w", err)
	}
	s := &Spooled{file: f}
	w := bufio.NewWriterSize(f, 1<<16)
	enc := gob.NewEncoder(w)
	err = b.lintEach(p, items, func(res profile.Result) error {
		s.n++
		return enc.Encode(spooled{res, res.Findings != nil && len(res.Findings) == 0})
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("spooling results to %s: %w", f.Name(), err)
	}
	s.Graph = b.Finish()
	return s, nil
}

// Len returns the number of results.
func (s *Spooled) Len() int { return s.n }

// Results yields the results in input order, each with its chain findings
// (see Graph.Apply), and sets the Worst level of the graph's nodes. A
// read error of the spool file is yielded once, and ends the sequence.
// Results can be ranged over once.
func (s *Spooled) Results() iter.Seq2[profile.Result, error] {
	return func(yield func(profile.Result, error) bool) {
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			yield(profile.Result{}, fmt.Errorf("reading spooled results: %w", err))
			return
		}
		dec := gob.NewDecoder(bufio.NewReaderSize(s.file, 1<<16))
		a := s.Graph.applier()
		for i := range s.n {
			var sp spooled
			if err := dec.Decode(&sp); err != nil {
				yield(profile.Result{}, fmt.Errorf("reading spooled result %d of %s: %w", i, s.file.Name(), err))
				return
			}
			if sp.Empty {
				sp.Result.Findings = []profile.Finding{}
			}
			a.apply(i, &sp.Result)
			if !yield(sp.Result, nil) {
				return
			}
		}
	}
}

// Close removes the spool file.
func (s *Spooled) Close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	err := s.file.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	s.file = nil
	return err
}
