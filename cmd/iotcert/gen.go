package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/ldevid"
)

const genSynopsis = `gen example [matter] | gen hierarchy SPEC --out DIR [--force] [--kms URI] | gen device SPEC --out DIR --ca NAME --id ID [--set col=value ...] [--kms URI] | ` + genDevicesSynopsis + `

  example     print a commented example spec that works as it is (root, device
              CA, BACnet LDevIDs); "example matter": a Matter PAA/PAI/DAC one
  hierarchy   create every CA of SPEC: DIR/<ca>/cert.pem and key.pem (0600),
              or key.ref (a pkcs11: URI) with --kms
  device      issue one device: DIR/devices/<id>/cert.pem, key.pem, chain.pem
  devices     issue a batch from a CSV on every core, journaled in DIR/journal.jsonl;
              run it again after a stop to finish it (each device is issued once)

Every certificate is linted with its profile before it is signed; one with
an error finding is refused (exit 1) with the findings. See docs/generate.md.`

func runGen(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "Usage: iotcert %s\n", genSynopsis)
		return exitUsage
	}
	switch args[0] {
	case "example":
		switch {
		case len(args) == 2 && args[1] == "matter":
			stdout.Write(ldevid.ExampleMatterSpec())
			return exitOK
		case len(args) > 1 && args[1] != "-h" && args[1] != "--help" && args[1] != "-help":
			fmt.Fprintf(stderr, "iotcert gen example: unknown example %q (want none, or matter)\n", strings.Join(args[1:], " "))
			return exitUsage
		}
		stdout.Write(ldevid.ExampleSpec())
		return exitOK
	case "hierarchy":
		return runGenHierarchy(args[1:], stdout, stderr)
	case "device":
		return runGenDevice(args[1:], stdout, stderr)
	case "devices":
		return runGenDevices(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(stdout, "Usage: iotcert %s\n", genSynopsis)
		return exitOK
	}
	fmt.Fprintf(stderr, "iotcert gen: unknown subcommand %q\n\nUsage: iotcert %s\n", args[0], genSynopsis)
	return exitUsage
}

// keyFlags choose how keys are protected.
type keyFlags struct {
	passFile, passEnv             string
	devicePassFile, devicePassEnv string
	kms                           kmsFlags // --kms: CA keys in a PKCS#11 token (keys_flags.go); close with kms.close
}

func (k *keyFlags) register(fs *flag.FlagSet, devices bool) {
	fs.StringVar(&k.passFile, "passphrase-file", "", "encrypt (or decrypt) CA keys with the passphrase in `FILE` (first line)")
	fs.StringVar(&k.passEnv, "passphrase-env", "", "encrypt (or decrypt) CA keys with the passphrase in environment variable `NAME`")
	if devices {
		fs.StringVar(&k.devicePassFile, "device-passphrase-file", "", "encrypt device keys with the passphrase in `FILE`")
		fs.StringVar(&k.devicePassEnv, "device-passphrase-env", "", "encrypt device keys with the passphrase in environment variable `NAME`")
	}
	k.kms.register(fs)
}

func passphrase(file, env string) ([]byte, error) {
	switch {
	case file != "" && env != "":
		return nil, errors.New("give a passphrase file or an environment variable, not both")
	case file != "":
		return ldevid.ReadPassphrase(file)
	case env != "":
		return ldevid.PassphraseFromEnv(env)
	}
	return nil, nil
}

// backends returns the key backends of CA keys and of device keys. With
// --kms, CA keys are in the token: call k.kms.close when done.
func (k *keyFlags) backends() (ca, device ldevid.KeyBackend, err error) {
	caPass, err := passphrase(k.passFile, k.passEnv)
	if err != nil {
		return nil, nil, err
	}
	devPass, err := passphrase(k.devicePassFile, k.devicePassEnv)
	if err != nil {
		return nil, nil, err
	}
	caFiles, err := ldevid.NewFileKeys(ldevid.WithPassphrase(caPass))
	if err != nil {
		return nil, nil, err
	}
	devKeys, err := ldevid.NewFileKeys(ldevid.WithPassphrase(devPass))
	if err != nil {
		return nil, nil, err
	}
	caKeys, err := k.kms.caKeys(caFiles)
	if err != nil {
		return nil, nil, err
	}
	return caKeys, devKeys, nil
}

