package main

import (
	"flag"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/duration"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/report"
)

const lintSynopsis = `lint [flags] PATH...

Lints every certificate in the given files (PEM, DER, PKCS#7 as EST
/cacerts serves it, PKCS#12 trust stores), in directories (recursively)
and, for "-", on standard input, and checks the chains
between them (who issued whom, signatures, key identifiers, path length,
name constraints, validity, algorithms, key reuse, expiry): a firmware
bundle is gated by pointing lint at it. Inputs that are not certificates
are reported in place (a fatal finding) and linting goes on; private
keys and issuance journals are skipped and counted, and devices.jsonl is
read record by record, so that lint --spec SPEC DIR checks the output of
"iotcert gen". Inputs that
hold no certificate at all (an empty directory, empty standard input, an
--include that matches nothing) are an error (exit 2) unless
--allow-empty is given.`

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// chainFlags are the flags of chain building, shared by lint and graph.
type chainFlags struct {
	rules   rulesFlags
	input   inputFlags
	profile string
	guess   bool
	trust   listFlag
	horizon string
	at      string
	nesting string
	enable  listFlag
	disable listFlag

	matterCDFile  string
	matterCDTrust listFlag
	matterProduct string
}

func (c *chainFlags) register(fs *flag.FlagSet) {
	c.rules.register(fs)
	c.input.register(fs)
	fs.StringVar(&c.profile, "profile", "tls13-iot", "profile to lint with (see \"iotcert profiles\")")
	fs.BoolVar(&c.guess, "guess-devid", false, "when the profile names no device kind, guess IDevID or LDevID per end entity (reported as a notice)")
	fs.Var(&c.trust, "trust", "certificates in `FILE` (PEM, DER, PKCS#7 or a directory) are the trust anchors of the path verdict: they end chains and are not reported (repeatable)")
	fs.StringVar(&c.horizon, "expiry-horizon", "", "also report every certificate that expires within `DURATION` (e.g. 90d, 1y30d, 12h; units y, w, d, h) as e_chain_expiring (one already expired is always e_chain_expired)")
	fs.StringVar(&c.at, "at", "", "judge validity (expired, not yet valid) and the path verdict at `TIME` (RFC 3339, e.g. 2027-01-31T00:00:00Z, or a date, 2027-01-31) instead of now, e.g. the day the firmware ships")
	fs.StringVar(&c.nesting, "validity-nesting", "warn", "level of w_chain_validity_outside_issuer: warn or error")
	fs.Var(&c.enable, "enable-check", "run the optional chain check `NAME` (repeatable; see \"iotcert rules\")")
	fs.Var(&c.disable, "disable-check", "do not run the chain check `NAME` (repeatable)")
	fs.StringVar(&c.matterCDFile, "matter-cd", "", "under --profile matter, check the DACs against the CMS-signed Certification Declaration in `FILE` (DER), as the Matter SDK does")
	fs.Var(&c.matterCDTrust, "matter-cd-trust", "verify the --matter-cd signature with the CD signing certificates in `FILE` (PEM or DER; repeatable); without it the signature is not verified (a notice)")
	fs.StringVar(&c.matterProduct, "matter-product", "", "with --matter-cd, the device's Basic Information vendor and product ID, `VID:PID` in hexadecimal (0xFFF1:0x8000)")
}

// setup loads the profile and turns the flags into bundle options.
func (c *chainFlags) setup() (*profile.Profile, bundle.Options, error) {
	var opts bundle.Options
	rules, err := c.rules.load()
	if err != nil {
		return nil, opts, err
	}
	p, err := rules.Profile(c.profile)
	if err != nil {
		return nil, opts, err
	}
	if c.guess {
		p = p.WithDeviceGuessing()
	}
	opts.Profiles = lineage.Of(rules, p)
	if c.at != "" {
		t, err := bundle.ParseTime(c.at)
		if err != nil {
			return nil, opts, fmt.Errorf("--at: %v", err)
		}
		opts.Clock = func() time.Time { return t }
	}
	if c.horizon != "" {
		d, err := duration.Parse(c.horizon)
		if err != nil {
			return nil, opts, fmt.Errorf("--expiry-horizon: %v", err)
		}
		// Years count from the instant the bundle judges at: --at, or
		// now, read once for both.
		now := time.Now()
		if opts.Clock != nil {
			now = opts.Clock()
		} else {
			opts.Clock = func() time.Time { return now }
		}
		opts.CheckExpiry, opts.ExpiryHorizon = true, d.From(now)
	}
	switch c.nesting {
	case "warn":
		opts.ValidityNesting = profile.Warn
	case "error":
		opts.ValidityNesting = profile.Error
	default:
		return nil, opts, fmt.Errorf("--validity-nesting %q: want warn or error", c.nesting)
	}
	opts.Enable, opts.Disable = c.enable, c.disable
	if opts.MatterCD, err = c.matterCD(opts.Profiles); err != nil {
		return nil, opts, err
	}
	if _, err := bundle.New(opts); err != nil {
		return nil, opts, checkFlagHint(err, opts.Enable)
	}
	return p, opts, nil
}

