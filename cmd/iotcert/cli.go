package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/iotcert/iotcert/internal/editdistance"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/report"
)

// runFunc is a command written in the package's style: it parses its own
// flags from args with a flag set made by newFlagSet, writes to stdout and
// stderr, and returns the exit status.
type runFunc func(args []string, stdin io.Reader, stdout, stderr io.Writer) int

// command is one entry of the command table. The cobra tree is built from
// the table: cobra gives help, completion and suggestions, and the run
// function does the work with the arguments as given (see DEVELOPERS.md,
// "Adding a command").
type command struct {
	// path is the command's words after "iotcert": "lint", "gen devices".
	path string
	// short is the one-line summary of the command lists.
	short string
	// synopsis is the help text of a command that makes no flag set (a
	// group such as gen); the others' is the synopsis given to newFlagSet.
	synopsis string
	// example shows typical uses, one command line each (with # comments).
	example string
	// run does the work; for a group it runs when no subcommand matches.
	run runFunc
	// values lists the values of flags, for completion. Flags named
	// profile complete with the profile names anyway.
	values map[string][]string
	// args lists the arguments the command takes, for completion (nil:
	// files).
	args []string
}

// commands is the command table, parents before their subcommands.
var commands = []command{
	{path: "lint", short: "lint certificates and their chains", run: runLint,
		example: `  iotcert lint device.pem
  iotcert lint --trust roots.pem --expiry-horizon 90d --fail-on warn firmware/certs/
  iotcert lint --profile matter --format sarif dac.pem pai.pem > lint.sarif
  iotcert lint --spec spec.yaml out/        # the output of "iotcert gen"
  cat chain.pem | iotcert lint --fail-on none -`,
		values: map[string][]string{"format": report.Formats, "fail-on": {"error", "warn", "notice", "none"}, "validity-nesting": {"warn", "error"}}},
	{path: "graph", short: "draw the hierarchy as Mermaid or DOT, coloured by worst finding", run: runGraph,
		example: `  iotcert graph --trust roots.pem certs/ > hierarchy.mmd
  iotcert graph --format dot certs/ | dot -Tsvg > hierarchy.svg`,
		values: map[string][]string{"format": report.GraphFormats, "validity-nesting": {"warn", "error"}}},
	{path: "rules", short: "list lints with level, roles, source and citation", run: noStdin(runRules),
		example: `  iotcert rules
  iotcert rules --profile ldevid-8021ar --format markdown
  iotcert rules --catalogue --format json`,
		values: map[string][]string{"format": {"text", "json", "markdown"}}},
	{path: "profiles", short: "list the profiles of the rules", run: noStdin(runProfiles),
		example: `  iotcert profiles
  iotcert profiles --rules my-rules.yaml`},
	{path: "gen", short: "generate IDevID/LDevID hierarchies and devices", synopsis: genSynopsis, run: runGen,
		example: `  iotcert gen example > spec.yaml
  iotcert gen hierarchy spec.yaml --out pki
  iotcert gen devices spec.yaml --out pki --from devices.csv`},
	{path: "gen example", short: "print a commented example hierarchy spec",
		synopsis: "gen example [matter|est]\n\nPrints a commented example spec that works as it is (root, device CA,\nBACnet LDevIDs); \"example matter\": a Matter PAA/PAI/DAC one; \"example est\":\na manufacturer and an operator hierarchy for \"iotcert est\".",
		run: func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			return runGen(append([]string{"example"}, args...), stdin, stdout, stderr)
		},
		example: `  iotcert gen example > spec.yaml
  iotcert gen example matter > matter.yaml
  iotcert gen example est > est.yaml`,
		args: []string{"matter", "est"}},
	{path: "gen hierarchy", short: "create the CAs of a spec", run: noStdin(runGenHierarchy),
		example: `  iotcert gen hierarchy spec.yaml --out pki
  iotcert gen hierarchy spec.yaml --out pki --passphrase-env IOTCERT_CA_PASS
  iotcert gen hierarchy spec.yaml --out pki --ca device-ca --kms 'pkcs11:token=ca' --kms-pin-env PIN`},
	{path: "gen device", short: "issue one device certificate and key", run: noStdin(runGenDevice),
		example: `  iotcert gen device spec.yaml --out pki --ca device-ca --id 1234
  iotcert gen device spec.yaml --out pki --ca device-ca --id 1235 --set serial=SN1235
  iotcert gen device spec.yaml --out pki --ca device-ca --id 1234 --reissue "key compromise"`},
	{path: "gen devices", short: "issue a batch of devices from a CSV (resumable, journaled)", run: runGenDevices,
		example: `  iotcert gen devices spec.yaml --out pki --from devices.csv
  iotcert gen devices spec.yaml --out pki --from devices.csv --layout jsonl --workers 8
  iotcert gen devices spec.yaml --out pki --from devices.csv --progress=false
  iotcert gen devices spec.yaml --out pki --from recalled.csv --reissue "key compromise 2026-12"`,
		values: map[string][]string{"layout": {"dirs", "jsonl"}, "fail-on": {"error", "warn", "notice"}}},
	{path: "sign", short: "sign a device's CSR", run: runSign,
		example: `  iotcert sign spec.yaml --dir pki --ca device-ca --csr device.csr --id 5678 --out device.pem
  iotcert sign spec.yaml --dir pki --ca device-ca --csr - --id 5679 --chain < device.csr > chain.pem`},
	{path: "roll", short: "root CA key rollover", synopsis: rollSynopsis, run: noStdin(runRoll),
		example: `  iotcert roll plan --old pki/root
  iotcert roll execute --old pki/root --out pki-new
  iotcert roll verify --old pki/root --new pki-new --devices pki/devices`},
	{path: "roll plan", short: "print what a root key rollover will make", run: noStdin(rollPlan(false)),
		example: `  iotcert roll plan --old pki/root
  iotcert roll plan --old pki/root --spec newroot.yaml --resign pki/device-ca`},
	{path: "roll execute", short: "make the new root, link certificates and re-signed CAs", run: noStdin(rollPlan(true)),
		example: `  iotcert roll execute --old pki/root --out pki-new
  iotcert roll execute --old pki/root --out pki-2 --spec newroot.yaml --passphrase-env CA_PASS`},
	{path: "roll verify", short: "prove which device generations validate after a rollover", run: noStdin(runRollVerify),
		example: `  iotcert roll verify --old pki/root --new pki-new --devices pki/devices
  iotcert roll verify --old pki/root --new pki-new --at 2030-01-01 --format json`,
		values: map[string][]string{"format": {"text", "json"}}},
	{path: "serve", short: "REST lint API, web page and metrics", run: noStdin(runServe),
		example: `  iotcert serve
  iotcert serve --listen 127.0.0.1:8080 --trust factory=roots.pem
  iotcert serve --listen :8443 --tls-cert server.pem --tls-key server.key`},
	{path: "c509", short: "X.509 <-> C509 (CBOR-encoded X.509)", synopsis: c509Synopsis, run: runC509,
		example: `  iotcert c509 encode device.pem > device.c509
  iotcert c509 decode device.c509`},
	{path: "c509 encode", short: "re-encode an X.509 certificate as C509", run: c509Verb("encode"),
		example: `  iotcert c509 encode device.pem > device.c509
  iotcert c509 encode --out device.c509 device.der`},
	{path: "c509 decode", short: "decode a C509 certificate to X.509", run: c509Verb("decode"),
		example: `  iotcert c509 decode device.c509
  iotcert c509 decode --der --out device.der device.c509`},
	{path: "c509 verify", short: "check a C509 certificate's signature (and its X.509 twin)", run: c509Verb("verify"),
		example: `  iotcert c509 verify pki/devices/1234/cert.c509 --issuer pki/device-ca/cert.pem
  iotcert c509 verify pki/devices/1234/cert.c509 --issuer pki/device-ca/cert.pem --x509 pki/devices/1234/cert.pem`},
	{path: "size", short: "chain sizes: DER, C509, RFC 8879 compression", run: runSize,
		example: `  iotcert size chain.pem
  iotcert size --budget dtls13-record --trust root.pem certs/
  iotcert size --format json chain.pem`,
		values: map[string][]string{"format": {"text", "json"}, "budget": {"dtls13-record", "coap-block-512", "coap-block-1024"}}},
	{path: "est", short: "EST enrollment server (RFC 7030): IDevID-authenticated LDevID issuance", run: noStdin(runEst),
		example: `  iotcert est --spec est.yaml --dir pki --listen 127.0.0.1:8443 --tls-cert server.pem --tls-key server.key \\
      --idevid-trust pki/manufacturer-root/cert.pem --db pki/inventory.db
  iotcert est --spec est.yaml --dir pki --listen :8443 --tls-cert server.pem --tls-key server.key \\
      --idevid-trust mfr-root.pem --db inventory.db --rollover pki-new --device ldevid`},
	{path: "inventory", short: "the inventory of issued certificates (SQLite)", synopsis: inventorySynopsis, run: runInventory,
		example: `  iotcert inventory import --db pki/inventory.db pki/journal.jsonl
  iotcert inventory list --db pki/inventory.db`},
	{path: "inventory list", short: "list the recorded certificates", run: inventoryVerb("list"),
		example: `  iotcert inventory list --db inventory.db --status issued --format json`},
	{path: "inventory show", short: "show every certificate of a device", run: inventoryVerb("show"),
		example: `  iotcert inventory show --db inventory.db 1234`},
	{path: "inventory export", short: "write the records as journal lines", run: inventoryVerb("export"),
		example: `  iotcert inventory export --db inventory.db --out records.jsonl`},
	{path: "inventory import", short: "record the issued lines of journals", run: inventoryVerb("import"),
		example: `  iotcert inventory import --db inventory.db pki/journal.jsonl`},
	{path: "inventory revoke", short: "mark a certificate revoked", run: inventoryVerb("revoke"),
		example: `  iotcert inventory revoke --db inventory.db --issuer ldevid-ca --serial 1f2e`},
}

