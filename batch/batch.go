package batch

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// Options configure Issue.
type Options struct {
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
	// refuses, after its journal line is written, and for each device
	// Check refuses, from one goroutine.
	Refused func(row Row, err *ldevid.RefusedError)
	// Check, when set, is called once before any device is signed, with
	// the rows of the devices this run is to issue, in row order: the
	// devices done before are not among them (Row.ID names each, and
	// Row.Replaces the certificate a reissue replaces). Check must not
	// keep rows. It returns why each row it refuses is refused, by index
	// in rows. A refused device is neither signed nor journaled: it is
	// counted in Summary.Refused and Refused is called with a
	// RefusedError whose reason is the error's text; the batch goes on
	// with the others. An error stops the batch before anything is
	// signed. "iotcert gen devices --db" checks here that no other
	// certificate of a device is current in the inventory.
	Check func(rows []Row) (map[int]error, error)
	// Layout is how devices are published: LayoutDirs (the default, also
	// for "") or LayoutJSONL.
	Layout store.Layout
	// FailOn refuses a certificate whose pre-issuance lint has a finding
	// at this level or above, as the gate refuses errors: profile.Warn or
	// profile.Notice. Zero refuses errors only.
	FailOn profile.Level
	// Command is the command line the journal records for each device
	// (secrets redacted by the caller).
	Command string
	// Reissue, when set, is the reason to issue again every device of the
	// rows, each a new key and certificate replacing the one the journal
	// records (its serial and the reason go in the new journal line); a
	// row never issued is an error. A device whose last journal line is a
	// reissue for the same reason is done: the same batch run again
	// finishes the job.
	Reissue string
	// Stop, when closed, interrupts the batch (Ctrl-C): no device is
	// issued after it, the devices already signed are published and
	// journaled, no temporary directory is left, and Issue returns
	// ErrInterrupted with the summary. The same batch run again finishes
	// the job.
	Stop <-chan struct{}
}

// ErrInterrupted is the error of a batch that Options.Stop stopped
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

// Summary counts what Issue did.
type Summary struct {
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
	// Refused is the number of devices this run's pre-issuance gate, or
	// Options.Check, refused.
	Refused int
	// Findings are the warnings and notices of the certificates this run
	// issued, by lint (most frequent first).
	Findings []FindingCount
	// Changed are the rows of devices issued before whose fields differ
	// from those the journal recorded: they are not issued again.
	Changed []ChangedRow

	findings map[string]*FindingCount
}

// FindingCount counts the devices issued with one finding.
type FindingCount struct {
	// Lint and Level are the finding's.
	Lint  string
	Level profile.Level
	// Count is the number of devices.
	Count int
	// IDs are the ids of the first devices in row order (at most
	// maxFindingIDs).
	IDs []string

	lines []int // the rows of IDs
}

// maxFindingIDs bounds the ids a FindingCount lists.
const maxFindingIDs = 5

// ChangedRow is a row of a device issued before whose fields changed.
type ChangedRow struct {
	// Line is the row's line in the CSV; ID its id.
	Line int
	ID   string
	// Fields are the changes, "name: old -> new" each, sorted.
	Fields []string
}

// maxGroup bounds how many devices one commit makes durable at once.
const maxGroup = 256

