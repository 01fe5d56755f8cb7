package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestInputFlags(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\r\nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("IOTCERT_P12_PASSWORD", "from-default-env")
	t.Setenv("MY_P12_PASSWORD", "from-my-env")
	os.Unsetenv("IOTCERT_TEST_UNSET")
	tests := []struct {
		name     string
		args     []string
		include  []string
		password string
		err      string
	}{
		{"defaults", nil, nil, "from-default-env", ""},
		{"include repeated and comma-separated", []string{"--include", "*.pem, *.der", "--include", "*.p7b"}, []string{"*.pem", "*.der", "*.p7b"}, "from-default-env", ""},
		{"password file: first line", []string{"--p12-password-file", pwFile}, nil, "from-file", ""},
		{"password env", []string{"--p12-password-env", "MY_P12_PASSWORD"}, nil, "from-my-env", ""},
		{"missing password file", []string{"--p12-password-file", filepath.Join(dir, "nope")}, nil, "", "--p12-password-file: open " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{"named env unset", []string{"--p12-password-env", "IOTCERT_TEST_UNSET"}, nil, "", "--p12-password-env: the environment variable IOTCERT_TEST_UNSET is not set"},
		{"both sources", []string{"--p12-password-env", "MY_P12_PASSWORD", "--p12-password-file", pwFile}, nil, "", "--p12-password-file and --p12-password-env: give only one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			var in inputFlags
			in.register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			opts, err := in.options()
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(opts.Include, tc.include) || opts.PKCS12Password != tc.password {
				t.Errorf("options %+v", opts)
			}
		})
	}
	for _, tc := range []struct {
		args       []string
		allowEmpty bool
		max        int64
	}{
		{nil, false, 256 << 20},
		{[]string{"--allow-empty", "--max-input-size", "2MiB"}, true, 2 << 20},
		{[]string{"--max-input-size", "1GiB"}, false, 1 << 30},
		{[]string{"--max-input-size", "1500"}, false, 1500},
		{[]string{"--max-input-size", "64KiB"}, false, 64 << 10},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var in inputFlags
		in.register(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		opts, err := in.options()
		if err != nil || opts.AllowEmpty != tc.allowEmpty || opts.MaxInputSize != tc.max {
			t.Errorf("%v: AllowEmpty %v, MaxInputSize %d, %v; want %v, %d", tc.args, opts.AllowEmpty, opts.MaxInputSize, err, tc.allowEmpty, tc.max)
		}
	}
	for _, bad := range [][]string{{"--include", "[a-"}, {"--p12-password-env", ""}, {"--max-input-size", "0"}, {"--max-input-size", "1MB"}} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var in inputFlags
		in.register(fs)
		if err := fs.Parse(bad); err == nil {
			t.Errorf("%v: parsed", bad)
		}
	}
}

// TestLintPKCS12Password checks the command's use of the password flags: a
// bad password file is a usage error before anything is read.
func TestLintPKCS12Password(t *testing.T) {
	store := filepath.Join(malformed, "trust-store.p12")
	pw := writeFile(t, "pw", []byte("iotcert-test\n"))
	t.Setenv("IOTCERT_P12_PASSWORD", "")
	if code, out, errOut := iotcert(t, "", "lint", "--fail-on", "notice", "--p12-password-file", pw, store); !strings.Contains(out, "trust-store.p12[1]") || strings.Contains(out+errOut, "wrong password") {
		t.Errorf("password file: exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv("IOTCERT_P12_PASSWORD", "iotcert-test")
	if _, out, errOut := iotcert(t, "", "lint", store); !strings.Contains(out, "trust-store.p12[1]") || strings.Contains(out+errOut, "wrong password") {
		t.Errorf("default environment variable:\n%s%s", out, errOut)
	}
	code, out, errOut := iotcert(t, "", "lint", "--p12-password-file", filepath.Join(t.TempDir(), "missing"), store)
	if code != exitUsage || out != "" || !strings.Contains(errOut, "iotcert lint: --p12-password-file: open ") {
		t.Errorf("missing password file: exit %d\n%s%s", code, out, errOut)
	}
}
