package main

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/hint"
)

// The libraries' errors name no flag; the command adds the flag that
// fixes one, here.

// p12PasswordHint tells the user of the command how to give a PKCS#12
// password.
const p12PasswordHint = "give it with --p12-password-file or the IOTCERT_P12_PASSWORD environment variable"

// readWith is certio.ReadWith with the command's hints added to the
// errors of the items (withInputHint).
func readWith(paths []string, stdin io.Reader, opts certio.Options) iter.Seq[certio.Item] {
	items := certio.ReadWith(paths, stdin, opts)
	return func(yield func(certio.Item) bool) {
		for it := range items {
			if !yield(withInputHint(it)) {
				return
			}
		}
	}
}

// withInputHint returns it with the way to fix its error added to the
// error's message, when a flag fixes it: a PKCS#12 store that the
// password does not open.
func withInputHint(it certio.Item) certio.Item {
	return hint.Input(it, certio.ErrPKCS12Password, p12PasswordHint)
}

// checkFlagHint returns err with the flag that named an unknown chain
// check, and where the known ones are listed, when err is a
// *bundle.UnknownCheckError; otherwise err.
func checkFlagHint(err error, enabled []string) error {
	var unknown *bundle.UnknownCheckError
	if !errors.As(err, &unknown) {
		return err
	}
	flag := "--disable-check"
	if slices.Contains(enabled, unknown.Name) {
		flag = "--enable-check"
	}
	return fmt.Errorf("%s %s: %w (see \"iotcert rules\")", flag, unknown.Name, err)
}