// Issue issues with h a certificate and a new key to every device of
// rows under the device profile called device, publishing each as
// opts.Layout says and recording it in out/journal.jsonl. The issuing CA
// and its key must be loaded in h. In the dirs layout each device is a directory out/devices/<id>/
// (key.pem or key.ref, cert.pem, chain.pem); in the jsonl layout it is a
// line of out/devices.jsonl (a store.DeviceRecord) and the CA chain is written
// once as out/devices.chain.pem.
//
// Every row is checked first, as h.IssueDevice would; a bad row stops the batch
// before anything is issued, with every bad row's line. A device with a
// directory or a record in devices.jsonl (in either layout) was issued
// by an earlier run and is left alone, so that a stopped batch run again
// completes it: see docs/generate.md, "Crash safety", for the order of
// operations that makes each device issued exactly once whatever the
// point the run stopped at.
//
// A device the pre-issuance gate refuses gets a "refused" journal line
// (and opts.Refused is called); one opts.Check refuses before anything
// is signed gets none (opts.Refused is called); the batch goes on with
// the others. Any other error stops
// it: devices already published stay published and journaled, and the
// error is returned with the summary so far.
func Issue(h *ldevid.Hierarchy, out, device string, rows []Row, opts Options) (*Summary, error) {
	layout, err := store.ParseLayout(string(opts.Layout))
	if err != nil {
		return nil, err
	}
	d, ca, err := h.Device(device)
	if err != nil {
		return nil, err
	}
	if err := checkC509Layout(d, layout); err != nil {
		return nil, err
	}
	source := opts.Source
	if source == "" {
		source = "devices"
	}
	rows = slices.Clone(rows) // checkRows keeps each row's names in it
	if errs := checkRows(h, rows, device, source, opts.Workers); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if stopped(opts.Stop) {
		return &Summary{Devices: len(rows)}, ErrInterrupted
	}
	b, err := store.OpenBatch(out, opts.Layout, device)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	sum := &Summary{Devices: len(rows), Removed: b.Removed, Truncated: b.Truncated}
	pending, recovered, err := resume(h, b, device, ca, rows, source, opts, sum)
	if err != nil {
		return nil, err
	}
	if err := b.Journal(recovered); err != nil {
		return nil, err
	}
	sum.Recovered = len(recovered)
	if pending, err = checkPending(pending, d, opts, sum); err != nil {
		return nil, err
	}
	if len(pending) == 0 {
		if opts.Progress != nil {
			opts.Progress(0, 0)
		}
		return sum, nil
	}
	err = runBatch(h, b, device, pending, opts, sum)
	sum.sortFindings()
	return sum, err
}

