//go:build unix

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite writes, refuses an exclusive write over a file, replaces it
// and leaves no temporary file.
func TestWrite(t *testing.T) {
	root, err := OpenRoot(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	p := root.Join("key.pem")
	if err := root.Write("key.pem", []byte("one"), 0o600, true); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	if err := root.Write("key.pem", []byte("two"), 0o600, true); !errors.Is(err, fs.ErrExist) || errors.Is(err, ErrUnsafe) {
		t.Errorf("exclusive write over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Errorf("content %q after a refused write", b)
	}
	if err := root.Write("key.pem", []byte("three"), 0o644, false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "three" {
		t.Errorf("content %q after an overwrite", b)
	}
	if names, _ := root.Names(); len(names) != 1 {
		t.Errorf("temporary files left behind: %v", names)
	}
}

// TestRefused plants, where a file or directory goes, a link (to a file
// or a directory outside, or dangling), a directory, or a second hard
// link to a file outside: every operation refuses what it must refuse
// with the path and what it found, and the file outside is untouched.
// (Another user's file needs root to plant.)
func TestRefused(t *testing.T) {
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("victim"), 0o600); err != nil {
		t.Fatal(err)
	}
	plants := map[string]struct {
		plant func(path string) error
		found string
	}{
		"link to a file":      {func(p string) error { return os.Symlink(victim, p) }, "is a symlink"},
		"link to a directory": {func(p string) error { return os.Symlink(outside, p) }, "is a symlink"},
		"dangling link":       {func(p string) error { return os.Symlink(filepath.Join(outside, "new"), p) }, "is a symlink"},
		"hard link":           {func(p string) error { return os.Link(victim, p) }, "has 2 hard links"},
		"directory":           {func(p string) error { return os.Mkdir(p, 0o755) }, "is not a regular file"},
	}
	ops := map[string]func(d *Dir, name string) error{
		"Write":         func(d *Dir, n string) error { return d.Write(n, []byte("key"), 0o600, false) },
		"Write excl":    func(d *Dir, n string) error { return d.Write(n, []byte("key"), 0o600, true) },
		"WriteNew":      func(d *Dir, n string) error { return d.WriteNew(n, []byte("key"), 0o600) },
		"OpenFile":      func(d *Dir, n string) error { return closed(d.OpenFile(n, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)) },
		"OpenDir":       func(d *Dir, n string) error { return closed(d.OpenDir(n, true)) },
		"Mkdir":         func(d *Dir, n string) error { return d.Mkdir(n, 0o755) },
		"Exists":        func(d *Dir, n string) error { _, err := d.Exists(n); return err },
		"ReadFile":      func(d *Dir, n string) error { _, err := d.ReadFile(n); return err },
		"OpenDir exist": func(d *Dir, n string) error { return closed(d.OpenDir(n, false)) },
		"ReadFile path": func(d *Dir, n string) error { _, err := ReadFile(d.Join(n)); return err },
		"ReadFileBelow": func(d *Dir, n string) error { _, err := ReadFileBelow(d.Path(), n); return err },
		"OpenDirPath":   func(d *Dir, n string) error { return closed(d.OpenDirPath(n)) },
	}
	for pname, pl := range plants {
		for oname, op := range ops {
			t.Run(pname+"/"+oname, func(t *testing.T) {
				root, err := OpenRoot(t.TempDir(), false)
				if err != nil {
					t.Fatal(err)
				}
				defer root.Close()
				if err := pl.plant(root.Join("f")); err != nil {
					t.Fatal(err)
				}
				err = op(root, "f")
				want := pl.found
				switch {
				case pname == "directory" && (oname == "OpenDir" || oname == "OpenDir exist" || oname == "OpenDirPath" || oname == "Exists"):
					want = "" // a directory is what these want
				case pname == "directory" && (oname == "Mkdir" || oname == "Write excl" || oname == "WriteNew"):
					want = "file already exists"
				case pname == "hard link" && oname != "OpenFile" && oname != "ReadFile" && oname != "ReadFile path" && oname != "ReadFileBelow" && oname != "Exists" && oname != "Write":
					want = map[string]string{"Write excl": "file already exists", "WriteNew": "file already exists", "Mkdir": "file already exists"}[oname]
					if want == "" {
						want = "is not a directory"
					}
				case pname == "hard link" && (oname == "Exists" || oname == "Write"):
					want = "" // a rename replaces the name, not the file
				}
				switch {
				case want == "" && err != nil:
					t.Errorf("error %v, want none", err)
				case want != "" && (err == nil || !strings.Contains(err.Error(), root.Join("f")+" ") && !strings.Contains(err.Error(), root.Join("f")+":") || !strings.Contains(err.Error(), want)):
					t.Errorf("error %v, want one naming %s and saying %q", err, root.Join("f"), want)
				}
				if b, _ := os.ReadFile(victim); string(b) != "victim" {
					t.Errorf("the file outside holds %q", b)
				}
				if names, _ := os.ReadDir(outside); len(names) != 1 {
					t.Errorf("outside holds %v", names)
				}
			})
		}
	}
}

// TestRead: ReadFile reads a regular file, and refuses a link at the
// final component with an error that says it is a read.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(good, []byte("cert"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(good); err != nil || string(b) != "cert" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	link := filepath.Join(dir, "key.pem")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	want := link + " is a symlink: refusing to read through it (remove it, or choose another directory)"
	if _, err := ReadFile(link); err == nil || err.Error() != want || !errors.Is(err, ErrUnsafe) {
		t.Errorf("ReadFile: %v, want %s", err, want)
	}
	if _, err := ReadFile(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
	}
}

// closed closes what an operation opened and returns its error.
func closed[T interface{ Close() error }](v T, err error) error {
	if err == nil {
		v.Close()
	}
	return err
}

// TestRemoveAll removes a tree with a link in it, not what the link
// points to.
func TestRemoveAll(t *testing.T) {
	outside := t.TempDir()
	keep := filepath.Join(outside, "keep")
	os.WriteFile(keep, []byte("keep"), 0o600)
	root, err := OpenRoot(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	os.MkdirAll(root.Join("a/b"), 0o755)
	os.WriteFile(root.Join("a/b/f"), nil, 0o600)
	os.Symlink(outside, root.Join("a/link"))
	if err := root.RemoveAll("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(root.Join("a")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a is still there: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the file behind the link: %v", err)
	}
	if err := root.RemoveAll("missing"); err != nil {
		t.Errorf("missing: %v", err)
	}
}

// TestOtherOwner refuses a file and a directory of another user (needs
// root to make them).
func TestOtherOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
	root, err := OpenRoot(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	os.WriteFile(root.Join("f"), []byte("theirs"), 0o666)
	os.Mkdir(root.Join("d"), 0o777)
	for _, n := range []string{"f", "d"} {
		if err := os.Lchown(root.Join(n), 4242, 4242); err != nil {
			t.Fatal(err)
		}
	}
	want := " is owned by uid 4242: refusing to write through it"
	for name, err := range map[string]error{
		"Write":    root.Write("f", []byte("key"), 0o600, false),
		"OpenFile": closed(root.OpenFile("f", os.O_RDWR|os.O_APPEND, 0)),
		"OpenDir":  closed(root.OpenDir("d", true)),
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	if b, _ := os.ReadFile(root.Join("f")); string(b) != "theirs" {
		t.Errorf("their file holds %q", b)
	}
}

// TestReadBelow: ReadFileBelow and OpenBelow open every directory below
// the root without following a link: a directory planted as a link
// anywhere on the path (to a directory holding the same file, which a
// read that followed it would accept) is refused with an error naming
// it, and a path leaving the root is refused.
func TestReadBelow(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	for _, d := range []string{filepath.Join(root, "pki", "ca"), filepath.Join(outside, "ca")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "cert.pem"), []byte("cert"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := ReadFileBelow(root, filepath.Join("pki", "ca", "cert.pem")); err != nil || string(b) != "cert" {
		t.Fatalf("ReadFileBelow = %q, %v", b, err)
	}
	if err := os.Symlink(filepath.Join(outside, "ca"), filepath.Join(root, "pki", "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "out2")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ rel, want string }{
		{"pki/linked/cert.pem", filepath.Join(root, "pki", "linked") + " is a symlink: refusing to read through it (remove it, or choose another directory)"},
		{"out2/ca/cert.pem", filepath.Join(root, "out2") + " is a symlink: refusing to read through it (remove it, or choose another directory)"},
		{"pki/ca/cert.pem/x", filepath.Join(root, "pki", "ca", "cert.pem") + " is not a directory: refusing to read through it (remove it, or choose another directory)"},
		{"../x/cert.pem", root + `: "../x" is not a path below it`},
		{"/etc/passwd", root + `: "/etc" is not a path below it`},
	} {
		_, err := ReadFileBelow(root, filepath.FromSlash(tc.rel))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ReadFileBelow(%s): %v, want %s", tc.rel, err, tc.want)
		}
	}
	d, err := OpenBelow(root, filepath.Join("pki", "linked"))
	if err == nil {
		d.Close()
		t.Error("OpenBelow opened a link")
	}
}

// TestReadSwapped: what is read is what was opened and checked. A
// directory opened with OpenBelow keeps reading the directory it opened
// when its name is swapped for a link to another one afterwards, and a
// file read with Dir.ReadFile is the one its descriptor was checked on.
func TestReadSwapped(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	ca := filepath.Join(root, "ca")
	if err := os.Mkdir(ca, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ca, "key.pem"), []byte("checked"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "key.pem"), []byte("attacker"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := OpenBelow(root, "ca")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := os.Rename(ca, filepath.Join(root, "old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, ca); err != nil {
		t.Fatal(err)
	}
	if b, err := d.ReadFile("key.pem"); err != nil || string(b) != "checked" {
		t.Errorf("ReadFile after the swap = %q, %v; want the opened directory's file", b, err)
	}
	if _, err := ReadFileBelow(root, filepath.Join("ca", "key.pem")); err == nil || !strings.Contains(err.Error(), ca+" is a symlink: refusing to read") {
		t.Errorf("ReadFileBelow after the swap: %v, want the link refused", err)
	}
}
