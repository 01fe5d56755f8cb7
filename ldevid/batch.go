package ldevid

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotcert/iotcert/internal/safefile"
)

// BatchOptions configure IssueBatch.
type BatchOptions struct {
	// Source names the devices CSV in errors ("devices.csv: line 7: ...").
	Source string
	// Workers is how many devices are issued at once; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called with the number of devices this run
	// has committed (issued or refused) and the number it has to do: once
	// before the first, then after each group of commits. It is called
	// from one goroutine.
	Progress func(done, total int)
	// Refused, when set, is called for each device the pre-issuance gate
	// refuses, after its journal line is written, from one goroutine.
	Refused func(row Row, err *RefusedError)
	// Layout is how devices are published: LayoutDirs (the default, also
	// for "") or LayoutJSONL.
	Layout Layout
	// Stop, when closed, interrupts the batch (Ctrl-C): no device is
	// issued after it, the devices already signed are published and
	// journaled, no temporary directory is left, and IssueBatch returns
	// ErrInterrupted with the summary. The same batch run again finishes
	// the job.
	Stop <-chan struct{}
}

// ErrInterrupted is the error of a batch that BatchOptions.Stop stopped
// before it was done.
var ErrInterrupted = errors.New("interrupted")

// stopped reports whether ch is closed.
func stopped(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// BatchSummary counts what IssueBatch did.
type BatchSummary struct {
	// Devices is the number of rows.
	Devices int
	// Done is the number of devices published by earlier runs, which this
	// run left alone.
	Done int
	// Recovered is the number of those whose journal line an earlier run
	// did not write before it stopped; this run wrote it.
	Recovered int
	// Removed is the number of temporary directories of stopped runs that
	// this run removed.
	Removed int
	// Truncated is the number of torn records (a write a stopped run did
	// not finish) that this run removed from the end of devices.jsonl.
	Truncated int
	// Issued is the number of devices this run issued.
	Issued int
	// Refused is the number of devices this run's pre-issuance gate
	// refused.
	Refused int
}

// maxGroup bounds how many devices one commit makes durable at once.
const maxGroup = 256

// groupWait is how long the jsonl layout's committer waits for a group to
// fill before it commits the devices it has: its syncs cost more CPU
// than a group's write, so fewer, larger groups leave the CPUs to the
// workers.
var groupWait = 20 * time.Millisecond

// IssueBatch issues a certificate and a new key to every device of rows
// under the device profile called device, publishing each as
// opts.Layout says and recording it in out/journal.jsonl. Its CAs must be
// loaded. In the dirs layout each device is a directory out/devices/<id>/
// (key.pem or key.ref, cert.pem, chain.pem); in the jsonl layout it is a
// line of out/devices.jsonl (a DeviceRecord) and the CA chain is written
// once as out/devices.chain.pem.
//
// Every row is checked first (CheckRequest); a bad row stops the batch
// before anything is issued, with every bad row's line. A device with a
// directory or a record in devices.jsonl (in either layout) was issued
// by an earlier run and is left alone, so that a stopped batch run again
// completes it: see docs/generate.md, "Crash safety", for the order of
// operations that makes each device issued exactly once whatever the
// point the run stopped at.
//
// A device the pre-issuance gate refuses gets a "refused" journal line
// (and opts.Refused is called); the batch goes on. Any other error stops
// it: devices already published stay published and journaled, and the
// error is returned with the summary so far.
func (h *Hierarchy) IssueBatch(out, device string, rows []Row, opts BatchOptions) (*BatchSummary, error) {
	layout, err := ParseLayout(string(opts.Layout))
	if err != nil {
		return nil, err
	}
	_, ca, err := h.device(device)
	if err != nil {
		return nil, err
	}
	source := opts.Source
	if source == "" {
		source = "devices"
	}
	errs := h.checkRows(rows, device, source, opts.Workers)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	if stopped(opts.Stop) {
		return &BatchSummary{Devices: len(rows)}, ErrInterrupted
	}
	root, err := safefile.OpenRoot(out, true)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	j, issued, err := openJournal(root)
	if err != nil {
		return nil, err
	}
	defer j.close()

	sum := &BatchSummary{Devices: len(rows)}
	// The devices directory: made in the dirs layout, read in both when
	// it is there (nil: it is not).
	var devices *safefile.Dir
	if exists, err := root.Exists(DevicesDir); err != nil {
		return nil, err
	} else if exists || layout == LayoutDirs {
		if devices, err = root.OpenDir(DevicesDir, true); err != nil {
			return nil, err
		}
		defer devices.Close()
		if sum.Removed, err = removeStaged(devices); err != nil {
			return nil, err
		}
	}
	// devices.jsonl is read in both layouts: a device issued in one is
	// not issued again in the other.
	df, scan, err := openRecordFile(root, layout == LayoutJSONL, issued)
	if err != nil {
		return nil, err
	}
	defer df.close()
	sum.Truncated = scan.torn
	var recovered []JournalEntry
	for _, lr := range scan.unjournaled {
		e, err := recoverRecord(df.path, lr.line, lr.rec)
		if err != nil {
			return nil, err
		}
		recovered = append(recovered, e)
	}
	if layout == LayoutJSONL {
		chain, err := h.Chain(ca.Spec.Name)
		if err != nil {
			return nil, err
		}
		if err := writeChainFile(root, ca.Spec.Name, h.chainPEM(ca.Spec.Name, chain)); err != nil {
			return nil, err
		}
	}

	var pending []Row
	for _, r := range rows {
		_, journaled := issued[r.ID]
		if _, ok := scan.records[r.ID]; ok {
			sum.Done++ // its journal line, if missing, is recovered above
			continue
		}
		dir := DeviceDir(out, r.ID)
		var exists bool
		if devices != nil {
			if exists, err = devices.Exists(r.ID); err != nil {
				return nil, fmt.Errorf("device %q: %w", r.ID, err)
			}
		}
		switch {
		case exists && journaled:
			sum.Done++
		case exists:
			e, err := recoverEntry(dir, r.ID)
			if err != nil {
				return nil, err
			}
			recovered = append(recovered, e)
			sum.Done++
		case journaled && df != nil:
			errs = append(errs, fmt.Errorf("%s: line %d: device %q is issued (%s) but neither %s nor a record in %s is there: restore it; it is not issued again", source, r.Line, r.ID, j.path, dir, df.path))
		case journaled:
			errs = append(errs, fmt.Errorf("%s: line %d: device %q is issued (%s) but %s is missing: restore it; it is not issued again", source, r.Line, r.ID, j.path, dir))
		default:
			pending = append(pending, r)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := j.append(recovered); err != nil {
		return nil, err
	}
	sum.Recovered = len(recovered)
	if len(pending) == 0 {
		if opts.Progress != nil {
			opts.Progress(0, 0)
		}
		return sum, nil
	}
	if layout == LayoutJSONL {
		return sum, h.runBatch(j, df, devices, device, pending, opts, sum)
	}
	return sum, h.runBatch(j, nil, devices, device, pending, opts, sum)
}

// checkRows checks every row with CheckRequest, on workers goroutines
// (0: GOMAXPROCS), and returns the errors of the first maxRowErrors bad
// rows in row order, and a last one when there are more.
func (h *Hierarchy) checkRows(rows []Row, device, source string, workers int) []error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(rows))
	if workers == 0 {
		return nil
	}
	type bad struct {
		row int
		err error
	}
	size := (len(rows) + workers - 1) / workers
	found := make([][]bad, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*size, min((w+1)*size, len(rows))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if err := h.CheckRequest(rows[i].Request(device)); err != nil {
					found[w] = append(found[w], bad{i, err})
					if len(found[w]) > maxRowErrors {
						return // enough to fill the list from this part
					}
				}
			}
		})
	}
	wg.Wait()
	var errs []error
	for _, part := range found {
		for _, b := range part {
			if len(errs) == maxRowErrors {
				return append(errs, fmt.Errorf("%s: more bad rows not shown", source))
			}
			errs = append(errs, fmt.Errorf("%s: line %d: %w", source, rows[b.row].Line, b.err))
		}
	}
	return errs
}

