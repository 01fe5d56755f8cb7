package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/profile"
)

// parseInterleaved parses fs from args, allowing flags after positional
// arguments ("iotcert lint a.pem --format json"). "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// newFlagSet returns a flag set that reports errors to stderr with the
// command's usage. synopsis is the command's help: its first line the
// usage after "iotcert", then the description. Each command makes its flag
// set with newFlagSet, which gives it to the command tree (cli.go) when
// stderr is a flagRecorder.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: iotcert %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	if r, ok := stderr.(*flagRecorder); ok {
		r.fs, r.synopsis = fs, synopsis
		fs.Usage = func() {} // nobody reads it
	}
	return fs
}

// usageFailure returns the usage error of command cmd: a function that
// writes "iotcert CMD: " and the formatted message to stderr and returns
// exitUsage.
func usageFailure(stderr io.Writer, cmd string) func(format string, a ...any) int {
	return func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iotcert %s: %s\n", cmd, fmt.Sprintf(format, a...))
		return exitUsage
	}
}

// emptyReissue reports whether --reissue was given an empty REASON. A
// reissue is journaled with its reason, so an empty one (an unset shell
// variable, say) is refused rather than read as no reissue at all.
func emptyReissue(fs *flag.FlagSet) bool {
	empty := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "reissue" && f.Value.String() == "" {
			empty = true
		}
	})
	return empty
}

// reissueReasonMsg is the usage error of an empty --reissue REASON.
const reissueReasonMsg = "--reissue needs a REASON: it is journaled with the serial it replaces"

// flagExit maps a flag parsing error to an exit status.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// rulesFlags are the flags that choose the rules.
type rulesFlags struct {
	rulesFile string
}

func (r *rulesFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.rulesFile, "rules", "", "rules `FILE` loaded over the embedded default rules.yaml (its profiles are added or replace same-named ones; \"replace_default: true\" drops the defaults)")
}

// load loads the embedded rules and the rules file, if one was given.
func (r *rulesFlags) load() (*profile.Rules, error) {
	if r.rulesFile == "" {
		return profile.LoadDefault()
	}
	data, err := boundedread.ReadFile(r.rulesFile, boundedread.Config)
	if err != nil {
		return nil, fmt.Errorf("rules file: %w", err)
	}
	return profile.Load(profile.RulesFile{Name: r.rulesFile, Data: data})
}