// resume sorts rows into the devices to issue and those an earlier run
// issued (counted as done in sum), and returns the journal lines of the
// devices an earlier run published without them, each checked to be what
// this batch would have issued. In the jsonl layout it also publishes
// the CA chain.
func resume(h *ldevid.Hierarchy, b *store.Batch, device string, ca *ldevid.CA, rows []Row, source string, opts Options, sum *Summary) (pending []Row, recovered []store.JournalEntry, err error) {
	rowOf := make(map[string]Row, len(rows))
	for _, r := range rows {
		rowOf[r.id] = r
	}
	reissued := map[string]bool{} // recovered reissues
	for _, u := range b.Unjournaled() {
		err := u.Err
		if err == nil {
			err = checkRecovered(h, device, ca, rowOf, u.Record, u.Where)
		}
		if err != nil {
			return nil, nil, err
		}
		r := rowOf[u.Entry.ID]
		if prev, ok := b.Issued(u.Entry.ID); ok {
			// A reissue a stopped run published but did not journal.
			r.replaces = prev.Serial
			reissued[u.Entry.ID] = true
		}
		recovered = append(recovered, recoveredEntry(h, u.Entry, device, r, opts))
	}
	if opts.Layout == store.LayoutJSONL {
		chain, err := h.ChainPEM(ca.Spec.Name)
		if err != nil {
			return nil, nil, err
		}
		if err := b.WriteChain(ca.Spec.Name, chain); err != nil {
			return nil, nil, err
		}
	}
	var errs []error
	for _, r := range rows {
		if opts.Reissue != "" {
			again, e, err := reissueRow(h, b, device, ca, r, source, opts)
			switch {
			case err != nil:
				errs = append(errs, err)
			case e != nil:
				recovered = append(recovered, *e)
				sum.Done++
			case again == nil || reissued[r.id]:
				sum.Done++
			default:
				pending = append(pending, *again)
			}
			continue
		}
		prev, journaled := b.Issued(r.id)
		if journaled {
			if changed := changedFields(prev.Fields, r.fields); len(changed) > 0 && prev.Fields != nil {
				sum.Changed = append(sum.Changed, ChangedRow{Line: r.Line, ID: r.id, Fields: changed})
			}
		}
		if b.HasRecord(r.id) {
			sum.Done++ // its journal line, if missing, is recovered above
			continue
		}
		dir := b.DeviceDir(r.id)
		exists, err := b.HasDir(r.id)
		if err != nil {
			return nil, nil, fmt.Errorf("device %q: %w", r.id, err)
		}
		switch {
		case exists && journaled:
			sum.Done++
		case exists:
			e, err := recoverDevice(h, b, device, ca, r)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: line %d: %w", source, r.Line, err))
				continue
			}
			recovered = append(recovered, recoveredEntry(h, e, device, r, opts))
			sum.Done++
		case journaled && b.RecordsPath() != "":
			errs = append(errs, fmt.Errorf("%s: line %d: device %q is issued (%s) but neither %s nor a record in %s is there: restore it; it is not issued again", source, r.Line, r.id, b.JournalPath(), dir, b.RecordsPath()))
		case journaled:
			errs = append(errs, fmt.Errorf("%s: line %d: device %q is issued (%s) but %s is missing: restore it; it is not issued again", source, r.Line, r.id, b.JournalPath(), dir))
		default:
			pending = append(pending, r)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return pending, recovered, nil
}

// checkPending returns the rows of pending that opts.Check does not
// refuse, and counts and reports the refused ones in sum.
func checkPending(pending []Row, d *ldevid.DeviceSpec, opts Options, sum *Summary) ([]Row, error) {
	if opts.Check == nil || len(pending) == 0 {
		return pending, nil
	}
	refused, err := opts.Check(pending)
	if err != nil {
		return nil, err
	}
	if len(refused) == 0 {
		return pending, nil
	}
	kept := pending[:0] // pending is this run's own
	for i, r := range pending {
		err, ok := refused[i]
		if !ok || err == nil {
			kept = append(kept, r)
			continue
		}
		sum.Refused++
		if opts.Refused != nil {
			opts.Refused(r, &ldevid.RefusedError{What: fmt.Sprintf("device %q", r.id), Profile: d.Profile, Reasons: []string{err.Error()}})
		}
	}
	return kept, nil
}

// reissueRow sorts the row r of a batch with opts.Reissue: it returns r
// to issue again, replacing the certificate the journal records; nil
// when an earlier run reissued it for the same reason; or the journal
// line of its reissue that an earlier run published in its directory but
// did not journal (checked as recoverDevice checks). An id never issued
// is an error.
func reissueRow(h *ldevid.Hierarchy, b *store.Batch, device string, ca *ldevid.CA, r Row, source string, opts Options) (*Row, *store.JournalEntry, error) {
	prev, journaled := b.Issued(r.id)
	switch {
	case !journaled:
		return nil, nil, fmt.Errorf("%s: line %d: --reissue: device %q (profile %s) was never issued (a device a stopped run published without its journal line is recorded by the batch run without --reissue)", source, r.Line, r.id, device)
	case prev.Previous != "" && prev.ReissueReason == opts.Reissue:
		return nil, nil, nil
	}
	r.replaces = prev.Serial
	if opts.Layout != store.LayoutJSONL {
		if e, _, err := b.RecoverDir(r.id); err == nil && e.SHA256 != prev.SHA256 {
			e, err := recoverDevice(h, b, device, ca, r)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: line %d: %w", source, r.Line, err)
			}
			e = recoveredEntry(h, e, device, r, opts)
			return nil, &e, nil
		}
	}
	return &r, nil, nil
}

