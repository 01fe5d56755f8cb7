// Package safefile creates, replaces and appends to the files of an output
// directory without following symbolic links: every file and directory
// below the directory it is given is opened relative to an open directory
// with O_NOFOLLOW, must be what it should be (a regular file or a
// directory, owned by the user running the program) when it exists, and
// is never truncated: a file is created new, replaced by writing a
// temporary file and renaming it over the old one in the same directory,
// or appended to.
//
// It uses the *at system calls of golang.org/x/sys/unix rather than
// os.Root: os.Root keeps a path inside its root but follows a symbolic
// link that stays inside it (OUT/root -> OUT/other), and opens a file
// before anyone can look at what it is; here a link anywhere below the
// root is refused, and the owner of a file is checked on the descriptor
// that is then written, so no one can swap the file between check and
// write.
package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrUnsafe is wrapped by every UnsafeError.
var ErrUnsafe = errors.New("not written through")

// UnsafeError is the error for a path that is not what a file or a
// directory iotcert writes must be: a symbolic link, a file of another
// kind, a file owned by another user, or a file with other hard links.
type UnsafeError struct {
	// Path is the path refused.
	Path string
	// Found says what is there: "is a symlink", "is not a regular file",
	// "is not a directory", "is owned by uid N", "has N hard links".
	Found string
	// Op is "read" for a path refused for reading (ReadFile, Check);
	// "" is "write".
	Op string
}

func (e *UnsafeError) Error() string {
	op := e.Op
	if op == "" {
		op = "write"
	}
	return fmt.Sprintf("%s %s: refusing to %s through it (remove it, or choose another directory)", e.Path, e.Found, op)
}

// reading marks an UnsafeError in err as one of a read.
func reading(err error) error {
	var ue *UnsafeError
	if errors.As(err, &ue) {
		ue.Op = "read"
	}
	return err
}

// ReadFile reads the file at path, which must be a regular file owned by
// the user with no other hard link, without following a symbolic link at
// its final component (Dir.ReadFile in the directory that holds it, which
// is opened as OpenRoot opens it). It is for the files iotcert reads back
// from an output directory (a CA's cert.pem, key.pem and key.ref), so
// that a link planted there cannot make it read another file.
func ReadFile(path string) ([]byte, error) {
	d, err := OpenRoot(filepath.Dir(path), false)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadFile(filepath.Base(path))
}

// OpenBelow opens the directory rel below the directory root: root as
// OpenRoot opens it (the directory the user named), then each component
// of rel as Dir.OpenDir opens it, relative to the one before, never
// through a symbolic link, each a directory owned by the user, checked on
// its open descriptor. rel is relative and stays below root ("" and "."
// are root itself). It is for a directory iotcert reads back from an
// output directory (a CA's, OUT/device-ca), so that OUT/device-ca planted
// as a link to another directory is refused, not followed.
func OpenBelow(root, rel string) (*Dir, error) {
	d, err := OpenRoot(root, false)
	if err != nil {
		return nil, err
	}
	sub, err := d.OpenDirPath(rel)
	if sub != d {
		d.Close()
	}
	return sub, err
}

// OpenDirPath opens the directory rel below d as OpenBelow opens it: each
// component in turn with OpenDir, never through a link. It returns d
// itself for "" and ".". An error naming a component that is a link or
// not a directory is an UnsafeError for reading.
func (d *Dir) OpenDirPath(rel string) (*Dir, error) {
	clean := filepath.Clean(rel)
	if rel == "" || clean == "." {
		return d, nil
	}
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s: %q is not a path below it", d.path, rel)
	}
	cur := d
	for _, name := range strings.Split(clean, string(filepath.Separator)) {
		next, err := cur.OpenDir(name, false)
		if cur != d {
			cur.Close()
		}
		if err != nil {
			return nil, reading(err)
		}
		cur = next
	}
	return cur, nil
}

// ReadFileBelow reads the file rel below the directory root: its
// directories opened as OpenBelow opens them, the file as Dir.ReadFile
// reads it (O_NOFOLLOW, then a regular file owned by the user with no
// other hard link, checked on the descriptor that is read). Every name is
// opened once, and what is read is what was checked: no name can be
// swapped between the check and the read.
func ReadFileBelow(root, rel string) ([]byte, error) {
	d, err := OpenBelow(root, filepath.Dir(rel))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadFile(filepath.Base(rel))
}

// Unwrap returns ErrUnsafe.
func (e *UnsafeError) Unwrap() error { return ErrUnsafe }

// checkName refuses a name that is not one path component.
func checkName(dir, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("%s: %q is not a file name", dir, name)
	}
	return nil
}

// existErr is the error for an existing name that must not exist.
func existErr(path string) error { return fmt.Errorf("%s: %w", path, fs.ErrExist) }

// randomName returns prefix followed by 16 random hexadecimal digits.
func randomName(prefix string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b[:]), nil
}

// Path returns the path d was opened as.
func (d *Dir) Path() string { return d.path }

// Join returns the path of name in d, for messages.
func (d *Dir) Join(name string) string { return filepath.Join(d.path, name) }

// MkdirTemp makes a new directory in d whose name is prefix followed by
// random digits, with mode perm less the umask, and returns its name.
func (d *Dir) MkdirTemp(prefix string, perm fs.FileMode) (string, error) {
	for range 10 {
		name, err := randomName(prefix)
		if err != nil {
			return "", err
		}
		err = d.Mkdir(name, perm)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) || errors.Is(err, ErrUnsafe) {
			return "", err
		}
	}
	return "", fmt.Errorf("%s: no free temporary directory name starting with %s", d.path, prefix)
}

// Exists reports whether path exists, without following a link at its
// end; a link there is an UnsafeError. It is for a command's checks
// before it writes anything (the writes check again).
func Exists(path string) (bool, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case fi.Mode()&fs.ModeSymlink != 0:
		return true, &UnsafeError{Path: path, Found: "is a symlink"}
	}
	return true, nil
}