// loadHierarchy reads the spec and prepares a Hierarchy with kb.
func loadHierarchy(path string, kb ldevid.KeyBackend) (*ldevid.Hierarchy, error) {
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
	fs := newFlagSet("gen hierarchy", "gen hierarchy SPEC --out DIR [--force] [--passphrase-file FILE | --passphrase-env NAME | --kms URI [--kms-pin-env NAME]]", stderr)
	out := fs.String("out", "", "output `DIR`: DIR/<ca-name>/cert.pem and key.pem for every CA")
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
	if kf.kms.uri != "" && (kf.passFile != "" || kf.passEnv != "") {
		fmt.Fprintln(stderr, "iotcert gen hierarchy: --passphrase-* encrypt key files; keys in a token (--kms) are not files")
		return exitUsage
	}
	kf.kms.duplicateLabels = *force
	caKeys, _, err := kf.backends()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", err)
		return exitUsage
	}
	defer kf.kms.close()
	h, err := loadHierarchy(pos[0], caKeys)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", err)
		return exitUsage
	}
	if !*force {
		// Refuse before making any key: a partial hierarchy is worse than none.
		for _, c := range h.Spec().CAs {
			for _, f := range []string{ldevid.CertFile, ldevid.KeyFile, ldevid.KeyRefFile} {
				p := ldevid.CADir(*out, c.Name) + string(os.PathSeparator) + f
				if exists, err := safefile.Exists(p); err != nil {
					fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", err)
					return exitUsage
				} else if exists {
					fmt.Fprintf(stderr, "iotcert gen hierarchy: %s exists: CA material is not replaced without --force (a new CA key orphans every certificate the old one signed)\n", p)
					return exitUsage
				}
			}
		}
		if err := kf.kms.checkLabels(h.Spec()); err != nil {
			fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", err)
			return exitUsage
		}
	}
	cas, err := h.CreateCAs()
	if err != nil {
		// No key.ref names the keys made so far: do not leave them in the token.
		if derr := kf.kms.discard(); derr != nil {
			fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", derr)
		}
		return refusalExit("gen hierarchy", err, stderr)
	}
	for _, ca := range cas {
		if err := ldevid.WriteCA(*out, ca, *force); err != nil {
			fmt.Fprintf(stderr, "iotcert gen hierarchy: %v\n", err)
			return exitUsage
		}
		for _, f := range ca.Result.Findings {
			fmt.Fprintf(stderr, "iotcert gen hierarchy: CA %q: %s %s: %s\n", ca.Spec.Name, f.Level, f.Lint, f.Details)
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", ca.Spec.Name, ldevid.CADir(*out, ca.Spec.Name), ca.Cert.Subject)
	}
	return exitOK
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
	fs := newFlagSet("gen device", "gen device SPEC --out DIR --ca NAME --id ID [--device PROFILE] [--set NAME=VALUE ...] [--kms URI [--kms-pin-env NAME]]", stderr)
	out := fs.String("out", "", "the `DIR` of \"gen hierarchy\": CAs are read from DIR/<ca>/, the device goes to DIR/devices/<id>/")
	caName := fs.String("ca", "", "issuing CA `NAME`")
	id := fs.String("id", "", "device `ID` ({{.id}} in the templates; {{.serial}} too unless --set serial=...)")
	device := fs.String("device", "", "device profile `NAME` of the spec (default: the one device profile of --ca)")
	fields := setFlag{}
	fs.Var(fields, "set", "template field `NAME=VALUE` (repeatable), as a CSV column would give it")
	var kf keyFlags
	kf.register(fs, true)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || *out == "" || *caName == "" || *id == "" {
		fmt.Fprintln(stderr, "iotcert gen device: want one SPEC, --out DIR, --ca NAME and --id ID")
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
	d, err := pickDevice(h.Spec(), *caName, *device)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	if err := h.LoadCAs(*out, *caName, caKeys); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	dev, err := h.IssueDevice(ldevid.Request{Device: d.Name, ID: *id, Fields: fields})
	if err != nil {
		return refusalExit("gen device", err, stderr)
	}
	if err := ldevid.WriteDevice(*out, dev); err != nil {
		fmt.Fprintf(stderr, "iotcert gen device: %v\n", err)
		return exitUsage
	}
	for _, f := range dev.Result.Findings {
		fmt.Fprintf(stderr, "iotcert gen device: device %q: %s %s: %s\n", dev.ID, f.Level, f.Lint, f.Details)
	}
	fmt.Fprintf(stdout, "%s\t%s\t%x\n", dev.ID, ldevid.DeviceDir(*out, dev.ID), dev.Cert.SerialNumber)
	return exitOK
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