// outcome is what a worker made of a row.
type outcome struct {
	row     Row
	dev     *Issued
	staged  string // the name in devices of the temporary directory holding the device's files
	record  []byte // jsonl layout: the device's line of devices.jsonl
	serial  string // jsonl layout: the journal's serial and hash
	sha256  string
	refused *RefusedError
	err     error
}

// runBatch issues pending with a pool of workers. Workers make the key
// and the certificate (linted, signed). In the dirs layout (df nil)
// stagers write the device's files to a temporary directory, and this
// goroutine commits the outcomes in groups: it makes the staged files
// durable, renames each directory into place, syncs the devices
// directory, and only then appends the journal lines. In the jsonl
// layout the workers also encode the device's record, and this goroutine
// writes a group's records to df in one write, syncs it, and only then
// appends the journal lines.
func (h *Hierarchy) runBatch(j *journal, df *recordFile, devices *safefile.Dir, device string, pending []Row, opts BatchOptions, sum *BatchSummary) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results := make(chan outcome, 4*maxGroup)
	// stop: no more devices are issued (an error, or an interrupt);
	// failed: none of those issued is published.
	var stop, failed, interrupted atomic.Bool
	finished := make(chan struct{})
	defer close(finished)
	if opts.Stop != nil {
		go func() {
			select {
			case <-opts.Stop:
				interrupted.Store(true)
				stop.Store(true)
			case <-finished:
			}
		}()
	}
	// Workers take the next pending row from a shared index: no feeding
	// goroutine, no hand-off per row.
	var next atomic.Int64
	// Workers make keys and certificates, which takes CPU; stagers write
	// the files, which mostly waits on the file system, so there are
	// more of them and the CPUs never wait for a disk.
	toStage := make(chan outcome, maxGroup)
	var issuing sync.WaitGroup
	for range workers {
		issuing.Add(1)
		go func() {
			defer issuing.Done()
			for i := next.Add(1) - 1; i < int64(len(pending)) && !stop.Load(); i = next.Add(1) - 1 {
				o := h.issue(device, pending[i])
				switch {
				case o.dev == nil:
					results <- o
				case df != nil:
					// Encoded here, on the CPUs that make the keys,
					// rather than in the one committing goroutine.
					o.record, o.serial, o.sha256, o.err = appendRecord(make([]byte, 0, 2048), o.dev)
					o.dev.Key = nil // the record holds it now
					results <- o
				default:
					toStage <- o
				}
			}
		}()
	}
	stagers := stagersPerWorker * workers
	if df != nil {
		stagers = 0 // nothing to stage
	}
	var staging sync.WaitGroup
	for range stagers {
		staging.Add(1)
		go func() {
			defer staging.Done()
			for o := range toStage {
				if failed.Load() {
					o.err = errStopped
				} else {
					o.staged, o.err = stageDevice(devices, o.dev)
				}
				results <- o
			}
		}()
	}
	go func() {
		issuing.Wait()
		close(toStage)
		staging.Wait()
		close(results)
	}()

	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
			failed.Store(true)
			stop.Store(true)
		}
	}
	done := 0
	if opts.Progress != nil {
		opts.Progress(0, len(pending))
	}
	group := make([]outcome, 0, maxGroup)
	wait := time.NewTimer(groupWait)
	wait.Stop()
	for o := range results {
		group = append(group[:0], o)
		var deadline <-chan time.Time // nil: take what is ready
		if df != nil && firstErr == nil {
			wait.Reset(groupWait)
			deadline = wait.C
		}
	drain:
		for len(group) < maxGroup {
			var o outcome
			var ok bool
			if deadline == nil {
				select {
				case o, ok = <-results:
				default:
					break drain
				}
			} else {
				select {
				case o, ok = <-results:
				case <-deadline:
					break drain
				}
			}
			if !ok {
				break drain
			}
			group = append(group, o)
		}
		wait.Stop()
		if firstErr != nil {
			discard(devices, group)
			continue
		}
		var n int
		var err error
		if df != nil {
			n, err = h.commitJSONL(j, df, group, opts, sum)
		} else {
			n, err = h.commit(j, devices, group, opts, sum)
		}
		done += n
		if err != nil {
			fail(err)
			continue
		}
		if opts.Progress != nil {
			opts.Progress(done, len(pending))
		}
	}
	if firstErr == nil && interrupted.Load() && done < len(pending) {
		return ErrInterrupted
	}
	return firstErr
}