// noStdin adapts a command that reads no standard input.
func noStdin(run func(args []string, stdout, stderr io.Writer) int) runFunc {
	return func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return run(args, stdout, stderr) }
}

func rollPlan(execute bool) func(args []string, stdout, stderr io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int { return runRollPlan(args, execute, stdout, stderr) }
}

func inventoryVerb(verb string) runFunc {
	return func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return runInventoryCmd(verb, args, stdout, stderr)
	}
}

func c509Verb(verb string) runFunc {
	return func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		return runC509(append([]string{verb}, args...), stdin, stdout, stderr)
	}
}

const rootLong = `iotcert keeps IoT device PKIs honest: it lints certificates against the
TLS/DTLS 1.3 IoT certificate profile, RFC 7925 and IEEE 802.1AR, and
generates, signs and rolls over device hierarchies.

Durations (--expiry-horizon, spec validities) are whole numbers of years,
weeks, days and hours: 20y, 90d, 1y30d, 12h; "m" is refused (months or
minutes?). Flags may be written --flag or -flag.

Exit status: 0 ok, 1 findings at or above --fail-on (gen, sign: refused to
sign, roll: refused, inventory show and revoke: not in the inventory), 2
usage, rules, spec or input error, 130 interrupted.`

// flagRecorder is the stderr of a command run with -h to learn its flags:
// newFlagSet records the flag set and synopsis in it. Output is discarded.
type flagRecorder struct {
	fs       *flag.FlagSet
	synopsis string
}

