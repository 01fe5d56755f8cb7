//go:build unix

package certio_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
)

// within runs f and fails t when it does not return within d: a read that
// blocks on a named pipe or never ends on a device.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still reading after %v", d)
	}
}

// TestWalkSkipsSpecialFiles checks that a directory walk opens no named
// pipe, device or socket, also behind a symbolic link, and reports each
// as skipped.
func TestWalkSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.pem"), pemOf(newCert(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"link-to-fifo": "fifo", "zero": "/dev/zero"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	var st certio.Stats
	var got []string
	within(t, 20*time.Second, func() {
		got = describe(t, dir, []string{dir}, nil, certio.Options{Stats: &st})
	})
	if want := "[0]@0 a.pem ok"; strings.Join(got, ", ") != want {
		t.Errorf("items: %s, want %s", strings.Join(got, ", "), want)
	}
	var skipped []string
	for _, s := range st.Skipped {
		skipped = append(skipped, strings.TrimPrefix(s.String(), dir+string(filepath.Separator)))
	}
	want := []string{
		"fifo: a named pipe, not a regular file",
		"link-to-fifo: a named pipe, not a regular file",
		"sock: a socket, not a regular file",
		"zero: a character device, not a regular file",
	}
	if strings.Join(skipped, "\n") != strings.Join(want, "\n") {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(want, "\n"))
	}
	if st.Files != 1 || st.Certificates != 1 {
		t.Errorf("stats %+v: want 1 file, 1 certificate", st)
	}
}

// TestReadNamedPipe checks that a named pipe given as a path (not found in
// a walk) is read, as `iotcert lint <(cat bundle.pem)` needs.
func TestReadNamedPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	data := pemOf(newCert(t), newCert(t))
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	var st certio.Stats
	var got []string
	within(t, 20*time.Second, func() {
		got = describe(t, dir, []string{fifo}, nil, certio.Options{Stats: &st})
	})
	if want := "[0]@0 fifo ok, [1]@" + itoa(len(data)/2) + " fifo ok"; strings.Join(got, ", ") != want {
		t.Errorf("items: %s, want %s", strings.Join(got, ", "), want)
	}
	if st.Bytes != int64(len(data)) {
		t.Errorf("%d bytes counted, want %d", st.Bytes, len(data))
	}
}

// TestReadDevZero checks that /dev/zero named as a path is read up to
// the default MaxInputSize and no further, with bounded memory.
func TestReadDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	var items []certio.Item
	var alloc uint64
	within(t, 30*time.Second, func() {
		alloc = allocated(func() {
			for it := range certio.ReadWith([]string{"/dev/zero"}, nil, certio.Options{}) {
				items = append(items, it)
			}
		})
	})
	if len(items) != 1 || !errors.Is(items[0].Err, certio.ErrInputTooLarge) || items[0].Origin.Offset != certio.DefaultMaxInputSize {
		t.Fatalf("items %+v: want one error that wraps ErrInputTooLarge at byte %d", items, certio.DefaultMaxInputSize)
	}
	if want := "/dev/zero (certificate 0, byte 268435456): input larger than the size limit: more than 268435456 bytes"; items[0].Err.Error() != want {
		t.Errorf("error %q, want %q", items[0].Err, want)
	}
	if alloc > 16<<20 {
		t.Errorf("reading /dev/zero allocated %d MiB, want under 16 MiB", alloc>>20)
	}
}
