package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/report"
)

const lintSynopsis = `lint [flags] PATH...

Lints every certificate in the given PEM or DER files, in directories
(recursively) and, for "-", on standard input. Inputs that are not
certificates are reported in place (a fatal finding) and linting goes on.`

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("lint", lintSynopsis, stderr)
	var rf rulesFlags
	rf.register(fs)
	var in inputFlags
	in.register(fs)
	profileName := fs.String("profile", "tls13-iot", "profile to lint with (see \"iotcert profiles\")")
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats, ", "))
	failOn := fs.String("fail-on", "error", "exit 1 when a finding is at or above this level: notice, warn or error")
	guess := fs.Bool("guess-devid", false, "when the profile names no device kind, guess IDevID or LDevID per end entity (reported as a notice)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	threshold, ok := profile.ParseLevel(*failOn)
	if !ok || threshold == profile.Fatal {
		fmt.Fprintf(stderr, "iotcert lint: --fail-on %q: want notice, warn or error\n", *failOn)
		return exitUsage
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "iotcert lint: no input: give certificate files, directories, or - for standard input")
		return exitUsage
	}
	rules, err := rf.load()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
		return exitUsage
	}
	p, err := rules.Profile(*profileName)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
		return exitUsage
	}
	if *guess {
		p = p.WithDeviceGuessing()
	}
	w, err := report.New(*format, stdout, report.Options{Profile: p.Name, FailOn: threshold, Rules: p.Lints()})
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: --format: %v\n", err)
		return exitUsage
	}
	opts, err := in.options()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert lint: %v\n", err)
		return exitUsage
	}
	var sum profile.Summary
	for it := range certio.ReadWith(paths, stdin, opts) {
		res := p.LintItem(it)
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
	case sum.Findings.Fatal > 0:
		return exitUsage
	case sum.WorstLevel() >= threshold:
		return exitFindings
	}
	return exitOK
}