func (*flagRecorder) Write(p []byte) (int, error) { return len(p), nil }

// flagsOf returns the flag set and synopsis of an old-style command.
func flagsOf(run runFunc) (*flag.FlagSet, string) {
	var rec flagRecorder
	run([]string{"-h"}, strings.NewReader(""), &rec, &rec)
	return rec.fs, rec.synopsis
}

// cli is one run of the command line.
type cli struct {
	root           *cobra.Command
	stdin          io.Reader
	stdout, stderr io.Writer
	code           int
	args           []string // as given, for the run functions
	byCmd          map[*cobra.Command]runFunc
	entries        map[*cobra.Command]*command // not loaded yet
}

// load gives cmd, when it is a table command, its flags, usage line and
// description. It runs the command with -h to learn them (flagsOf), so it
// is done only for the commands a run needs.
func (c *cli) load(cmd *cobra.Command) {
	e := c.entries[cmd]
	if e == nil {
		return
	}
	delete(c.entries, cmd)
	synopsis := e.synopsis
	if synopsis == "" {
		fs, s := flagsOf(e.run)
		if fs != nil {
			cmd.Flags().AddGoFlagSet(fs)
		}
		synopsis = s
	}
	if use, long, _ := strings.Cut(synopsis, "\n"); e.synopsis == "" && strings.HasPrefix(use, e.path+" ") {
		// One usage line: it goes to Usage, the rest is the description.
		cmd.Use = cmd.Name() + strings.TrimPrefix(use, e.path)
		cmd.Long = strings.TrimSpace(long)
	} else {
		cmd.Long = "iotcert " + synopsis
	}
	c.completeValues(cmd, e.values)
}