// trustItems returns the --trust certificates, or nil.
func (c *chainFlags) trustItems(stdin io.Reader, opts certio.Options) iter.Seq[certio.Item] {
	if len(c.trust) == 0 {
		return nil
	}
	return readAnchors(c.trust, stdin, opts)
}

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("lint", lintSynopsis, stderr)
	var cf chainFlags
	cf.register(fs)
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats, ", "))
	failOn := fs.String("fail-on", "error", "exit 1 when a finding is at or above this `LEVEL`: notice, warn or error; none: never (inputs that are not certificates still exit 2)")
	tmpDir := fs.String("tmp", "", "write the temporary files (results and end-entity records while the chains are built, JUnit test cases; mode 0600, removed at once) to `DIR` instead of $TMPDIR")
	specPath := fs.String("spec", "", "lint each certificate with the profile the hierarchy `SPEC` of \"iotcert gen\" gives it: each CA with its CA's, devices with their device profile's, others with the spec's default (instead of --profile and --rules)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	threshold, ok := profile.ParseLevel(*failOn)
	if *failOn == "none" {
		// Findings never fail the run; fatal ones (inputs that are not
		// certificates) still exit 2.
		threshold, ok = profile.Fatal, true
	} else if threshold == profile.Fatal {
		ok = false
	}
	if !ok {
		fmt.Fprintf(stderr, "iotcert lint: --fail-on %q: want notice, warn, error or none\n", *failOn)
		return exitUsage
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "iotcert lint: no input: give certificate files, directories, or - for standard input")
		return exitUsage
	}
	p, opts, err := cf.setup()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
		return exitUsage
	}
	name, infos := p.Name, func() []profile.LintInfo { return bundle.LintInfos(p) }
	if *specPath != "" {
		sp, err := lintSpec(fs, *specPath, &opts)
		if err != nil {
			fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
			return exitUsage
		}
		p, name, infos = sp.fallback, sp.name(), sp.lintInfos
	}
	inOpts, err := cf.input.options()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
		return exitUsage
	}
	if _, err := report.New(*format, io.Discard, report.Options{}); err != nil {
		fmt.Fprintf(stderr, "iotcert lint: --format: %v\n", err)
		return exitUsage
	}
	// Chain findings are known only when every certificate is in, so the
	// results (and the records of end entities) are spooled to temporary
	// files and written in input order at the end, with their chain
	// findings; see docs/bundle.md.
	opts.TempDir = *tmpDir
	items, read := cf.input.read(paths, stdin, inOpts)
	spool, err := bundle.Spool(p, items, cf.trustItems(stdin, inOpts), opts)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
		return exitUsage
	}
	defer spool.Close()
	read.skipped("lint", stderr)
	if read.empty() && read.stats.Errors == 0 {
		// Nothing was judged: no report, which would say PASS.
		read.finish("lint", stderr)
		return exitUsage
	}
	var rules []profile.LintInfo
	if report.DescribesRules(*format) {
		rules = infos()
	}
	w, err := report.New(*format, stdout, report.Options{Profile: name, FailOn: threshold, Graph: spool.Graph, Rules: rules, TempDir: *tmpDir})
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: --format: %v\n", err)
		return exitUsage
	}
	var sum profile.Summary
	for res, err := range spool.Results() {
		if err != nil {
			fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
			return exitUsage
		}
		sum.Add(res)
		if err := w.Certificate(res); err != nil {
			fmt.Fprintf(stderr, "iotcert lint: writing report: %v\n", err)
			return exitUsage
		}
		if len(res.Findings) == 1 && res.Findings[0].Lint == profile.InputErrorLint {
			fmt.Fprintf(stderr, "iotcert lint: %s\n", res.Findings[0].Details)
		}
	}
	if err := w.Close(sum); err != nil {
		fmt.Fprintf(stderr, "iotcert lint: writing report: %v\n", err)
		return exitUsage
	}
	switch {
	case read.finish("lint", stderr):
		return exitUsage
	case sum.Findings.Fatal > 0:
		return exitUsage
	case sum.WorstLevel() >= threshold:
		return exitFindings
	}
	return exitOK
}
