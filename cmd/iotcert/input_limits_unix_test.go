//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// lintWithin runs iotcert with args and fails t when it does not end
// within d.
func lintWithin(t *testing.T, d time.Duration, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := iotcert(t, "", args...)
		done <- result{code, out, errOut}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.errOut
	case <-time.After(d):
		t.Fatalf("iotcert %s still running after %v", strings.Join(args, " "), d)
		return 0, "", ""
	}
}

// TestLintWalkSkipsSpecialFiles checks that a directory walk neither
// opens nor hangs on a named pipe (also behind a symbolic link) or a
// device, reports each as skipped, and judges the rest.
func TestLintWalkSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	chain, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "chain.pem"), chain, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("fifo.pem", filepath.Join(dir, "link.pem")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.pem")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := lintWithin(t, 60*time.Second, "lint", dir)
	want := "iotcert lint: skipped " + filepath.Join(dir, "fifo.pem") + ": a named pipe, not a regular file\n" +
		"iotcert lint: skipped " + filepath.Join(dir, "link.pem") + ": a named pipe, not a regular file\n" +
		"iotcert lint: skipped " + filepath.Join(dir, "zero.pem") + ": a character device, not a regular file\n"
	if code != exitOK || errOut != want || !strings.Contains(out, "3 certificate(s) linted") {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s\nstdout:\n%s", code, errOut, want, out)
	}
	// Only special files: nothing to judge.
	if err := os.Remove(filepath.Join(dir, "chain.pem")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = lintWithin(t, 60*time.Second, "lint", dir)
	want += "iotcert lint: no certificate found in " + dir + ": 0 inputs read (0 bytes); 3 entries skipped (not regular files); --allow-empty accepts an input without certificates\n"
	if code != exitUsage || errOut != want || out != "" {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s\nstdout:\n%s", code, errOut, want, out)
	}
}

// TestLintDevZero checks that "iotcert lint /dev/zero" ends within seconds
// with exit 2: a device named directly is read up to --max-input-size
// (256 MiB by default) through a small window, and no further.
func TestLintDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	start := time.Now()
	code, out, errOut := lintWithin(t, 60*time.Second, "lint", "/dev/zero")
	want := "iotcert lint: /dev/zero (certificate 0, byte 268435456): input larger than the size limit: more than 268435456 bytes\n" +
		"iotcert lint: an input goes on past --max-input-size; give a larger one to read it all\n" +
		"iotcert lint: no certificate found in /dev/zero: 1 input read (268435456 bytes); 1 input error\n"
	if code != exitUsage || errOut != want || !strings.Contains(out, "FATAL  /dev/zero[0] byte 268435456") {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s\nstdout:\n%s", code, errOut, want, out)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v, want seconds", took)
	}
}