// loadAll loads every command, for completion.
func (c *cli) loadAll() {
	for cmd := range c.entries {
		c.load(cmd)
	}
}

func init() {
	cobra.EnableCommandSorting = false // the table's order
	// The build information is read only when --version asks for it.
	cobra.AddTemplateFunc("moduleVersion", moduleVersion)
}

// newCLI builds the command tree from the command table.
func newCLI(stdin io.Reader, stdout, stderr io.Writer) *cli {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, byCmd: map[*cobra.Command]runFunc{}, entries: map[*cobra.Command]*command{}}
	root := &cobra.Command{
		Use:           "iotcert",
		Short:         "keeps IoT device PKIs honest",
		Long:          rootLong,
		Version:       "see the version template",
		SilenceErrors: true,
		SilenceUsage:  true,
		Example: `  iotcert lint --trust roots.pem firmware/certs/
  iotcert help lint
  iotcert completion bash > /etc/bash_completion.d/iotcert`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			cmd.SetOut(c.stderr)
			cmd.Help()
			c.code = exitUsage
			return nil
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("{{moduleVersion}}")
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &flagError{err} })
	c.root = root
	byPath := map[string]*cobra.Command{"": root}
	for i, e := range commands {
		parentPath, name := "", e.path
		if j := strings.LastIndexByte(e.path, ' '); j >= 0 {
			parentPath, name = e.path[:j], e.path[j+1:]
		}
		cmd := &cobra.Command{
			Use:       name,
			Short:     e.short,
			Example:   e.example,
			Args:      cobra.ArbitraryArgs,
			ValidArgs: e.args,

			SuggestionsMinimumDistance: 2,
		}
		c.byCmd[cmd] = e.run
		c.entries[cmd] = &commands[i]
		cmd.RunE = func(cmd *cobra.Command, args []string) error { return c.runCommand(cmd, args) }
		byPath[parentPath].AddCommand(cmd)
		byPath[e.path] = cmd
	}
	root.AddCommand(versionCommand(c))
	root.SetHelpCommand(helpCommand(c))
	root.InitDefaultCompletionCmd()
	for _, cmd := range root.Commands() {
		if cmd.Name() == "completion" {
			cmd.Example = `  iotcert completion bash > ~/.local/share/bash-completion/completions/iotcert
  source <(iotcert completion bash)
  iotcert completion zsh > "${fpath[1]}/_iotcert"
  iotcert completion fish > ~/.config/fish/completions/iotcert.fish`
			for _, sub := range cmd.Commands() {
				sub.Example = "  iotcert completion " + sub.Name() + " > iotcert-completion." + sub.Name()
			}
		}
	}
	return c
}

// runCommand runs a table command with its arguments as given: cobra has
// parsed them only to check them and to answer --help.
func (c *cli) runCommand(cmd *cobra.Command, args []string) error {
	if cmd.HasSubCommands() && len(args) > 0 {
		if len(cmd.SuggestionsFor(args[0])) > 0 {
			return unknownCommand(cmd, args[0])
		}
	}
	c.code = c.byCmd[cmd](commandArgs(cmd, c.args), c.stdin, c.stdout, c.stderr)
	return nil
}

// commandArgs returns args without the words of cmd's path.
func commandArgs(cmd *cobra.Command, args []string) []string {
	var words []string
	for p := cmd; p.HasParent(); p = p.Parent() {
		words = append([]string{p.Name()}, words...)
	}
	rest := slices.Clone(args)
	i := 0
	for _, w := range words {
		j := slices.Index(rest[i:], w)
		if j < 0 {
			break
		}
		rest = slices.Delete(rest, i+j, i+j+1)
		i += j
	}
	return rest
}

