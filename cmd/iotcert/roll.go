package main

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/roll"
	"github.com/iotcert/iotcert/store"
)

const rollSynopsis = `roll plan --old DIR/<root> [--spec SPEC] [--resign DIR/<ca> ...] [--kms URI]
       iotcert roll execute --old DIR/<root> --out NEWDIR [--spec SPEC] [--resign DIR/<ca> ...] [--kms URI]
       iotcert roll verify --old DIR/<root> --new NEWDIR [--devices DIR ...] [--at TIME ...] [--format text|json]

  plan      print what a root key rollover will make and when each piece expires
  execute   make the new root (NewWithNew, key.pem 0600, or key.ref: a key in
            the PKCS#11 token of --kms), the link certificates
            NewWithOld and OldWithNew, re-signed CAs, the EST /cacerts bundle
            (cacerts.p7b, cacerts.b64) and diagrams (rollover.mmd, rollover.dot)
  verify    prove which device generations (trusting the old root, the new
            root, both) validate which end entities, at which times

Every certificate is linted before it is signed; a refusal leaves every file
as it was. Exit status: 0 done, 1 refused (or an error finding of verify),
2 usage or input error. See docs/rollover.md.`

func runRoll(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "Usage: iotcert %s\n", rollSynopsis)
		return exitUsage
	}
	switch args[0] {
	case "plan":
		return runRollPlan(args[1:], false, stdout, stderr)
	case "execute":
		return runRollPlan(args[1:], true, stdout, stderr)
	case "verify":
		return runRollVerify(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(stdout, "Usage: iotcert %s\n", rollSynopsis)
		return exitOK
	}
	fmt.Fprintf(stderr, "iotcert roll: unknown subcommand %q\n\nUsage: iotcert %s\n", args[0], rollSynopsis)
	return exitUsage
}

// rollExit prints err and returns 1 for a refusal (a key that does not
// match, a wrong name or validity, a lint error), 2 otherwise.
func rollExit(cmd string, err error, stderr io.Writer) int {
	fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
	var refused *ldevid.RefusedError
	for _, e := range []error{roll.ErrKeyMismatch, roll.ErrNotRoot, roll.ErrSubject, roll.ErrValidity} {
		if errors.Is(err, e) {
			return exitFindings
		}
	}
	if errors.As(err, &refused) {
		return exitFindings
	}
	return exitUsage
}