// checkRows checks every row with CheckRequest, on workers goroutines
// (0: GOMAXPROCS), keeps the names it rendered in the row, and returns
// the errors of the first maxRowErrors bad rows in row order, and a last
// one when there are more.
func checkRows(h *ldevid.Hierarchy, rows []Row, device, source string, workers int) []error {
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
				names, err := h.CheckRequest(rows[i].request(device))
				rows[i].names = names
				if err != nil {
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

// issue issues the device of r: its outcome has the device, a refusal
// or an error. With failOn set, a certificate with a finding at failOn or
// above is refused (and its key dropped) as one with an error is.
func issue(h *ldevid.Hierarchy, device string, r Row, failOn profile.Level) outcome {
	o := outcome{row: r, device: device}
	dev, err := h.IssueRaw(r.request(device), r.names)
	if err != nil {
		if !errors.As(err, &o.refused) {
			o.err = err
		}
		return o
	}
	if failOn > 0 && dev.Result.Worst() >= failOn {
		d := h.Spec().Device(device)
		var found []profile.Finding
		for _, f := range dev.Result.Findings {
			if f.Level >= failOn {
				found = append(found, f)
			}
		}
		o.refused = &ldevid.RefusedError{What: fmt.Sprintf("device %q", r.id), Profile: d.Profile, Reasons: []string{fmt.Sprintf("--fail-on %s", failOn)}, Findings: found}
		return o
	}
	o.dev = dev
	return o
}

// entry is the journal line of the committed outcome o.
func entry(h *ldevid.Hierarchy, now time.Time, device string, o outcome, opts Options) store.JournalEntry {
	if o.refused == nil {
		e := h.Entry(device, o.dev, o.row.fields)
		e.Time, e.Command = now, opts.Command
		return o.row.reissue(e, opts)
	}
	e := store.JournalEntry{Time: now, ID: o.row.id, Status: store.StatusRefused, Reason: refusalReason(o.refused)}
	return recoveredEntry(h, e, device, o.row, opts)
}

// recoveredEntry completes the recovered journal line e of row r.
func recoveredEntry(h *ldevid.Hierarchy, e store.JournalEntry, device string, r Row, opts Options) store.JournalEntry {
	e.Profile, e.Fields, e.Command = device, maps.Clone(r.fields), opts.Command
	if d := h.Spec().Device(device); d != nil {
		e.CA = d.CA
	}
	return r.reissue(e, opts)
}

// changedFields lists the fields whose values differ between was (the
// journal's) and now (the row's), "name: old -> new" each, sorted.
func changedFields(was, now map[string]string) []string {
	var out []string
	for k, v := range now {
		if old, ok := was[k]; !ok {
			out = append(out, fmt.Sprintf("%s: (none) -> %q", k, v))
		} else if old != v {
			out = append(out, fmt.Sprintf("%s: %q -> %q", k, old, v))
		}
	}
	for k, old := range was {
		if _, ok := now[k]; !ok {
			out = append(out, fmt.Sprintf("%s: %q -> (none)", k, old))
		}
	}
	sort.Strings(out)
	return out
}

// counted counts the committed outcomes of group in sum (the findings of
// the issued ones by lint) and reports the refusals.
func counted(group []outcome, opts Options, sum *Summary) {
	for _, o := range group {
		if o.refused != nil {
			sum.Refused++
			if opts.Refused != nil {
				opts.Refused(o.row, o.refused)
			}
			continue
		}
		sum.Issued++
		for _, f := range o.dev.Result.Findings {
			sum.countFinding(f, o.row)
		}
	}
}

// countFinding counts the finding f of the device of row r, keeping the
// ids of the first rows.
func (sum *Summary) countFinding(f profile.Finding, r Row) {
	if sum.findings == nil {
		sum.findings = map[string]*FindingCount{}
	}
	key := f.Level.String() + " " + f.Lint
	c, ok := sum.findings[key]
	if !ok {
		c = &FindingCount{Lint: f.Lint, Level: f.Level}
		sum.findings[key] = c
	}
	c.Count++
	i := sort.SearchInts(c.lines, r.Line)
	if i >= maxFindingIDs {
		return
	}
	c.lines = slices.Insert(c.lines, i, r.Line)
	c.IDs = slices.Insert(c.IDs, i, r.id)
	if len(c.IDs) > maxFindingIDs {
		c.lines, c.IDs = c.lines[:maxFindingIDs], c.IDs[:maxFindingIDs]
	}
}

// sortFindings sets Findings from the counts: most frequent first, then
// by level (worst first) and lint.
func (sum *Summary) sortFindings() {
	sum.Findings = sum.Findings[:0]
	for _, c := range sum.findings {
		sum.Findings = append(sum.Findings, *c)
	}
	sort.Slice(sum.Findings, func(i, j int) bool {
		a, b := sum.Findings[i], sum.Findings[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Level != b.Level {
			return a.Level > b.Level
		}
		return a.Lint < b.Lint
	})
}

// refusalReason is the journal's one-line reason for a refusal.
func refusalReason(e *ldevid.RefusedError) string {
	var parts []string
	parts = append(parts, e.Reasons...)
	for _, f := range e.Findings {
		parts = append(parts, fmt.Sprintf("%s %s: %s", f.Level, f.Lint, f.Details))
	}
	return fmt.Sprintf("profile %s: %s", e.Profile, strings.Join(parts, "; "))
}

// recoverDevice is the journal line of the device of row r published in
// dir whose line a stopped run did not write. It is recovered only when
// it is what this batch would have issued: its certificate is signed by
// the issuing CA ca, carries the names the device profile renders for r,
// and its key (key.pem or key.ref beside it, opened with the hierarchy's
// keys.Backend) is the certificate's. Anything else is an error naming
// what differs: the directory was not made by this batch.
func recoverDevice(h *ldevid.Hierarchy, b *store.Batch, device string, ca *ldevid.CA, r Row) (store.JournalEntry, error) {
	// The directory, its cert.pem and its key are opened below the
	// batch's open devices directory, never through a link; the
	// certificate checked is the one the line is recovered from.
	e, c, err := b.RecoverDir(r.id)
	if err != nil {
		return e, err
	}
	path := filepath.Join(b.DeviceDir(r.id), store.CertFile)
	if err := checkIssued(h, device, ca, r, c, path); err != nil {
		return e, err
	}
	signer, err := b.OpenDeviceKey(r.id, h.Keys()) // key.pem read once
	if err != nil {
		return e, fmt.Errorf("device %q: %s: not recovered: its key: %w", r.id, path, err)
	}
	if !keys.SamePublicKey(c.PublicKey, signer.Public()) {
		return e, fmt.Errorf("device %q: %s: not recovered: the key beside it is not the certificate's; move the directory away", r.id, path)
	}
	return e, nil
}

// checkRecovered checks the unjournaled record rec of devices.jsonl (at
// where) as recoverDevice checks a directory: its certificate is the
// issuing CA's, for the names of its row (a record of an id no row has is
// not checked against names).
func checkRecovered(h *ldevid.Hierarchy, device string, ca *ldevid.CA, rows map[string]Row, rec store.DeviceRecord, where string) error {
	block, _ := pem.Decode([]byte(rec.Cert))
	if block == nil {
		return fmt.Errorf("%s: device %q: cert holds no PEM certificate", where, rec.ID)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return fmt.Errorf("%s: device %q: cert: %w", where, rec.ID, err)
	}
	r, ok := rows[rec.ID]
	if !ok {
		if err := c.CheckSignatureFrom(ca.Cert); err != nil {
			return fmt.Errorf("%s: device %q: not recovered: not signed by CA %q: %v", where, rec.ID, ca.Spec.Name, err)
		}
	} else if err := checkIssued(h, device, ca, r, c, where); err != nil {
		return err
	}
	pemKeys, ok := h.Keys().(interface {
		OpenPEM([]byte) (crypto.Signer, error)
	})
	if rec.Key == "" || !ok {
		return nil // a key_ref, or keys that are not files: not checked
	}
	signer, err := pemKeys.OpenPEM([]byte(rec.Key))
	if err != nil {
		return fmt.Errorf("%s: device %q: not recovered: its key: %w", where, rec.ID, err)
	}
	if !keys.SamePublicKey(c.PublicKey, signer.Public()) {
		return fmt.Errorf("%s: device %q: not recovered: its key is not the certificate's; remove the record", where, rec.ID)
	}
	return nil
}

// checkIssued checks that c is signed by ca and names the device of row
// r as the device profile renders it.
func checkIssued(h *ldevid.Hierarchy, device string, ca *ldevid.CA, r Row, c *x509.Certificate, where string) error {
	if err := c.CheckSignatureFrom(ca.Cert); err != nil {
		return fmt.Errorf("device %q: %s: not recovered: not signed by CA %q (%v); move it away", r.id, where, ca.Spec.Name, err)
	}
	if err := h.CheckNames(r.request(device), c); err != nil {
		return fmt.Errorf("device %q: %s: not recovered: %w; move it away", r.id, where, err)
	}
	return nil
}

// checkC509Layout refuses the jsonl layout for a device profile that
// asks for C509 certificates: devices.jsonl has no place for them.
func checkC509Layout(d *ldevid.DeviceSpec, layout store.Layout) error {
	if d.C509 && layout == store.LayoutJSONL {
		return fmt.Errorf("device profile %q sets c509: true, which the jsonl layout cannot hold (it has no place for a cert.c509): use the dirs layout", d.Name)
	}
	return nil
}
