// Package boundedread reads files and streams up to a size limit, so that
// a wrong path (/dev/zero, /dev/urandom, a named pipe that never ends)
// costs at most the limit in memory and stops with an error, instead of
// growing until the process is killed.
package boundedread

import (
	"bytes"
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

// Lines returns a reader of r that fails, once a line goes on past max
// bytes without a line end, with the error "line N: longer than MAX
// bytes": for line-based inputs (CSV, JSON lines) that are read as a
// stream of any length, so that a wrong path such as /dev/zero, which has
// no line end, stops there.
func Lines(r io.Reader, max int) io.Reader {
	return &linesReader{r: r, max: max, line: 1}
}

type linesReader struct {
	r    io.Reader
	max  int
	cur  int // bytes of the current line read so far
	line int // the current line's number
	err  error
}

func (l *linesReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for rest := p[:n]; ; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l.cur += len(rest)
			break
		}
		if l.cur+i > l.max {
			l.cur += i
			break
		}
		l.cur = 0
		l.line++
		rest = rest[i+1:]
	}
	if l.cur > l.max {
		l.err = fmt.Errorf("line %d: longer than %d bytes", l.line, l.max)
		return 0, l.err
	}
	return n, err
}