func runRollPlan(args []string, execute bool, stdout, stderr io.Writer) int {
	cmd := "roll plan"
	synopsis := "roll plan --old DIR/<root> [--spec SPEC] [--resign DIR/<ca> ...] [--passphrase-file FILE | --passphrase-env NAME] [--kms URI [--kms-pin-env NAME]] [--rules FILE]"
	if execute {
		cmd = "roll execute"
		synopsis = "roll execute --old DIR/<root> --out NEWDIR [--spec SPEC] [--resign DIR/<ca> ...] [--passphrase-file FILE | --passphrase-env NAME] [--kms URI [--kms-pin-env NAME]] [--rules FILE]"
	}
	fs := newFlagSet(cmd, synopsis, stderr)
	oldDir := fs.String("old", "", "the old root's `DIR` as \"iotcert gen hierarchy\" wrote it (cert.pem, key.pem or key.ref)")
	specPath := fs.String("spec", "", "the new root's spec `FILE` (curve, validity, subject, profile, resign_validity); default: the old root's curve and name, valid one old lifetime past the old root's expiry")
	var out *string
	if execute {
		out = fs.String("out", "", "the rollover `NEWDIR` to create (it must not exist)")
	}
	var resign listFlag
	fs.Var(&resign, "resign", "re-issue the CA in `DIR` (issued by the old root) under the new root; repeatable")
	passFile := fs.String("passphrase-file", "", "CA key files (old, re-signed and the new one) are encrypted with the passphrase in `FILE` (first line)")
	passEnv := fs.String("passphrase-env", "", "CA key files are encrypted with the passphrase in environment variable `NAME`")
	var kms kmsFlags
	kms.register(fs)
	var rf rulesFlags
	rf.register(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 0 || *oldDir == "" || (execute && *out == "") {
		if execute {
			fmt.Fprintf(stderr, "iotcert %s: want --old DIR and --out NEWDIR\n", cmd)
		} else {
			fmt.Fprintf(stderr, "iotcert %s: want --old DIR\n", cmd)
		}
		return exitUsage
	}
	if execute {
		// A stopped run's temporary directory holds a key: gone first.
		if n, err := roll.RemoveStale(*out); err != nil {
			fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
			return exitUsage
		} else if n > 0 {
			fmt.Fprintf(stderr, "iotcert %s: removed %d temporary directories of a stopped run beside %s\n", cmd, n, *out)
		}
		if exists, err := safefile.Exists(*out); err != nil {
			fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
			return exitUsage
		} else if exists {
			fmt.Fprintf(stderr, "iotcert %s: %s exists: a rollover is written to a new directory\n", cmd, *out)
			return exitUsage
		}
	}
	keys, err := rollKeys(*passFile, *passEnv, &kms)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
		return exitUsage
	}
	defer kms.close()
	rules, err := rf.load()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
		return exitUsage
	}
	old, err := roll.LoadOldRoot(*oldDir, keys)
	if err != nil {
		return rollExit(cmd, err, stderr)
	}
	spec := roll.DefaultSpec(old.Cert, time.Now())
	if *specPath != "" {
		if spec, err = roll.ReadSpec(*specPath); err != nil {
			fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
			return exitUsage
		}
	}
	var subs []*roll.CA
	for _, d := range resign {
		ca, err := roll.LoadCA(d, keys)
		if err != nil {
			return rollExit(cmd, err, stderr)
		}
		subs = append(subs, ca)
	}
	r, err := roll.New(roll.WithKeys(keys), roll.WithRules(rules))
	if err != nil {
		fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
		return exitUsage
	}
	plan, err := r.Plan(old, spec, subs...)
	if err != nil {
		return rollExit(cmd, err, stderr)
	}
	if !execute {
		if err := writePlanText(stdout, plan); err != nil {
			return exitUsage
		}
		return exitOK
	}
	ro, err := r.Execute(plan)
	if err != nil {
		return rollExit(cmd, err, stderr)
	}
	for _, v := range ro.Verdicts {
		for _, f := range v.Result.Findings {
			fmt.Fprintf(stderr, "iotcert %s: %s: %s %s: %s\n", cmd, v.What, f.Level, f.Lint, f.Details)
		}
	}
	if err := roll.Write(*out, ro); err != nil {
		// No key.ref names the new key: do not leave it in the token.
		if derr := r.Discard(ro); derr != nil {
			err = errors.Join(err, derr)
		}
		fmt.Fprintf(stderr, "iotcert %s: %v\n", cmd, err)
		return exitUsage
	}
	for _, f := range []struct{ what, file string }{
		{"NewWithNew (new root)", roll.NewWithNewFile}, {"NewWithOld (link)", roll.NewWithOldFile}, {"OldWithNew (link)", roll.OldWithNewFile},
		{"EST /cacerts (DER)", roll.CACertsDERFile}, {"EST /cacerts (base64)", roll.CACertsB64File},
		{"diagram (Mermaid)", roll.MermaidFile}, {"diagram (DOT)", roll.DOTFile},
	} {
		fmt.Fprintf(stdout, "%s\t%s\n", f.what, filepath.Join(*out, f.file))
	}
	for _, rs := range ro.Resigned {
		fmt.Fprintf(stdout, "%s (re-signed)\t%s\n", rs.CA.Name, filepath.Join(*out, rs.CA.Name, store.CertFile))
	}
	return exitOK
}

// rollKeys is the backend of CA keys: key files, with the passphrase of
// --passphrase-file or --passphrase-env, and with --kms the PKCS#11 token
// for the new root's key and for keys that key.ref files name (close it
// with kms.close).
func rollKeys(file, env string, kms *kmsFlags) (keys.Backend, error) {
	var pass []byte
	var err error
	switch {
	case file != "" && env != "":
		return nil, errors.New("give a passphrase file or an environment variable, not both")
	case file != "":
		pass, err = keys.ReadPassphrase(file)
	case env != "":
		pass, err = keys.PassphraseFromEnv(env)
	}
	if err != nil {
		return nil, err
	}
	files, err := keys.NewFileKeys(keys.WithPassphrase(pass))
	if err != nil {
		return nil, err
	}
	kb, err := kms.caKeys(files, nil)
	if err != nil {
		return nil, err
	}
	return rollCAKeys{Backend: kb, kms: kms}, nil
}

