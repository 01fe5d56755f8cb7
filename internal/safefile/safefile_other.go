//go:build !unix

package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is a directory. Outside Unix there are no *at system calls: each
// name is checked with Lstat before it is used, which a process racing
// with this one can defeat.
type Dir struct {
	path string
}

// OpenRoot opens the directory path (made, with its parents, when create
// is set).
func OpenRoot(path string, create bool) (*Dir, error) {
	if create {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, err
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &UnsafeError{Path: path, Found: "is not a directory"}
	}
	return &Dir{path: path}, nil
}

// Close closes d.
func (d *Dir) Close() error { return nil }

// Fd returns an invalid descriptor outside Unix.
func (d *Dir) Fd() uintptr { return ^uintptr(0) }

// Sync makes the names in d durable, as far as the system allows.
func (d *Dir) Sync() error {
	f, err := os.Open(d.path)
	if err != nil {
		return err
	}
	defer f.Close()
	f.Sync() // not supported for directories on every system
	return nil
}

// check returns what is wrong with name as a directory (dir) or a file.
func (d *Dir) check(name string, dir bool) (bool, error) {
	if err := checkName(d.path, name); err != nil {
		return false, err
	}
	fi, err := os.Lstat(d.Join(name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return true, &UnsafeError{Path: d.Join(name), Found: "is a symlink"}
	case dir && !fi.IsDir():
		return true, &UnsafeError{Path: d.Join(name), Found: "is not a directory"}
	case !dir && !fi.Mode().IsRegular():
		return true, &UnsafeError{Path: d.Join(name), Found: "is not a regular file"}
	}
	return true, nil
}

// OpenDir opens the subdirectory name of d, making it when create is set.
func (d *Dir) OpenDir(name string, create bool) (*Dir, error) {
	exists, err := d.check(name, true)
	if err != nil {
		return nil, err
	}
	if !exists {
		if !create {
			return nil, &fs.PathError{Op: "open", Path: d.Join(name), Err: fs.ErrNotExist}
		}
		if err := os.Mkdir(d.Join(name), 0o755); err != nil {
			return nil, err
		}
	}
	return &Dir{path: d.Join(name)}, nil
}

// Mkdir makes the directory name in d.
func (d *Dir) Mkdir(name string, perm fs.FileMode) error {
	if exists, err := d.check(name, true); err != nil {
		return err
	} else if exists {
		return existErr(d.Join(name))
	}
	return os.Mkdir(d.Join(name), perm)
}

// Exists reports whether name exists in d; a link is an UnsafeError.
func (d *Dir) Exists(name string) (bool, error) {
	if err := checkName(d.path, name); err != nil {
		return false, err
	}
	fi, err := os.Lstat(d.Join(name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case fi.Mode()&fs.ModeSymlink != 0:
		return true, &UnsafeError{Path: d.Join(name), Found: "is a symlink"}
	}
	return true, nil
}

// WriteNew creates the file name in d and writes data.
func (d *Dir) WriteNew(name string, data []byte, perm fs.FileMode) error {
	if exists, err := d.check(name, false); err != nil {
		return err
	} else if exists {
		return existErr(d.Join(name))
	}
	f, err := os.OpenFile(d.Join(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Write publishes data as the file name in d atomically.
func (d *Dir) Write(name string, data []byte, perm fs.FileMode, exclusive bool) (err error) {
	exists, err := d.check(name, false)
	if err != nil {
		return err
	}
	if exists && exclusive {
		return existErr(d.Join(name))
	}
	f, err := os.CreateTemp(d.path, "."+name+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if exclusive {
		if err := os.Link(tmp, d.Join(name)); err != nil {
			return err
		}
		return os.Remove(tmp)
	}
	return os.Rename(tmp, d.Join(name))
}

// OpenFile opens the file name in d; os.O_TRUNC is refused.
func (d *Dir) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	if flag&os.O_TRUNC != 0 {
		return nil, fmt.Errorf("%s: safefile never truncates a file on open", d.Join(name))
	}
	if _, err := d.check(name, false); err != nil {
		return nil, err
	}
	return os.OpenFile(d.Join(name), flag, perm)
}

// ReadFile reads the file name in d.
func (d *Dir) ReadFile(name string) ([]byte, error) {
	if _, err := d.check(name, false); err != nil {
		return nil, reading(err)
	}
	return os.ReadFile(d.Join(name))
}

// Names returns the names in d.
func (d *Dir) Names() ([]string, error) {
	f, err := os.Open(d.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// Rename renames old in d to new in to.
func (d *Dir) Rename(old string, to *Dir, new string) error {
	if err := checkName(d.path, old); err != nil {
		return err
	}
	if err := checkName(to.path, new); err != nil {
		return err
	}
	return os.Rename(d.Join(old), to.Join(new))
}

// Remove removes name from d.
func (d *Dir) Remove(name string) error {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	return os.Remove(d.Join(name))
}

// RemoveAll removes name from d and everything in it.
func (d *Dir) RemoveAll(name string) error {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(d.path, name))
}
