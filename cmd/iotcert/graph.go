package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/report"
)

const graphSynopsis = `graph [flags] PATH...

Lints the certificates as "iotcert lint" does and draws their hierarchy
(issuer → issued) as a Mermaid flowchart or a Graphviz DOT graph, each
certificate coloured by its worst finding, with a legend.`

func runGraph(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("graph", graphSynopsis, stderr)
	var cf chainFlags
	cf.register(fs)
	format := fs.String("format", "mermaid", "output format: "+strings.Join(report.GraphFormats, " or "))
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if *format != "mermaid" && *format != "dot" {
		fmt.Fprintf(stderr, "iotcert graph: --format %q: want %s\n", *format, strings.Join(report.GraphFormats, " or "))
		return exitUsage
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "iotcert graph: no input: give certificate files, directories, or - for standard input")
		return exitUsage
	}
	p, opts, err := cf.setup()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert graph: %v\n", err)
		return exitUsage
	}
	inOpts, err := cf.input.options()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert graph: %v\n", err)
		return exitUsage
	}
	items, read := cf.input.read(paths, stdin, inOpts)
	results, g, err := bundle.Run(p, items, cf.trustItems(stdin, inOpts), opts)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert graph: %v\n", err)
		return exitUsage
	}
	read.skipped("graph", stderr)
	if read.empty() && read.stats.Errors == 0 {
		read.finish("graph", stderr)
		return exitUsage
	}
	status := exitOK
	for _, res := range results {
		if res.SHA256 == "" || res.Role == "unknown" {
			for _, f := range res.Findings {
				fmt.Fprintf(stderr, "iotcert graph: %s\n", f.Details)
			}
			status = exitUsage
		}
	}
	if err := report.WriteGraph(stdout, g, *format); err != nil {
		fmt.Fprintf(stderr, "iotcert graph: %v\n", err)
		return exitUsage
	}
	if read.finish("graph", stderr) {
		return exitUsage
	}
	return status
}
