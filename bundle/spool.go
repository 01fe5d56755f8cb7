package bundle

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"os"
	"sync"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// Spooled is the outcome of Spool: the chain graph, and the results (and
// end entities' records) kept in temporary files until they are replayed
// by Results. Close removes the files.
type Spooled struct {
	// Graph is the chain graph of the certificates kept in memory; the
	// Worst level of each node is set as Results replays the
	// certificate's result, and the end entities the text diagram draws
	// are added when Results has replayed the last result.
	Graph *Graph

	n     int
	file  *os.File
	f     *finisher
	spill *spill
}

// Spool is Run for bundles of any size: it lints every certificate of
// items with p on all workers, as Run does, but writes each result to a
// temporary file (in Options.TempDir, or os.TempDir) as soon as it is
// known, in input order, instead of keeping it in memory while the chains
// are built, and the chain-building records (Nodes) of end entities to a
// second one (spill.go). Memory then holds the Nodes of the CAs, a few
// hashes per end entity until every certificate is in, and no results.
// Results replays them with the chain findings added: the same results,
// in the same order, as Run returns. The files are made with mode 0600
// and their names removed at once where the system allows it, so that an
// interrupted run leaves nothing behind; they take a few hundred bytes per
// certificate, and its findings.
//
// The Graph of a Spooled run holds the certificates kept in memory; the
// end entities the text diagram draws are added as Results replays them
// (see GraphNode.HiddenLeaves). The caller must call Close, which removes
// the files.
func Spool(p *profile.Profile, items iter.Seq[certio.Item], trust iter.Seq[certio.Item], opts Options) (*Spooled, error) {
	b, err := newBundle(p, trust, opts)
	if err != nil {
		return nil, err
	}
	nodes, err := newNodeSpool(opts.TempDir)
	if err != nil {
		return nil, err
	}
	b.spill = newSpill(nodes)
	f, err := createTemp(opts.TempDir, "iotcert-results-*.bin")
	if err != nil {
		nodes.close()
		return nil, fmt.Errorf("spooling results: %w", err)
	}
	s := &Spooled{file: f, spill: b.spill}
	w := bufio.NewWriterSize(f, 1<<16)
	var rec, length []byte
	err = b.lintEach(p, items, func(res profile.Result) error {
		s.n++
		// Each record is its length (a uvarint) and appendResult's bytes.
		rec = appendResult(rec[:0], &res)
		length = binary.AppendUvarint(length[:0], uint64(len(rec)))
		if _, err := w.Write(length); err != nil {
			return err
		}
		_, err := w.Write(rec)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("spooling results to %s: %w", f.Name(), err)
	}
	if b.spill.err != nil {
		s.Close()
		return nil, b.spill.err
	}
	fin, inputs := b.finish()
	if b.spill.err != nil {
		s.Close()
		return nil, b.spill.err
	}
	s.f, s.Graph = fin, fin.graph(inputs)
	return s, nil
}

// replayBatch is how many results Results reads ahead, so that the
// signatures of the spilled end entities among them are checked on all
// workers.
const replayBatch = 512

// Len returns the number of results.
func (s *Spooled) Len() int { return s.n }

// Results yields the results in input order, each with its chain findings
// (see Graph.Apply), and sets the Worst level of the graph's nodes. A
// read error of the spool file is yielded once, and ends the sequence.
// Results can be ranged over once.
func (s *Spooled) Results() iter.Seq2[profile.Result, error] {
	return func(yield func(profile.Result, error) bool) {
		size, err := s.file.Seek(0, io.SeekEnd)
		if err == nil {
			_, err = s.file.Seek(0, io.SeekStart)
		}
		if err != nil {
			yield(profile.Result{}, fmt.Errorf("reading spooled results: %w", err))
			return
		}
		br := bufio.NewReaderSize(s.file, readBufferSize(size))
		var rec []byte
		a := s.Graph.applier()
		next := s.spill.nodes.scan()
		results := make([]profile.Result, 0, min(replayBatch, s.n))
		var states []*state // of the spilled end entities, by position in results
		for start := 0; start < s.n; start += replayBatch {
			results, states = results[:0], states[:0]
			for i := start; i < min(start+replayBatch, s.n); i++ {
				res, err := readResult(br, &rec, size)
				if err != nil {
					yield(profile.Result{}, fmt.Errorf("reading spooled result %d of %s: %w", i, s.file.Name(), err))
					return
				}
				results = append(results, res)
				var st *state
				if s.spill.isSpilled(i) {
					n, err := nextSpilled(next, s.spill, i)
					if err != nil {
						yield(profile.Result{}, err)
						return
					}
					st = &state{n: n, role: n.role.String()}
				}
				states = append(states, st)
			}
			s.link(states)
			for k := range results {
				i := start + k
				if st := states[k]; st != nil {
					chain, gn := s.f.judgeSpilled(st)
					s.Graph.applyTo(&results[k], &gn, chain)
					s.Graph.keepLeaf(gn)
				} else {
					a.apply(i, &results[k])
				}
				if !yield(results[k], nil) {
					return
				}
			}
		}
		s.Graph.finishLeaves()
	}
}

// nextSpilled returns the Node of result i from the node spool, skipping
// the records of the Nodes that promote read back into memory.
func nextSpilled(next func() (*Node, error), sp *spill, i int) (*Node, error) {
	for {
		n, err := next()
		if err != nil {
			return nil, fmt.Errorf("reading the Node of result %d: %w", i, err)
		}
		if n.index == i {
			return n, nil
		}
		if n.index > i || sp.isSpilled(n.index) {
			return nil, fmt.Errorf("reading the Node of result %d: the node spool holds result %d", i, n.index)
		}
	}
}

// link finds the issuers of the spilled end entities (the states not nil)
// on all workers.
func (s *Spooled) link(states []*state) {
	work := make(chan *state)
	var wg sync.WaitGroup
	for range s.f.b.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for st := range work {
				s.f.linkState(st)
			}
		}()
	}
	for _, st := range states {
		if st != nil {
			work <- st
		}
	}
	close(work)
	wg.Wait()
}

// Close removes the spool file.
func (s *Spooled) Close() error {
	var err error
	if s.spill != nil {
		err = s.spill.nodes.close()
		s.spill = nil
	}
	if s.file != nil {
		if cerr := closeTemp(s.file); err == nil {
			err = cerr
		}
		s.file = nil
	}
	return err
}

// readResult reads the next record of the result spool (size bytes in
// all) from br into *buf and decodes it.
func readResult(br *bufio.Reader, buf *[]byte, size int64) (profile.Result, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return profile.Result{}, err
	}
	if n > uint64(size) {
		return profile.Result{}, errResultRecord
	}
	if uint64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	*buf = (*buf)[:n]
	if _, err := io.ReadFull(br, *buf); err != nil {
		return profile.Result{}, err
	}
	return decodeResult(*buf)
}
