package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/iotcert/iotcert/batch"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

const genDevicesSynopsis = "gen devices SPEC --out DIR --from devices.csv [--ca NAME] [--device PROFILE] [--workers N] [--layout dirs|jsonl] [--fail-on error|warn|notice] [--reissue REASON] [--db FILE]"

func runGenDevices(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen devices", genDevicesSynopsis, stderr)
	out := fs.String("out", "", "the `DIR` of \"gen hierarchy\": CAs are read from DIR/<ca>/, devices go to DIR/devices/<id>/ (or DIR/devices.jsonl), the journal to DIR/journal.jsonl")
	from := fs.String("from", "", "devices `CSV`: a header row with an id column and the template fields, one row per device (- for stdin)")
	caName := fs.String("ca", "", "issuing CA `NAME` (default: the CA of --device)")
	device := fs.String("device", "", "device profile `NAME` of the spec (default: the one device profile of --ca, or of the spec)")
	workers := fs.Int("workers", 0, "devices issued at once (default: the number of CPUs)")
	layout := fs.String("layout", "dirs", "how devices are published: `dirs` (DIR/devices/<id>/key.pem, cert.pem, chain.pem) or jsonl (one JSON line per device in DIR/devices.jsonl, mode 0600: it holds the keys; the CA chain once in DIR/devices.chain.pem)")
	failOn := fs.String("fail-on", "error", "refuse a certificate whose pre-issuance lint has a finding at `LEVEL` or above: error, warn or notice (the findings signed through are summarised)")
	reissue := fs.String("reissue", "", "issue every device of the CSV again, for `REASON`: each was issued before (journaled with the serial it replaces); run again after a stop, the batch reissues only the devices not reissued for REASON yet")
	progress := fs.Bool("progress", true, "draw a progress bar with rate and ETA when standard error is a terminal (--progress=false: never)")
	var kf keyFlags
	kf.register(fs, true)
	var dbf dbFlag
	dbf.register(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || *out == "" || *from == "" {
		fmt.Fprintln(stderr, "iotcert gen devices: want one SPEC, --out DIR and --from CSV")
		return exitUsage
	}
	if emptyReissue(fs) {
		fmt.Fprintln(stderr, "iotcert gen devices: "+reissueReasonMsg)
		return exitUsage
	}
	if *workers < 0 {
		fmt.Fprintln(stderr, "iotcert gen devices: --workers must be positive")
		return exitUsage
	}
	level, ok := profile.ParseLevel(*failOn)
	if !ok || level > profile.Error {
		fmt.Fprintf(stderr, "iotcert gen devices: --fail-on %q: want error, warn or notice\n", *failOn)
		return exitUsage
	}
	if level == profile.Error {
		level = 0 // the gate refuses errors anyway
	}
	lay, err := store.ParseLayout(*layout)
	if err != nil || *layout == "" {
		fmt.Fprintf(stderr, "iotcert gen devices: --layout %q: want dirs or jsonl\n", *layout)
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "iotcert gen devices: %v\n", err)
		return exitUsage
	}
	interrupt := notifyInterrupt()
	defer interrupt.stop()
	caKeys, devKeys, err := kf.backends()
	if err != nil {
		return fail(err)
	}
	defer kf.kms.close()
	h, err := loadHierarchy(pos[0], devKeys)
	if err != nil {
		return fail(err)
	}
	if err := kf.checkCAs(h.Spec()); err != nil {
		return fail(err)
	}
	d, err := pickBatchDevice(h.Spec(), *caName, *device)
	if err != nil {
		return fail(err)
	}
	rows, err := readDevices(*from, stdin)
	if err != nil {
		return fail(err)
	}
	if err := h.LoadCAs(*out, d.CA, caKeys); err != nil {
		return fail(err)
	}
	inv, err := dbf.open()
	if err != nil {
		return fail(err)
	}
	if inv != nil {
		defer inv.Close()
	}

	bar := newProgressBar(stderr, *progress, "devices")
	opts := batch.Options{
		Source:   *from,
		Workers:  *workers,
		Progress: bar.update,
		Layout:   lay,
		Stop:     interrupt.ch,
		FailOn:   level,
		Command:  commandLine("gen devices", args),
		Reissue:  *reissue,
		Refused: func(row batch.Row, err *ldevid.RefusedError) {
			bar.clear()
			fmt.Fprintf(stderr, "iotcert gen devices: %s: line %d: %v\n", *from, row.Line, err)
		},
	}
	if inv != nil {
		// Before anything is signed: a device current in the inventory
		// (issued into another directory, by sign, gen device or EST) is
		// refused, as gen device refuses it.
		opts.Check = inventoryCheck(inv, d.Name)
	}
	restoreGC := batchGC()
	sum, err := batch.Issue(h, *out, d.Name, rows, opts)
	restoreGC()
	bar.finish()
	if sum != nil {
		fmt.Fprintf(stdout, "%d devices: %d issued, %d refused, %d done before", sum.Devices, sum.Issued, sum.Refused, sum.Done)
		if sum.Recovered > 0 {
			fmt.Fprintf(stdout, " (%d journal lines recovered)", sum.Recovered)
		}
		if sum.Removed > 0 {
			fmt.Fprintf(stdout, ", %d unfinished temporary directories removed", sum.Removed)
		}
		if sum.Truncated > 0 {
			fmt.Fprintf(stdout, ", %d unfinished records removed from %s", sum.Truncated, store.DevicesFile)
		}
		fmt.Fprintln(stdout)
		printBatchReport(stderr, *from, sum)
	}
	if errors.Is(err, batch.ErrInterrupted) {
		left := sum.Devices - sum.Done - sum.Issued - sum.Refused
		fmt.Fprintf(stderr, "iotcert gen devices: interrupted by %s: %d devices not issued yet; every device issued is published and journaled, no temporary file is left. Run the same command again to finish: devices issued already are not issued again\n", interrupt.name(), left)
		return interrupt.exitCode()
	}
	if err != nil {
		return fail(err)
	}
	if inv != nil {
		// The journal is the batch's record: every issued line of it,
		// those of earlier runs included, goes to the inventory.
		n, err := importBatchJournal(inv, *out)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "%d certificates recorded in %s\n", n, dbf.path)
	}
	if sum.Refused > 0 {
		return exitFindings
	}
	return exitOK
}

