package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/boundedread"
)

// defaultPasswordEnv is the environment variable that holds the PKCS#12
// password when no flag names another source.
const defaultPasswordEnv = "IOTCERT_P12_PASSWORD"

// inputFlags are the flags that say how inputs are read: which files of a
// directory walk are read, where the PKCS#12 password comes from, how much
// is read, and whether an input without certificates is accepted. The
// password itself is never a flag value or an argument, so that it does
// not show in the process list or the shell history.
type inputFlags struct {
	include      []string
	passwordFile string
	passwordEnv  string
	envGiven     bool
	allowEmpty   bool
	maxInput     int64
}

func (f *inputFlags) register(fs *flag.FlagSet) {
	f.passwordEnv = defaultPasswordEnv
	f.maxInput = certio.DefaultMaxInputSize
	fs.Func("include", "in directory walks, read only files whose base name, or path relative to the walked directory (\"certs/*.pem\"), matches `GLOB` (e.g. \"*.pem\"); repeatable, or comma-separated (\"*.pem,*.p7b\"); files named directly are always read", func(v string) error {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if err := (certio.Options{Include: []string{p}}).Validate(); err != nil {
				return err
			}
			f.include = append(f.include, p)
		}
		return nil
	})
	fs.BoolVar(&f.allowEmpty, "allow-empty", false, "accept inputs that hold no certificate (an empty directory, empty standard input, an --include that matches nothing): exit 0 with an empty report instead of 2")
	fs.Func("max-input-size", "read at most `SIZE` (bytes, or with KiB, MiB, GiB: 512MiB) from standard input, a named pipe or a device, or of an input read whole (PKCS#7, PKCS#12, bare base64) (default 256MiB)", func(v string) error {
		n, err := parseSize(v)
		if err != nil {
			return err
		}
		f.maxInput = n
		return nil
	})
	fs.StringVar(&f.passwordFile, "p12-password-file", "", "read the PKCS#12 (.p12/.pfx) password from the first line of `FILE`")
	fs.Func("p12-password-env", "take the PKCS#12 password from the environment variable `NAME` (default "+defaultPasswordEnv+", used when set)", func(v string) error {
		if v == "" {
			return errors.New("empty variable name")
		}
		f.passwordEnv, f.envGiven = v, true
		return nil
	})
}

// options returns the certio options the flags ask for. It reads the
// password file or the environment variable: a file that cannot be read,
// or a variable named with --p12-password-env that is not set, is an
// error.
func (f *inputFlags) options() (certio.Options, error) {
	opts := certio.Options{Include: f.include, AllowEmpty: f.allowEmpty, MaxInputSize: f.maxInput}
	switch {
	case f.passwordFile != "" && f.envGiven:
		return opts, errors.New("--p12-password-file and --p12-password-env: give only one")
	case f.passwordFile != "":
		data, err := boundedread.ReadFile(f.passwordFile, boundedread.Secret)
		if err != nil {
			return opts, fmt.Errorf("--p12-password-file: %w", err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		opts.PKCS12Password = strings.TrimSuffix(line, "\r")
	default:
		v, ok := os.LookupEnv(f.passwordEnv)
		if !ok && f.envGiven {
			return opts, fmt.Errorf("--p12-password-env: the environment variable %s is not set", f.passwordEnv)
		}
		opts.PKCS12Password = v
	}
	return opts, nil
}

// parseSize reads a size in bytes: a positive integer, optionally followed
// by KiB, MiB or GiB.
func parseSize(s string) (int64, error) {
	num, unit := s, int64(1)
	for suffix, u := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			num, unit = n, u
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return 0, fmt.Errorf("%q: want a positive number of bytes, optionally with KiB, MiB or GiB (512MiB)", s)
	}
	return n * unit, nil
}

// inputRead is one read of the command's inputs: what certio counted, and
// whether an input went past --max-input-size.
type inputRead struct {
	stats      certio.Stats
	tooLarge   bool
	allowEmpty bool
}

// read returns the items of paths, read with opts, and the record of the
// read, which is complete once the items have been consumed.
func (f *inputFlags) read(paths []string, stdin io.Reader, opts certio.Options) (iter.Seq[certio.Item], *inputRead) {
	r := &inputRead{allowEmpty: f.allowEmpty}
	opts.Stats = &r.stats
	items := readWith(paths, stdin, opts)
	return func(yield func(certio.Item) bool) {
		for it := range items {
			if errors.Is(it.Err, certio.ErrInputTooLarge) {
				r.tooLarge = true
			}
			if !yield(it) {
				return
			}
		}
	}, r
}

// skipped writes to stderr each entry of a directory walk that was not
// read because it is not a regular file, and, once, the private keys and
// journals skipped ("skipped 12 private keys, 1 journal").
func (r *inputRead) skipped(cmd string, stderr io.Writer) {
	for _, s := range r.stats.Skipped {
		fmt.Fprintf(stderr, "iotcert %s: skipped %s\n", cmd, s)
	}
	if k := r.stats.SkippedKeys(); k != "" {
		fmt.Fprintf(stderr, "iotcert %s: skipped %s\n", cmd, k)
	}
}

// empty reports whether the read found no certificate and --allow-empty
// was not given.
func (r *inputRead) empty() bool {
	return !r.allowEmpty && r.stats.NoCertificate() != nil
}

// finish writes to stderr what the read leaves to say once the report is
// written: that an input went past --max-input-size, and that no
// certificate was found. It reports whether the run fails for it.
func (r *inputRead) finish(cmd string, stderr io.Writer) bool {
	if r.tooLarge {
		fmt.Fprintf(stderr, "iotcert %s: an input goes on past --max-input-size; give a larger one to read it all\n", cmd)
	}
	if !r.empty() {
		return false
	}
	msg := r.stats.NoCertificate().Error()
	if r.stats.Excluded > 0 {
		msg += " (see --include)"
	}
	if r.stats.Errors == 0 {
		msg += "; --allow-empty accepts an input without certificates"
	}
	fmt.Fprintf(stderr, "iotcert %s: %s\n", cmd, msg)
	return true
}

// readAnchors returns the certificates of paths, the files or directories
// of a flag that names trust anchors (--trust, --matter-cd-trust), read
// with opts but never with AllowEmpty: a path that yields no certificate
// (an empty file, a directory without certificates, one whose files
// --include excludes) is an error Item wrapping certio.ErrNoCertificate,
// so that a trust store that is not there never passes for one that was
// given.
func readAnchors(paths []string, stdin io.Reader, opts certio.Options) iter.Seq[certio.Item] {
	opts.AllowEmpty = false
	return func(yield func(certio.Item) bool) {
		for _, p := range paths {
			var stats certio.Stats
			opts.Stats = &stats
			for it := range readWith([]string{p}, stdin, opts) {
				if !yield(it) {
					return
				}
			}
			if err := stats.NoCertificate(); err != nil && stats.Errors == 0 {
				if !yield(certio.Item{Origin: certio.Origin{File: p}, Err: err}) {
					return
				}
			}
		}
	}
}
