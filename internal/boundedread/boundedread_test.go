package boundedread

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFile reads a file of exactly the limit and refuses one a byte
// longer, and an endless stream, with the error that names it.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at")
	over := filepath.Join(dir, "over")
	if err := os.WriteFile(at, []byte("12345678"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(over, []byte("123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(at, 8); err != nil || string(data) != "12345678" {
		t.Errorf("ReadFile(at, 8) = %q, %v", data, err)
	}
	if _, err := ReadFile(over, 8); err == nil || err.Error() != over+": larger than 8 bytes" {
		t.Errorf("ReadFile(over, 8): %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "none"), 8); !os.IsNotExist(err) {
		t.Errorf("ReadFile(none): %v, want not exist", err)
	}
	if _, err := Read(endless{}, "-", Secret); err == nil || err.Error() != "-: larger than 65536 bytes" {
		t.Errorf("Read(endless): %v", err)
	}
	if data, err := Read(strings.NewReader(""), "-", 8); err != nil || len(data) != 0 {
		t.Errorf("Read(empty) = %q, %v", data, err)
	}
}

// endless is a stream that never ends, as /dev/zero.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestLines passes lines of up to the limit, however many, and stops at
// the first longer one with its number; a stream without line ends stops
// after the limit.
func TestLines(t *testing.T) {
	in := "1234\n\n12345\nabc"
	if data, err := io.ReadAll(Lines(strings.NewReader(in), 5)); err != nil || string(data) != in {
		t.Errorf("lines of at most 5 bytes: %q, %v", data, err)
	}
	if _, err := io.ReadAll(Lines(strings.NewReader("1234\n\n123456\nabc"), 5)); err == nil || err.Error() != "line 3: longer than 5 bytes" {
		t.Errorf("a line of 6 bytes: %v", err)
	}
	if _, err := io.ReadAll(Lines(strings.NewReader("ok\n123456"), 5)); err == nil || err.Error() != "line 2: longer than 5 bytes" {
		t.Errorf("a last line of 6 bytes: %v", err)
	}
	if _, err := io.ReadAll(Lines(endless{}, 1<<20)); err == nil || err.Error() != "line 1: longer than 1048576 bytes" {
		t.Errorf("endless: %v", err)
	}
}