// completeValues registers the completion of cmd's flag values.
func (c *cli) completeValues(cmd *cobra.Command, values map[string][]string) {
	for name, vals := range values {
		if cmd.Flags().Lookup(name) != nil {
			cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(vals, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	if cmd.Flags().Lookup("profile") != nil {
		cmd.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			rules, err := profile.LoadDefault()
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			return rules.Names(), cobra.ShellCompDirectiveNoFileComp
		})
	}
}

// helpCommand is "iotcert help [COMMAND]": help on standard output, or a
// usage error for an unknown command.
func helpCommand(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "show help for any command",
		Long:  "Shows the help of a command, or of iotcert, on standard output.",
		Example: `  iotcert help lint
  iotcert help gen devices`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range target.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := c.root.Find(args)
			if err != nil {
				return err
			}
			if len(rest) > 0 {
				return unknownCommand(target, rest[0])
			}
			c.load(target)
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}

// flagError is a flag that cobra could not parse.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCLI(stdin, stdout, stderr)
	c.args = args
	target, _, err := c.root.Find(args)
	if len(args) > 0 && strings.HasPrefix(args[0], "__complete") {
		c.loadAll()
	} else if err == nil {
		c.load(target)
		target.InitDefaultHelpFlag()
		args = goStyleFlags(target.Flags(), args)
	}
	c.root.SetArgs(args)
	cmd, err := c.root.ExecuteC()
	var fe *flagError
	switch {
	case err == nil:
		return c.code
	case errors.As(err, &fe) && cmd == c.root && len(c.args) > 0 && !strings.HasPrefix(c.args[0], "-"):
		// "iotcert lnt --trust x": the command is what is wrong.
		err = unknownCommand(cmd, c.args[0])
	case errors.As(err, &fe) && cmd.HasSubCommands() && c.byCmd[cmd] != nil && firstIsWord(commandArgs(cmd, c.args)):
		// "iotcert inventory drop --db x": the subcommand is what is
		// wrong, and the group says so, as it always has.
		return c.byCmd[cmd](commandArgs(cmd, c.args), c.stdin, c.stdout, c.stderr)
	case errors.As(err, &fe):
		name, unknown := strings.CutPrefix(fe.err.Error(), "unknown flag: --")
		if run := c.byCmd[cmd]; !unknown && run != nil {
			// A value the flag refuses, or a missing one: the command
			// itself says why, as it always has.
			return run(commandArgs(cmd, c.args), c.stdin, c.stdout, c.stderr)
		}
		if !unknown {
			fmt.Fprintf(stderr, "%s: %v\nRun \"%s --help\" for usage.\n", cmd.CommandPath(), fe.err, cmd.CommandPath())
			return exitUsage
		}
		fmt.Fprintf(stderr, "%s: flag provided but not defined: -%s%s\nRun \"%s --help\" for usage.\n",
			cmd.CommandPath(), name, suggest(flagSuggestions(cmd, name), "--"), cmd.CommandPath())
		return exitUsage
	}
	fmt.Fprintf(stderr, "iotcert: %v\nRun \"%s --help\" for usage.\n", err, cmd.CommandPath())
	return exitUsage
}

// firstIsWord reports whether args start with a word that is not a flag.
func firstIsWord(args []string) bool { return len(args) > 0 && !strings.HasPrefix(args[0], "-") }

// unknownCommand is the error of a name that is no subcommand of cmd,
// with the names close to it.
func unknownCommand(cmd *cobra.Command, name string) error {
	return fmt.Errorf("unknown command %q for %q%s", name, cmd.CommandPath(), suggest(cmd.SuggestionsFor(name), ""))
}

// suggest formats suggestions, each with prefix, as cobra does.
func suggest(names []string, prefix string) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nDid you mean this?\n")
	for _, n := range names {
		fmt.Fprintf(&b, "\t%s%s\n", prefix, n)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// flagSuggestions returns cmd's flags whose names are close to name: at
// most cobra's suggestion distance apart, or starting with it.
func flagSuggestions(cmd *cobra.Command, name string) []string {
	var out []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if editdistance.Levenshtein(strings.ToLower(name), f.Name) <= max(cmd.SuggestionsMinimumDistance, 2) ||
			strings.HasPrefix(f.Name, strings.ToLower(name)) {
			out = append(out, f.Name)
		}
	})
	return out
}

// goStyleFlags rewrites the Go-style long flags of args ("-trust x",
// "-format=json", "-help") as pflag reads them ("--trust x"). A word is
// rewritten when it names a long flag of fs (or is not made of shorthand
// flags); flag values and the words after "--" are left alone.
func goStyleFlags(fs *pflag.FlagSet, args []string) []string {
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, hasValue := strings.TrimLeft(a, "-"), false
		if n, _, ok := strings.Cut(name, "="); ok {
			name, hasValue = n, true
		}
		if a[1] != '-' && len(name) > 1 {
			if fs.Lookup(name) != nil || fs.ShorthandLookup(name[:1]) == nil {
				out[i] = "-" + a
			}
		}
		if f := fs.Lookup(name); f != nil && !hasValue && f.NoOptDefVal == "" && strings.HasPrefix(out[i], "--") {
			i++ // the flag's value
		}
	}
	return out
}