// rollCAKeys is the CA key backend of kmsFlags with what a rollover asks
// of a token (roll.KeyLabelChecker, roll.KeyDeleter): the plan refuses a
// new key label the token holds already, and a rollover that fails after
// making the new key deletes it.
type rollCAKeys struct {
	keys.Backend
	kms *kmsFlags
}

// OpenPEM opens a CA key file's content (keys.PEMOpener).
func (k rollCAKeys) OpenPEM(data []byte) (crypto.Signer, error) {
	return openPEM(k.Backend, data)
}

// CheckLabel refuses a label a key in the token has (nothing without
// --kms).
func (k rollCAKeys) CheckLabel(label string) error {
	if k.kms.token == nil {
		return nil
	}
	return k.kms.token.CheckLabel(label)
}

// Delete deletes a key this command made in the token (nothing for file
// keys) and forgets it.
func (k rollCAKeys) Delete(ref string) error {
	if k.kms.token == nil || !keys.IsPKCS11URI(ref) {
		return nil
	}
	if err := k.kms.token.Delete(ref); err != nil {
		return err
	}
	k.kms.store.mu.Lock()
	k.kms.store.made = slices.DeleteFunc(k.kms.store.made, func(r string) bool { return r == ref })
	k.kms.store.mu.Unlock()
	return nil
}

func runRollVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("roll verify", "roll verify --old DIR/<root> --new NEWDIR [--devices DIR ...] [--at TIME ...] [--format text|json]", stderr)
	oldDir := fs.String("old", "", "the old root's `DIR`; the CA directories beside it are the old hierarchy")
	newDir := fs.String("new", "", "the rollover `NEWDIR` \"roll execute\" wrote")
	var devices, at listFlag
	fs.Var(&devices, "devices", "read end entities (cert.pem, with chain.pem beside) under `DIR`; repeatable (default: the devices directories beside the old root and in NEWDIR)")
	fs.Var(&at, "at", "also verify at `TIME`: an RFC 3339 time, a date (2006-01-02), before-old-expiry or after-old-expiry; repeatable (now and no-clock are always checked)")
	format := fs.String("format", "text", "output `FORMAT`: text or json")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 0 || *oldDir == "" || *newDir == "" {
		fmt.Fprintln(stderr, "iotcert roll verify: want --old DIR and --new NEWDIR")
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "iotcert roll verify: --format %q: want text or json\n", *format)
		return exitUsage
	}
	set, err := roll.LoadSet(*oldDir, *newDir)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert roll verify: %v\n", err)
		return exitUsage
	}
	if len(devices) == 0 {
		if devices, err = roll.DevicesDirs(*oldDir, *newDir); err != nil {
			fmt.Fprintf(stderr, "iotcert roll verify: %v\n", err)
			return exitUsage
		}
		if len(devices) == 0 {
			fmt.Fprintln(stderr, "iotcert roll verify: no devices directory beside the old root or in NEWDIR: give --devices DIR")
			return exitUsage
		}
	}
	// A device that cannot be read is reported and fails the run (exit
	// 2), after the others have been verified.
	var ees []roll.EndEntity
	loadFailed := false
	for _, d := range devices {
		e, err := roll.LoadEndEntities(d)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(stderr, "iotcert roll verify: %s\n", line)
			}
			loadFailed = true
		}
		ees = append(ees, e...)
	}
	if len(ees) == 0 {
		return exitUsage
	}
	now := time.Now().UTC().Truncate(time.Second)
	moments := []roll.Moment{{Label: "now", Time: now}}
	for _, a := range at {
		m, err := roll.ParseMoment(a, now, set)
		if err != nil {
			fmt.Fprintf(stderr, "iotcert roll verify: --at: %v\n", err)
			return exitUsage
		}
		moments = append(moments, m)
	}
	moments = append(moments, roll.Moment{Label: "no clock", NoClock: true})
	m := roll.Verify(set, ees, moments)
	if *format == "json" {
		err = writeMatrixJSON(stdout, m)
	} else {
		err = writeMatrixText(stdout, m)
	}
	if err != nil || loadFailed {
		return exitUsage
	}
	if m.Errors > 0 {
		return exitFindings
	}
	return exitOK
}