// issue issues the device of r: its outcome has the device, a refusal
// or an error.
func (h *Hierarchy) issue(device string, r Row) outcome {
	o := outcome{row: r}
	dev, err := h.issueDevice(r.Request(device), false)
	if err != nil {
		if !errors.As(err, &o.refused) {
			o.err = err
		}
		return o
	}
	o.dev = dev
	return o
}

// stagersPerWorker is how many goroutines write device files for each
// worker that issues certificates.
const stagersPerWorker = 4

// errStopped marks an issued device that is not written because the
// batch is stopping.
var errStopped = errors.New("not published: the batch stopped")

// commit publishes a group of outcomes and journals them; it returns how
// many it committed. An outcome with an error, or a rename that fails,
// stops the batch after the outcomes before it are committed.
func (h *Hierarchy) commit(j *journal, devices *safefile.Dir, group []outcome, opts BatchOptions, sum *BatchSummary) (int, error) {
	var firstErr error
	for i, o := range group {
		if o.err != nil {
			firstErr = fmt.Errorf("device %q: %w", o.row.ID, o.err)
			discard(devices, group[i:])
			group = group[:i]
			break
		}
	}
	var staged []string
	for _, o := range group {
		if o.dev != nil {
			staged = append(staged, o.staged)
		}
	}
	if len(staged) > 0 {
		// 1. The files of every staged directory are durable ...
		if err := syncStaged(devices, staged); err != nil {
			discard(devices, group)
			return 0, fmt.Errorf("syncing %s: %w", devices.Path(), err)
		}
	}
	entries := make([]JournalEntry, 0, len(group))
	now := h.now().UTC()
	for i, o := range group {
		if o.refused != nil {
			entries = append(entries, JournalEntry{Time: now, ID: o.row.ID, Status: StatusRefused, Reason: refusalReason(o.refused)})
			continue
		}
		// 2. ... before each is renamed into place, so that a device
		// directory is complete or absent ...
		if err := devices.Rename(o.staged, devices, o.row.ID); err != nil {
			firstErr = fmt.Errorf("device %q: publishing: %w", o.row.ID, err)
			discard(devices, group[i:])
			group = group[:i]
			break
		}
		serial, digest := certIdentity(o.dev.Cert)
		entries = append(entries, JournalEntry{Time: now, ID: o.row.ID, Status: StatusIssued, Serial: serial, SHA256: digest})
	}
	// 3. ... the renames are durable ...
	if err := devices.Sync(); err != nil {
		return 0, err
	}
	// 4. ... and only then are the journal lines written: a line never
	// names a device that is not published.
	if err := j.append(entries); err != nil {
		return 0, err
	}
	h.counted(group, opts, sum)
	return len(entries), firstErr
}

