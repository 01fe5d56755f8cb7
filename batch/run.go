package batch

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// A batch run issues the pending devices of Issue in three stages,
// each in goroutines of its own, joined by channels:
//
//  1. workers take the next row, make its key and certificate (linted,
//     signed): CPU work (issueAll);
//  2. stagers write what the layout publishes of a device (store.Batch's
//     Stage: files in a temporary directory, mostly waiting on the file
//     system, so there are more stagers than workers); in the jsonl
//     layout the workers stage, since it is only encoding (stageAll);
//  3. one committer takes the outcomes in groups, publishes a group
//     durably (store.Batch's Publish) and only then appends its journal
//     lines, so that a line never names a device that is not published
//     (commitAll, commit).
//
// An error stops the workers and discards what is not published; a
// closed Options.Stop stops the workers and lets the committer
// publish what was issued.

// outcome is what a worker made of a row.
type outcome struct {
	row     Row
	device  string // the device profile
	dev     *ldevid.Issued
	staged  store.Staged // the device ready to publish
	refused *ldevid.RefusedError
	err     error
}

// errStopped marks an issued device that is not written because the
// batch is stopping.
var errStopped = errors.New("not published: the batch stopped")

// batchRun is one run of runBatch.
type batchRun struct {
	h       *ldevid.Hierarchy
	b       *store.Batch
	device  string
	pending []Row
	opts    Options
	sum     *Summary

	// stop: no more devices are issued (an error, or an interrupt);
	// failed: none of those issued is published.
	stop, failed, interrupted atomic.Bool
	next                      atomic.Int64 // the index of the next pending row
}

// runBatch issues pending with a pool of workers, stages and publishes
// them through b and journals them.
func runBatch(h *ldevid.Hierarchy, b *store.Batch, device string, pending []Row, opts Options, sum *Summary) error {
	r := &batchRun{h: h, b: b, device: device, pending: pending, opts: opts, sum: sum}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	finished := make(chan struct{})
	defer close(finished)
	if opts.Stop != nil {
		go r.watchStop(finished)
	}
	results := make(chan outcome, 4*maxGroup)
	stagers := b.Stagers(workers)
	toStage := results // no stagers: the workers stage
	if stagers > 0 {
		toStage = make(chan outcome, maxGroup)
	}
	var issuing, staging sync.WaitGroup
	for range workers {
		issuing.Go(func() { r.issueAll(toStage, results, stagers == 0) })
	}
	for range stagers {
		staging.Go(func() { r.stageAll(toStage, results) })
	}
	go func() {
		issuing.Wait()
		if stagers > 0 {
			close(toStage)
			staging.Wait()
		}
		close(results)
	}()
	return r.commitAll(results)
}

// watchStop marks the run interrupted and stops the workers when
// opts.Stop is closed before finished is.
func (r *batchRun) watchStop(finished <-chan struct{}) {
	select {
	case <-r.opts.Stop:
		r.interrupted.Store(true)
		r.stop.Store(true)
	case <-finished:
	}
}

// issueAll is a worker: it issues the next pending row until there is
// none or the run stops. An issued device goes to toStage, or is staged
// here with stageHere; a refusal or an error goes to results.
func (r *batchRun) issueAll(toStage, results chan<- outcome, stageHere bool) {
	for i := r.next.Add(1) - 1; i < int64(len(r.pending)) && !r.stop.Load(); i = r.next.Add(1) - 1 {
		o := issue(r.h, r.device, r.pending[i], r.opts.FailOn)
		switch {
		case o.dev == nil:
			results <- o
		case stageHere:
			r.stageOne(&o)
			results <- o
		default:
			toStage <- o
		}
	}
}

// stageAll is a stager: it stages the issued devices of toStage, unless
// the run failed, and passes them on to results.
func (r *batchRun) stageAll(toStage <-chan outcome, results chan<- outcome) {
	for o := range toStage {
		if r.failed.Load() {
			o.err = errStopped
		} else {
			r.stageOne(&o)
		}
		results <- o
	}
}

