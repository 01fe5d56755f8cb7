package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

const genSynopsis = `gen example [matter|est] | gen hierarchy SPEC --out DIR [--force] [--kms URI] | gen device SPEC --out DIR --ca NAME --id ID [--device PROFILE] [--set NAME=VALUE ...] [--reissue REASON] [--kms URI] [--db FILE] | ` + genDevicesSynopsis + `

  example     print a commented example spec that works as it is (root, device
              CA, BACnet LDevIDs); "example matter": a Matter PAA/PAI/DAC one;
              "example est": IDevID and LDevID hierarchies for iotcert est
  hierarchy   create every CA of SPEC: DIR/<ca>/cert.pem and key.pem (0600),
              or key.ref (a pkcs11: URI) with --kms
  device      issue one device: DIR/devices/<id>/cert.pem, key.pem, chain.pem
  devices     issue a batch from a CSV on every core, journaled in DIR/journal.jsonl;
              run it again after a stop to finish it (each device is issued once)

Every certificate is linted with its profile before it is signed; one with
an error finding is refused (exit 1) with the findings. See docs/generate.md.`

func runGen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "Usage: iotcert %s\n", genSynopsis)
		return exitUsage
	}
	switch args[0] {
	case "example":
		var name string
		if len(args) > 1 && args[1] != "-h" && args[1] != "--help" && args[1] != "-help" {
			name = strings.Join(args[1:], " ")
		}
		spec := ldevid.ExampleSpec(name)
		if spec == nil {
			fmt.Fprintf(stderr, "iotcert gen example: unknown example %q (want none, matter or est)\n", name)
			return exitUsage
		}
		stdout.Write(spec)
		return exitOK
	case "hierarchy":
		return runGenHierarchy(args[1:], stdout, stderr)
	case "device":
		return runGenDevice(args[1:], stdout, stderr)
	case "devices":
		return runGenDevices(args[1:], stdin, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(stdout, "Usage: iotcert %s\n", genSynopsis)
		return exitOK
	}
	fmt.Fprintf(stderr, "iotcert gen: unknown subcommand %q\n\nUsage: iotcert %s\n", args[0], genSynopsis)
	return exitUsage
}

// keyFlags choose how keys are protected.
type keyFlags struct {
	passFile, passEnv             caPassFlag // FILE or NAME for every CA key, CA=FILE or CA=NAME for one
	devicePassFile, devicePassEnv string
	kms                           kmsFlags // --kms: CA keys in a PKCS#11 token (keys_flags.go); close with kms.close
}

func (k *keyFlags) register(fs *flag.FlagSet, devices bool) {
	fs.Var(&k.passFile, "passphrase-file", "encrypt (or decrypt) CA keys with the passphrase in `FILE` (first line); CA=FILE for the key of one CA (repeatable)")
	fs.Var(&k.passEnv, "passphrase-env", "encrypt (or decrypt) CA keys with the passphrase in environment variable `NAME`; CA=NAME for the key of one CA (repeatable)")
	if devices {
		fs.StringVar(&k.devicePassFile, "device-passphrase-file", "", "encrypt device keys with the passphrase in `FILE`")
		fs.StringVar(&k.devicePassEnv, "device-passphrase-env", "", "encrypt device keys with the passphrase in environment variable `NAME`")
	}
	k.kms.register(fs)
}

// caPassFlag collects --passphrase-file or --passphrase-env: a value
// for the keys of every CA, and CA=value for the key of the CA called
// CA. A value is taken as CA=value when the part before its first '='
// holds no path separator ("./a=b" is the file a=b).
type caPassFlag struct {
	all   string
	perCA map[string]string
}

func (p *caPassFlag) String() string {
	if p == nil {
		return ""
	}
	return p.all
}

