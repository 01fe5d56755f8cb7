package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/iotcert/iotcert/profile"
)

const rulesSynopsis = `rules [flags]

Without --profile, lists every iotcert lint with the profiles that run it.
With --profile, lists every lint that profile runs (zlint's included) with
the level it reports at.`

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("rules", rulesSynopsis, stderr)
	var rf rulesFlags
	rf.register(fs)
	profileName := fs.String("profile", "", "list the lints this profile runs")
	format := fs.String("format", "text", "output format: text, json or markdown")
	if rest, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	} else if len(rest) > 0 {
		fmt.Fprintf(stderr, "iotcert rules: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	rules, err := rf.load()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert rules: %v\n", err)
		return exitUsage
	}
	var entries []profile.CatalogueEntry
	if *profileName == "" {
		entries = rules.Catalogue()
	} else {
		p, err := rules.Profile(*profileName)
		if err != nil {
			fmt.Fprintf(stderr, "iotcert rules: %v\n", err)
			return exitUsage
		}
		for _, li := range p.Lints() {
			entries = append(entries, profile.CatalogueEntry{LintInfo: li, Profiles: []string{p.Name}})
		}
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			fmt.Fprintf(stderr, "iotcert rules: %v\n", err)
			return exitUsage
		}
	case "markdown":
		fmt.Fprintln(stdout, "| lint | level | roles | source | profiles | citation | description |")
		fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|")
		for _, e := range entries {
			fmt.Fprintf(stdout, "| `%s` | %s | %s | %s | %s | %s | %s |\n", e.Name, e.Level, e.Roles, e.Source,
				strings.Join(e.Profiles, ", "), mdEscape(e.Citation), mdEscape(e.Description))
		}
	case "text":
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "LINT\tLEVEL\tROLES\tSOURCE\tCITATION")
		for _, e := range entries {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.Level, e.Roles, e.Source, e.Citation)
		}
		tw.Flush()
		fmt.Fprintf(stdout, "\n%d lints\n", len(entries))
	default:
		fmt.Fprintf(stderr, "iotcert rules: unknown format %q (want text, json or markdown)\n", *format)
		return exitUsage
	}
	return exitOK
}

func mdEscape(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
}

const profilesSynopsis = `profiles [flags]

Lists the profiles of the rules with what they extend and check.`

func runProfiles(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("profiles", profilesSynopsis, stderr)
	var rf rulesFlags
	rf.register(fs)
	if rest, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	} else if len(rest) > 0 {
		fmt.Fprintf(stderr, "iotcert profiles: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	rules, err := rf.load()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert profiles: %v\n", err)
		return exitUsage
	}
	for _, name := range rules.Names() {
		p, _ := rules.Profile(name)
		fmt.Fprintf(stdout, "%s", p.Name)
		if p.Extends != "" {
			fmt.Fprintf(stdout, " (extends %s)", p.Extends)
		}
		if p.Device != "" {
			fmt.Fprintf(stdout, " [end entities linted as %s]", p.Device)
		}
		fmt.Fprintf(stdout, "\n    %s\n    reference: %s\n    %d lints from %v\n", strings.Join(strings.Fields(p.Description), " "), p.Reference, len(p.Lints()), p.Sources)
	}
	return exitOK
}