// stageOne stages the device of o and drops its key from memory: the
// staged files or record hold it now.
func (r *batchRun) stageOne(o *outcome) {
	o.staged, o.err = r.b.Stage(o.dev.Stored())
	o.staged.Replace = o.row.replaces != ""
	o.dev = o.dev.WithoutKey()
}

// commitAll is the committer: it takes the outcomes of results in
// groups and commits each, until results is closed. After an error it
// discards the rest.
func (r *batchRun) commitAll(results <-chan outcome) error {
	var firstErr error
	done := 0
	if r.opts.Progress != nil {
		r.opts.Progress(0, len(r.pending))
	}
	group := make([]outcome, 0, maxGroup)
	wait := time.NewTimer(time.Hour)
	wait.Stop()
	for o := range results {
		var deadline <-chan time.Time // nil: take what is ready
		if d := r.b.GroupWait(); d > 0 && firstErr == nil {
			wait.Reset(d)
			deadline = wait.C
		}
		group = collect(append(group[:0], o), results, deadline)
		wait.Stop()
		if firstErr != nil {
			r.b.Discard(stagedOf(group))
			continue
		}
		n, err := r.commit(group)
		done += n
		if err != nil {
			firstErr = err
			r.failed.Store(true)
			r.stop.Store(true)
			continue
		}
		if r.opts.Progress != nil {
			r.opts.Progress(done, len(r.pending))
		}
	}
	if firstErr == nil && r.interrupted.Load() && done < len(r.pending) {
		return ErrInterrupted
	}
	return firstErr
}

// collect adds to group the outcomes of results until it has maxGroup,
// results is closed, or: with a nil deadline, none is ready; else the
// deadline passes.
func collect(group []outcome, results <-chan outcome, deadline <-chan time.Time) []outcome {
	for len(group) < maxGroup {
		var o outcome
		var ok bool
		if deadline == nil {
			select {
			case o, ok = <-results:
			default:
				return group
			}
		} else {
			select {
			case o, ok = <-results:
			case <-deadline:
				return group
			}
		}
		if !ok {
			return group
		}
		group = append(group, o)
	}
	return group
}

// stagedOf returns the staged devices of group.
func stagedOf(group []outcome) []store.Staged {
	var staged []store.Staged
	for _, o := range group {
		if o.dev != nil {
			staged = append(staged, o.staged)
		}
	}
	return staged
}

// commit publishes a group of outcomes and journals them; it returns how
// many it committed. An outcome with an error, or a device the layout
// could not publish, stops the batch after the outcomes before it are
// committed.
func (r *batchRun) commit(group []outcome) (int, error) {
	var firstErr error
	for i, o := range group {
		if o.err != nil {
			firstErr = fmt.Errorf("device %q: %w", o.row.id, o.err)
			r.b.Discard(stagedOf(group[i:]))
			group = group[:i]
			break
		}
	}
	// 1. The devices are published and durable ...
	published, stopped, err := r.b.Publish(stagedOf(group))
	if err != nil {
		return 0, err
	}
	if stopped != nil {
		firstErr = stopped
		group = group[:indexOfStaged(group, published)]
	}
	entries := make([]store.JournalEntry, 0, len(group))
	now := r.h.Now().UTC()
	for _, o := range group {
		entries = append(entries, entry(r.h, now, o.device, o, r.opts))
	}
	// 2. ... and only then are the journal lines written: a line never
	// names a device that is not published.
	if err := r.b.Journal(entries); err != nil {
		return 0, err
	}
	counted(group, r.opts, r.sum)
	return len(entries), firstErr
}

// indexOfStaged returns the index in group of its n-th issued device
// (counting from 0), or len(group).
func indexOfStaged(group []outcome, n int) int {
	for i, o := range group {
		if o.dev != nil {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return len(group)
}
