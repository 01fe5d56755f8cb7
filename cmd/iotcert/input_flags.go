package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/iotcert/iotcert/certio"
)

// defaultPasswordEnv is the environment variable that holds the PKCS#12
// password when no flag names another source.
const defaultPasswordEnv = "IOTCERT_P12_PASSWORD"

// inputFlags are the flags that say how inputs are read: which files of a
// directory walk are read, and where the PKCS#12 password comes from. The
// password itself is never a flag value or an argument, so that it does
// not show in the process list or the shell history.
type inputFlags struct {
	include      []string
	passwordFile string
	passwordEnv  string
	envGiven     bool
}

func (f *inputFlags) register(fs *flag.FlagSet) {
	f.passwordEnv = defaultPasswordEnv
	fs.Func("include", "in directory walks, read only files whose base name matches `GLOB` (e.g. \"*.pem\"); repeatable, or comma-separated (\"*.pem,*.p7b\"); files named directly are always read", func(v string) error {
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
	opts := certio.Options{Include: f.include}
	switch {
	case f.passwordFile != "" && f.envGiven:
		return opts, errors.New("--p12-password-file and --p12-password-env: give only one")
	case f.passwordFile != "":
		data, err := os.ReadFile(f.passwordFile)
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