// printBatchReport prints the findings the batch signed through, by lint,
// and the rows of devices issued before whose fields changed.
func printBatchReport(w io.Writer, source string, sum *batch.Summary) {
	for _, f := range sum.Findings {
		more := ""
		if f.Count > len(f.IDs) {
			more = ", ..."
		}
		fmt.Fprintf(w, "iotcert gen devices: %s %s: %d devices issued with it (%s%s)\n", f.Level, f.Lint, f.Count, strings.Join(f.IDs, ", "), more)
	}
	for _, c := range sum.Changed {
		fmt.Fprintf(w, "iotcert gen devices: %s: line %d: device %q was issued with other fields (%s): not issued again (gen devices --reissue REASON, or gen device --reissue REASON for this id, issues it again)\n", source, c.Line, c.ID, strings.Join(c.Fields, "; "))
	}
}

// pickBatchDevice returns the device profile of --device and --ca, or the
// spec's one device profile when neither is given.
func pickBatchDevice(spec *ldevid.Spec, ca, device string) (*ldevid.DeviceSpec, error) {
	switch {
	case ca != "":
		return pickDevice(spec, ca, device)
	case device != "":
		d := spec.Device(device)
		if d == nil {
			return nil, fmt.Errorf("--device %q is not a device profile of %s", device, spec.Name)
		}
		return d, nil
	case len(spec.Devices) == 1:
		return spec.Devices[0], nil
	}
	var names []string
	for _, d := range spec.Devices {
		names = append(names, d.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s has no device profile", spec.Name)
	}
	return nil, fmt.Errorf("%s has several device profiles (%s): name one with --device", spec.Name, strings.Join(names, ", "))
}

// readDevices reads the devices CSV at path, or stdin for "-".
func readDevices(path string, stdin io.Reader) ([]batch.Row, error) {
	if path == "-" {
		return batch.ReadDevices("stdin", stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return batch.ReadDevices(path, f)
}

// interruptSignals are the signals that stop a batch cleanly: Ctrl-C,
// and the polite kill.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// interruptNotice closes ch at the first SIGINT or SIGTERM. A second one
// has its default effect (the process ends at once: the next run cleans
// up after it).
type interruptNotice struct {
	ch   chan struct{}
	sigs chan os.Signal
	done chan struct{}
	mu   sync.Mutex
	got  os.Signal
}

func notifyInterrupt() *interruptNotice {
	n := &interruptNotice{ch: make(chan struct{}), sigs: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(n.sigs, interruptSignals...)
	go func() {
		select {
		case s := <-n.sigs:
			signal.Stop(n.sigs)
			n.mu.Lock()
			n.got = s
			n.mu.Unlock()
			close(n.ch)
		case <-n.done:
		}
	}()
	return n
}

// stop stops listening.
func (n *interruptNotice) stop() {
	signal.Stop(n.sigs)
	close(n.done)
}

// signal is the signal received, or nil.
func (n *interruptNotice) signal() os.Signal {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.got
}

// name names the signal received for a message.
func (n *interruptNotice) name() string {
	if n.signal() == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "Ctrl-C (SIGINT)"
}

// exitCode is the shell's status of a process the signal ended: 128 plus
// its number (130 for SIGINT).
func (n *interruptNotice) exitCode() int {
	if s, ok := n.signal().(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}