// counted counts the committed outcomes of group in sum and reports the
// refusals.
func (h *Hierarchy) counted(group []outcome, opts BatchOptions, sum *BatchSummary) {
	for _, o := range group {
		if o.refused != nil {
			sum.Refused++
			if opts.Refused != nil {
				opts.Refused(o.row, o.refused)
			}
		} else {
			sum.Issued++
		}
	}
}

// discard removes the staged directories (in devices) of outcomes that
// will not be published; a stop before this leaves them to the next
// run's removeStaged.
func discard(devices *safefile.Dir, group []outcome) {
	for _, o := range group {
		if o.staged != "" {
			devices.RemoveAll(o.staged)
		}
	}
}

// refusalReason is the journal's one-line reason for a refusal.
func refusalReason(e *RefusedError) string {
	var parts []string
	parts = append(parts, e.Reasons...)
	for _, f := range e.Findings {
		parts = append(parts, fmt.Sprintf("%s %s: %s", f.Level, f.Lint, f.Details))
	}
	return fmt.Sprintf("profile %s: %s", e.Profile, strings.Join(parts, "; "))
}

// stagedPrefix starts the names of the temporary directories of
// devices, ".~<id>.tmp<random>": hidden, and never the name of a
// published device, since an id cannot hold "~".
const stagedPrefix = ".~"

// stageDevice writes the files of dev to a new temporary directory in
// devices and returns its name. The files are not synced: the committer
// makes a whole group durable at once.
func stageDevice(devices *safefile.Dir, dev *Issued) (string, error) {
	tmp, err := devices.MkdirTemp(stagedPrefix+dev.ID+".tmp", 0o755)
	if err != nil {
		return "", fmt.Errorf("device %q: %w", dev.ID, err)
	}
	if err := stageFiles(devices, tmp, dev); err != nil {
		devices.RemoveAll(tmp)
		return "", fmt.Errorf("device %q: %w", dev.ID, err)
	}
	return tmp, nil
}

// stageFiles writes the files of dev, not synced, in the new directory
// tmp of devices.
func stageFiles(devices *safefile.Dir, tmp string, dev *Issued) error {
	d, err := devices.OpenDir(tmp, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if dev.Key != nil {
		name, data, err := KeyFileData(dev.Key)
		if err != nil {
			return err
		}
		if err := d.WriteNew(name, data, privateMode); err != nil {
			return err
		}
	}
	if err := d.WriteNew(CertFile, CertPEM(dev.Cert), publicMode); err != nil {
		return err
	}
	return d.WriteNew(ChainFile, dev.ChainPEM(), publicMode)
}

// removeStaged removes the temporary directories a stopped run (or a
// stopped WriteDevice) left in devices, and returns how many.
func removeStaged(devices *safefile.Dir) (int, error) {
	names, err := devices.Names()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		if !strings.HasPrefix(name, stagedPrefix) {
			continue
		}
		if err := devices.RemoveAll(name); err != nil {
			return n, err
		}
		n++
	}
	if n > 0 {
		return n, devices.Sync()
	}
	return n, nil
}

// recoverEntry is the journal line of the device published in dir whose
// line a stopped run did not write.
func recoverEntry(dir, id string) (JournalEntry, error) {
	path := filepath.Join(dir, CertFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return JournalEntry{}, fmt.Errorf("device %q: %w", id, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return JournalEntry{}, fmt.Errorf("device %q: %s holds no PEM certificate", id, path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return JournalEntry{}, fmt.Errorf("device %q: %s: %w", id, path, err)
	}
	serial, digest := certIdentity(c)
	return JournalEntry{Time: c.NotBefore.UTC(), ID: id, Status: StatusIssued, Serial: serial, SHA256: digest, Recovered: true}, nil
}
