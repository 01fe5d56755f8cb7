// Package boundedread reads files and streams up to a size limit, so that
// a wrong path (/dev/zero, /dev/urandom, a named pipe that never ends)
// costs at most the limit in memory and stops with an error, instead of
// growing until the process is killed.
package boundedread

import (
	"fmt"
	"io"
	"os"
)

// Limits for the small files iotcert reads whole.
const (
	// Config bounds a configuration file: a hierarchy, rollover or EST
	// spec, a rules file. The built-in rules.yaml is under 20 KiB.
	Config = 16 << 20
	// Secret bounds a file that holds a passphrase, a PIN or a password
	// (of which the first line is used).
	Secret = 64 << 10
)

// ReadFile reads the file path to its end, refusing one larger than
// limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path, limit)
}

// Read reads r, the input called name in errors, to its end, refusing one
// larger than limit bytes: the error says "NAME: larger than LIMIT bytes".
func Read(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return data, nil
}