func (p *caPassFlag) Set(v string) error {
	if ca, val, ok := strings.Cut(v, "="); ok && ca != "" && !strings.ContainsAny(ca, `/\`) {
		if val == "" {
			return fmt.Errorf("%q: want CA=VALUE", v)
		}
		if p.perCA == nil {
			p.perCA = map[string]string{}
		}
		if _, dup := p.perCA[ca]; dup {
			return fmt.Errorf("CA %s given twice", ca)
		}
		p.perCA[ca] = val
		return nil
	}
	if p.all != "" {
		return errors.New("given twice for every CA (CA=VALUE gives the passphrase of one CA)")
	}
	p.all = v
	return nil
}

func passphrase(file, env string) ([]byte, error) {
	switch {
	case file != "" && env != "":
		return nil, errors.New("give a passphrase file or an environment variable, not both")
	case file != "":
		return keys.ReadPassphrase(file)
	case env != "":
		return keys.PassphraseFromEnv(env)
	}
	return nil, nil
}

// backends returns the key backends of CA keys and of device keys. With
// --kms, CA keys are in the token: call k.kms.close when done. A CA
// named by --passphrase-file CA=FILE or --passphrase-env CA=NAME has its
// key files encrypted with its own passphrase; the others with the one
// given for every CA (or none).
func (k *keyFlags) backends() (ca, device keys.Backend, err error) {
	caPass, err := passphrase(k.passFile.all, k.passEnv.all)
	if err != nil {
		return nil, nil, err
	}
	devPass, err := passphrase(k.devicePassFile, k.devicePassEnv)
	if err != nil {
		return nil, nil, err
	}
	caFiles, err := keys.NewFileKeys(keys.WithPassphrase(caPass))
	if err != nil {
		return nil, nil, err
	}
	devKeys, err := keys.NewFileKeys(keys.WithPassphrase(devPass))
	if err != nil {
		return nil, nil, err
	}
	perCA := map[string]keys.Backend{}
	for _, name := range caPassNames(&k.passFile, &k.passEnv) {
		file, env := k.passFile.perCA[name], k.passEnv.perCA[name]
		pass, err := passphrase(file, env)
		if err != nil {
			return nil, nil, fmt.Errorf("CA %s: %w", name, err)
		}
		if perCA[name], err = keys.NewFileKeys(keys.WithPassphrase(pass)); err != nil {
			return nil, nil, err
		}
	}
	caKeys, err := k.kms.caKeys(caFiles, perCA)
	if err != nil {
		return nil, nil, err
	}
	return caKeys, devKeys, nil
}

// caPassNames returns the CA names of per-CA passphrases, sorted.
func caPassNames(flags ...*caPassFlag) []string {
	seen := map[string]bool{}
	var names []string
	for _, f := range flags {
		for n := range f.perCA {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// checkCAs refuses per-CA passphrases for names that are not CAs of spec.
func (k *keyFlags) checkCAs(spec *ldevid.Spec) error {
	for _, n := range caPassNames(&k.passFile, &k.passEnv) {
		if spec.CA(n) == nil {
			return fmt.Errorf("passphrase for CA %q: not a CA of %s", n, spec.Name)
		}
	}
	return nil
}

// loadHierarchy reads the spec and prepares a Hierarchy with kb.
func loadHierarchy(path string, kb keys.Backend) (*ldevid.Hierarchy, error) {
	spec, err := ldevid.ReadSpec(path)
	if err != nil {
		return nil, err
	}
	return ldevid.New(spec, ldevid.WithKeys(kb))
}

// refusalExit prints err and returns 1 for a refusal, 2 otherwise.
func refusalExit(cmd string, err error, stderr io.Writer) int {
	fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
	var refused *ldevid.RefusedError
	if errors.As(err, &refused) {
		return exitFindings
	}
	return exitUsage
}

func runGenHierarchy(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen hierarchy", "gen hierarchy SPEC --out DIR [--ca NAME] [--force] [--passphrase-file [CA=]FILE | --passphrase-env [CA=]NAME | --kms URI [--kms-pin-env NAME]]", stderr)
	out := fs.String("out", "", "output `DIR`: DIR/<ca-name>/cert.pem and key.pem for every CA")
	only := fs.String("ca", "", "create only the CA called `NAME`, under its parent in DIR (only the parent's key is opened: a subordinate CA under an offline root)")
	force := fs.Bool("force", false, "replace existing CA material in DIR (every certificate the old keys signed is orphaned)")
	var kf keyFlags
	kf.register(fs, false)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || *out == "" {
		fmt.Fprintln(stderr, "iotcert gen hierarchy: want one SPEC and --out DIR")
		return exitUsage
	}
	if kf.kms.uri != "" && (kf.passFile.all != "" || kf.passEnv.all != "") {
		fmt.Fprintln(stderr, "iotcert gen hierarchy: --passphrase-* encrypt key files; keys in a token (--kms) are not files")
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", err)
		return exitUsage
	}
	kf.kms.duplicateLabels = *force
	caKeys, _, err := kf.backends()
	if err != nil {
		return fail(err)
	}
	defer kf.kms.close()
	h, err := loadHierarchy(pos[0], caKeys)
	if err != nil {
		return fail(err)
	}
	if err := kf.checkCAs(h.Spec()); err != nil {
		return fail(err)
	}
	for _, c := range h.Spec().CAs {
		// A write killed half-way leaves its temporary file (a key, maybe).
		if _, err := store.RemoveStaleCAFiles(*out, c.Name); err != nil {
			return fail(err)
		}
	}
	plan, err := planHierarchy(h.Spec(), *out, *only, *force)
	if err != nil {
		return fail(err)
	}
	if kf.kms.uri != "" {
		// CA=FILE opens a kept parent's key file; the keys made go to the token.
		for _, n := range plan.toMake() {
			if kf.passFile.perCA[n] != "" || kf.passEnv.perCA[n] != "" {
				return fail(fmt.Errorf("--passphrase-* %s=...: the key of CA %q is made in the token (--kms), not as a file", n, n))
			}
		}
	}
	if err := kf.kms.checkLabels(plan.toMake()); err != nil {
		return fail(err)
	}
	for _, step := range plan {
		ca, err := step.run(h, *out, caKeys)
		if err != nil {
			// No key.ref names the key made for this CA: do not leave it
			// in the token. The CAs written before it are kept: a re-run
			// completes the hierarchy.
			if derr := kf.kms.discard(); derr != nil {
				fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", derr)
			}
			return refusalExit("gen hierarchy", err, stderr)
		}
		if step.state == caKept {
			fmt.Fprintf(stdout, "%s\t%s\t%s\t(kept)\n", ca.Spec.Name, store.CADir(*out, ca.Spec.Name), ca.Cert.Subject)
			continue
		}
		if err := store.WriteCA(*out, ca.Spec.Name, ca.Cert, ca.Key, *force); err != nil {
			if derr := kf.kms.discard(); derr != nil {
				fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", derr)
			}
			return fail(err)
		}
		kf.kms.published() // its key.ref names the key now
		for _, f := range ca.Result.Findings {
			fmt.Fprintf(stderr, "iotcert gen hierarchy: CA %q: %s %s: %s\n", ca.Spec.Name, f.Level, f.Lint, f.Details)
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", ca.Spec.Name, store.CADir(*out, ca.Spec.Name), ca.Cert.Subject)
	}
	return exitOK
}

// caState is what gen hierarchy finds of a CA in the output directory.
type caState int

const (
	caNew     caState = iota // nothing: a new key and certificate
	caKeyOnly                // a key a stopped run kept, no certificate: certify that key
	caKept                   // a certificate (with or without its key): kept as it is
	caReplace                // --force: a new key and certificate replace what is there
)

// caStep is what gen hierarchy does for one CA.
type caStep struct {
	name    string
	state   caState
	withKey bool // caKept: its key is opened (a CA made by this run is under it)
}

// hierarchyPlan is the steps of gen hierarchy, parents first.
type hierarchyPlan []caStep

// planHierarchy decides, before any key is made, what gen hierarchy does
// for each CA of spec under out: with --ca only, that CA alone (its
// ancestors loaded; its parent's key opened); with force, every CA new;
// otherwise the CAs already there are kept and the missing ones made,
// so that a stopped run is completed by running it again.
func planHierarchy(spec *ldevid.Spec, out, only string, force bool) (hierarchyPlan, error) {
	want := map[string]bool{}
	if only != "" {
		if spec.CA(only) == nil {
			return nil, fmt.Errorf("--ca %q is not a CA of %s", only, spec.Name)
		}
		for n := only; n != ""; n = spec.CA(n).Parent {
			want[n] = true
		}
	}
	var plan hierarchyPlan
	index := map[string]int{}
	for _, c := range spec.CAs {
		if only != "" && !want[c.Name] {
			continue
		}
		step := caStep{name: c.Name}
		state, err := findCA(store.CADir(out, c.Name))
		if err != nil {
			return nil, err
		}
		switch {
		case only != "" && c.Name != only:
			if state != caKept {
				return nil, fmt.Errorf("CA %q: %s holds no certificate: create the CAs above %q first", c.Name, store.CADir(out, c.Name), only)
			}
			step.state = caKept
		case force:
			step.state = caReplace
		case only != "" && state == caKept:
			return nil, fmt.Errorf("%s exists: CA material is not replaced without --force (a new CA key orphans every certificate the old one signed)", filepath.Join(store.CADir(out, c.Name), store.CertFile))
		default:
			step.state = state
		}
		if p := c.Parent; p != "" && step.state != caKept {
			if i, ok := index[p]; ok {
				plan[i].withKey = true
			}
		}
		index[c.Name] = len(plan)
		plan = append(plan, step)
	}
	return plan, nil
}

// findCA says what dir holds: a certificate (kept), a key alone, or
// nothing.
func findCA(dir string) (caState, error) {
	has := map[string]bool{}
	for _, f := range []string{store.CertFile, keys.File, keys.RefFile} {
		exists, err := safefile.Exists(filepath.Join(dir, f))
		if errors.Is(err, syscall.ENOTDIR) {
			return caNew, nil // writing the CA says what dir is
		}
		if err != nil {
			return 0, err
		}
		has[f] = exists
	}
	switch {
	case has[store.CertFile]:
		return caKept, nil
	case has[keys.File] || has[keys.RefFile]:
		return caKeyOnly, nil
	}
	return caNew, nil
}

// toMake returns the names of the CAs whose key the plan makes.
func (p hierarchyPlan) toMake() []string {
	var names []string
	for _, s := range p {
		if s.state == caNew || s.state == caReplace {
			names = append(names, s.name)
		}
	}
	return names
}

// run carries out the step: a kept CA is loaded (its key opened only
// when a CA of this run is made under it), a CA with a kept key is
// certified, a new one is made.
func (s caStep) run(h *ldevid.Hierarchy, out string, caKeys keys.Backend) (*ldevid.CA, error) {
	switch s.state {
	case caKept:
		if err := h.LoadCA(out, s.name, s.withKey, caKeys); err != nil {
			return nil, err
		}
		ca := h.CA(s.name)
		want, err := ca.Spec.Subject.Render(nil)
		if err != nil {
			return nil, fmt.Errorf("CA %q: %w", s.name, err)
		}
		if !bytes.Equal(ca.Cert.RawSubject, want) {
			return nil, fmt.Errorf("CA %q: %s is for %q, not the spec's subject: it is kept, not replaced, without --force", s.name, filepath.Join(store.CADir(out, s.name), store.CertFile), ca.Cert.Subject)
		}
		return ca, nil
	case caKeyOnly:
		if ck, ok := caKeys.(keys.PerCA); ok {
			caKeys = ck.ForCA(s.name)
		}
		signer, _, err := keys.OpenBelow(out, s.name, caKeys)
		if err != nil {
			return nil, fmt.Errorf("CA %q: %w", s.name, err)
		}
		return h.CreateCAWithKey(s.name, signer)
	}
	return h.CreateCA(s.name)
}

// setFlag collects --set col=value.
type setFlag map[string]string

func (s setFlag) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k+"="+s[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (s setFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q: want NAME=VALUE", v)
	}
	if k == "id" {
		return errors.New("the id is given with --id")
	}
	if _, dup := s[k]; dup {
		return fmt.Errorf("%s set twice", k)
	}
	s[k] = val
	return nil
}

func runGenDevice(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen device", "gen device SPEC --out DIR --ca NAME --id ID [--device PROFILE] [--set NAME=VALUE ...] [--reissue REASON] [--kms URI [--kms-pin-env NAME]] [--db FILE]", stderr)
	out := fs.String("out", "", "the `DIR` of \"gen hierarchy\": CAs are read from DIR/<ca>/, the device goes to DIR/devices/<id>/")
	caName := fs.String("ca", "", "issuing CA `NAME`")
	id := fs.String("id", "", "device `ID` ({{.id}} in the templates; {{.serial}} too unless --set serial=...)")
	device := fs.String("device", "", "device profile `NAME` of the spec (default: the one device profile of --ca)")
	fields := setFlag{}
	fs.Var(fields, "set", "template field `NAME=VALUE` (repeatable), as a CSV column would give it")
	reissue := fs.String("reissue", "", "issue an id issued before again, for `REASON` (journaled with the serial it replaces)")
	var kf keyFlags
	kf.register(fs, true)
	var dbf dbFlag
	dbf.register(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || *out == "" || *caName == "" || *id == "" {
		fmt.Fprintln(stderr, "iotcert gen device: want one SPEC, --out DIR, --ca NAME and --id ID")
		return exitUsage
	}
	if emptyReissue(fs) {
		fmt.Fprintln(stderr, "iotcert gen device: "+reissueReasonMsg)
		return exitUsage
	}
	caKeys, devKeys, err := kf.backends()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	defer kf.kms.close()
	h, err := loadHierarchy(pos[0], devKeys)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	if err := kf.checkCAs(h.Spec()); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	d, err := pickDevice(h.Spec(), *caName, *device)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	if err := h.LoadCAs(*out, *caName, caKeys); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	jl, err := store.OpenJournal(*out)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	defer jl.Close()
	prev, found, err := checkReissue(jl, d.Name, *id, *reissue)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	inv, err := dbf.open()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	if inv != nil {
		defer inv.Close()
		if err := checkFree(inv, d.Name, *id, prev, *reissue != ""); err != nil {
			fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
			return exitUsage
		}
	}
	dev, err := h.IssueDevice(ldevid.Request{Device: d.Name, ID: *id, Fields: fields})
	if err != nil {
		return refusalExit("gen device", err, stderr)
	}
	write := store.WriteDevice
	if found {
		write = store.ReplaceDevice
	}
	if err := write(*out, dev.Stored()); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	e := journalEntry(h, d.Name, dev, fields, prev, *reissue, "gen device", args)
	if err := jl.Append(e); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	if err := recordEntry(inv, e); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	for _, f := range dev.Result.Findings {
		fmt.Fprintf(stderr, "iotcert gen device: device %q: %s %s: %s\n", dev.ID, f.Level, f.Lint, f.Details)
	}
	fmt.Fprintf(stdout, "%s\t%s\t%x\n", dev.ID, store.DeviceDir(*out, dev.ID), dev.Cert.SerialNumber)
	return exitOK
}

// checkReissue refuses to issue the device id of the device profile
// called device a second time without a reason (--reissue REASON), and
// a reason for an id never issued. It returns the journal line of the
// certificate issued before, if any.
func checkReissue(jl *store.Journal, device, id, reason string) (prev store.JournalEntry, found bool, err error) {
	prev, where, found, err := jl.Previous(device, id)
	switch {
	case err != nil:
		return prev, false, err
	case found && reason == "":
		return prev, true, fmt.Errorf("device %q (profile %s) is issued already (serial %s, in %s): an id is issued once; --reissue REASON issues it again", id, device, prev.Serial, where)
	case found && where == filepath.Join(filepath.Dir(jl.Path()), store.DevicesFile):
		return prev, true, fmt.Errorf("device %q (profile %s) is a record of %s: reissue it with gen devices --layout jsonl --reissue REASON", id, device, where)
	case !found && reason != "":
		return prev, false, fmt.Errorf("--reissue: device %q (profile %s) was never issued", id, device)
	}
	return prev, found, nil
}

// journalEntry is the journal line of dev, issued under the device
// profile device with fields by the command cmd with args, replacing
// prev (reason: a reissue) when reason is set.
func journalEntry(h *ldevid.Hierarchy, device string, dev *ldevid.Issued, fields map[string]string, prev store.JournalEntry, reason, cmd string, args []string) store.JournalEntry {
	e := h.Entry(device, dev, fields)
	e.Command = commandLine(cmd, args)
	if reason != "" {
		e.Previous, e.ReissueReason = prev.Serial, reason
	}
	return e
}

// commandLine is the command for the journal: "iotcert", cmd and args,
// with PINs in pkcs11: URIs redacted (passphrases are given as files or
// variable names, never as values).
func commandLine(cmd string, args []string) string {
	parts := []string{"iotcert", cmd}
	for _, a := range args {
		parts = append(parts, keys.RedactURI(a))
	}
	return strings.Join(parts, " ")
}

// pickDevice returns the device profile named by --device, checked
// against --ca, or the one device profile of --ca.
func pickDevice(spec *ldevid.Spec, ca, device string) (*ldevid.DeviceSpec, error) {
	if spec.CA(ca) == nil {
		return nil, fmt.Errorf("--ca %q is not a CA of %s", ca, spec.Name)
	}
	if device == "" {
		return spec.DeviceForCA(ca)
	}
	d := spec.Device(device)
	if d == nil {
		return nil, fmt.Errorf("--device %q is not a device profile of %s", device, spec.Name)
	}
	if d.CA != ca {
		return nil, fmt.Errorf("device profile %q is issued by CA %q, not %q", device, d.CA, ca)
	}
	return d, nil
}
