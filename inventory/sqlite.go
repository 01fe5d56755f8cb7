package inventory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/iotcert/iotcert/internal/safefile"
)

// schema is the SQLite schema. The primary key makes a serial unique per
// issuer; the partial unique index allows one issued certificate per
// device profile and id, whatever the writers do concurrently.
const schema = `
CREATE TABLE IF NOT EXISTS certificates (
	issuer    TEXT NOT NULL,
	serial    TEXT NOT NULL,
	profile   TEXT NOT NULL,
	id        TEXT NOT NULL,
	sha256    TEXT NOT NULL UNIQUE,
	not_after TEXT NOT NULL,
	status    TEXT NOT NULL CHECK (status IN ('issued', 'superseded', 'revoked')),
	auth      TEXT NOT NULL,
	time      TEXT NOT NULL,
	previous  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (issuer, serial)
);
CREATE UNIQUE INDEX IF NOT EXISTS certificates_one_issued ON certificates (profile, id) WHERE status = 'issued';
CREATE INDEX IF NOT EXISTS certificates_device ON certificates (profile, id);
`

const columns = `issuer, serial, profile, id, sha256, not_after, status, auth, time, previous`

// timeFormat is how times are stored: RFC 3339 in UTC with nanoseconds,
// fixed width so that text order is time order.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// SQLite is the Store kept in one SQLite database file.
type SQLite struct {
	db   *sql.DB
	path string
	// Prepared once: parsing and planning cost more than the hot
	// statements themselves.
	insertStmt, supersedeStmt, selectKeyStmt, selectCurrentStmt *sql.Stmt
}

const (
	insertSQL        = `INSERT INTO certificates (` + columns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	supersedeSQL     = `UPDATE certificates SET status = 'superseded' WHERE issuer = ? AND serial = ? AND status = 'issued' AND profile = ? AND id = ?`
	selectSQL        = `SELECT ` + columns + ` FROM certificates `
	selectKeyWhere   = `WHERE issuer = ? AND serial = ?`
	selectCurrentSQL = `WHERE profile = ? AND id = ? AND status = 'issued'`
)

var _ Store = (*SQLite)(nil)

// Options configure OpenWith.
type Options struct {
	// NoSync commits without waiting for the disk (SQLite synchronous
	// NORMAL in WAL mode): a commit survives the process being killed,
	// not a power loss. For a store whose records are also in a journal
	// synced to disk, from which they are recorded again at start
	// (iotcert est).
	NoSync bool
	// Existing opens only an inventory that is there already: a missing
	// or empty file, or an SQLite database without iotcert's tables, is
	// an error and nothing is written to it (the reading commands of
	// "iotcert inventory").
	Existing bool
}

// Open opens (or creates) the SQLite inventory at path, in WAL mode with
// a busy timeout (so that another process, such as "iotcert inventory
// list" beside a running server, waits instead of failing) and full
// synchronous commits. path, and its -wal and -shm files, must not be
// symbolic links.
func Open(path string) (*SQLite, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (*SQLite, error) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("inventory: %w", &safefile.UnsafeError{Path: p, Found: "is a symlink"})
		} else if err == nil && !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("inventory: %w", &safefile.UnsafeError{Path: p, Found: "is not a regular file"})
		}
	}
	if err := checkInventory(path, opts.Existing); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	if opts.NoSync {
		q.Add("_pragma", "synchronous(NORMAL)")
	} else {
		q.Add("_pragma", "synchronous(FULL)")
	}
	q.Set("_txlock", "immediate")
	dsn := (&url.URL{Scheme: "file", Opaque: url.PathEscape(path), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	// One connection: writes of this process queue in database/sql
	// rather than in SQLite's busy handler.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("inventory %s: %w", path, err)
	}
	s := &SQLite{db: db, path: path}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{{&s.insertStmt, insertSQL}, {&s.supersedeStmt, supersedeSQL}, {&s.selectKeyStmt, selectSQL + selectKeyWhere}, {&s.selectCurrentStmt, selectSQL + selectCurrentSQL}} {
		if *p.dst, err = db.Prepare(p.sql); err != nil {
			db.Close()
			return nil, fmt.Errorf("inventory %s: %w", path, err)
		}
	}
	return s, nil
}

// checkInventory refuses, before anything is written to it, a file at
// path that is an SQLite database of something else (tables, none of
// them iotcert's) or not an SQLite database at all; with existing, also
// a missing or empty file or a database without tables. It reads with a
// query-only connection, which changes nothing (not even the journal
// mode).
func checkInventory(path string, existing bool) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !existing:
		return nil
	case err != nil:
		return fmt.Errorf("inventory: %w", err)
	case fi.Size() == 0 && !existing:
		return nil
	case fi.Size() == 0:
		return fmt.Errorf("inventory %s: an empty file, not an inventory (gen, sign and est make one with --db)", path)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Opaque: url.PathEscape(path), RawQuery: q.Encode()}).String())
	if err != nil {
		return fmt.Errorf("inventory %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return fmt.Errorf("inventory %s: not an SQLite database: %w", path, err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("inventory %s: %w", path, err)
		}
		if name == "certificates" {
			return nil
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("inventory %s: not an SQLite database: %w", path, err)
	}
	if len(tables) > 0 {
		return fmt.Errorf("inventory %s: an SQLite database of something else (tables %s), not an iotcert inventory: nothing written to it", path, strings.Join(tables, ", "))
	}
	if existing {
		return fmt.Errorf("inventory %s: an SQLite database without an inventory in it (gen, sign and est make one with --db)", path)
	}
	return nil
}

// Path returns the database file's path.
func (s *SQLite) Path() string { return s.path }

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// Insert records r (see Store).
func (s *SQLite) Insert(ctx context.Context, r Record) error {
	if err := r.check(); err != nil {
		return err
	}
	return s.errorOf(insert(ctx, s.insertStmt, r), r)
}

func insert(ctx context.Context, stmt *sql.Stmt, r Record) error {
	na := ""
	if !r.NotAfter.IsZero() {
		na = r.NotAfter.UTC().Format(timeFormat)
	}
	_, err := stmt.ExecContext(ctx, r.Issuer, strings.ToLower(r.Serial), r.Profile, r.ID, strings.ToLower(r.SHA256), na, string(r.Status), r.Auth,
		r.Time.UTC().Format(timeFormat), r.Previous)
	return err
}

// errorOf maps a constraint violation inserting r to ErrIssued or
// ErrExists.
func (s *SQLite) errorOf(err error, r Record) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		if strings.Contains(se.Error(), "certificates.profile") {
			return fmt.Errorf("device %q (profile %s): %w", r.ID, r.Profile, ErrIssued)
		}
		return fmt.Errorf("certificate %s of %s (device %q): %w", r.Serial, r.Issuer, r.ID, ErrExists)
	}
	return fmt.Errorf("inventory %s: %w", s.path, err)
}

// Supersede marks old superseded and records r in one transaction (see
// Store).
func (s *SQLite) Supersede(ctx context.Context, old Key, r Record) error {
	if err := r.check(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("inventory %s: %w", s.path, err)
	}
	defer tx.Rollback()
	res, err := tx.StmtContext(ctx, s.supersedeStmt).ExecContext(ctx, old.Issuer, strings.ToLower(old.Serial), r.Profile, r.ID)
	if err != nil {
		return fmt.Errorf("inventory %s: %w", s.path, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("inventory %s: %w", s.path, err)
	} else if n != 1 {
		return fmt.Errorf("certificate %s of %s (device %q, profile %s): %w", old.Serial, old.Issuer, r.ID, r.Profile, ErrNotCurrent)
	}
	if err := insert(ctx, tx.StmtContext(ctx, s.insertStmt), r); err != nil {
		return s.errorOf(err, r)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("inventory %s: %w", s.path, err)
	}
	return nil
}

// SetStatus changes the status of the record k (see Store).
func (s *SQLite) SetStatus(ctx context.Context, k Key, st Status) error {
	if !st.Valid() {
		return fmt.Errorf("status %q: want issued, superseded or revoked", st)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE certificates SET status = ? WHERE issuer = ? AND serial = ?`, string(st), k.Issuer, strings.ToLower(k.Serial))
	if err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
			return fmt.Errorf("certificate %s of %s: %w", k.Serial, k.Issuer, ErrIssued)
		}
		return fmt.Errorf("inventory %s: %w", s.path, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("certificate %s of %s: %w", k.Serial, k.Issuer, ErrNotFound)
	}
	return nil
}

// Get returns the record k (see Store).
func (s *SQLite) Get(ctx context.Context, k Key) (Record, error) {
	rs, err := s.scan(s.selectKeyStmt.QueryContext(ctx, k.Issuer, strings.ToLower(k.Serial)))
	if err != nil {
		return Record{}, err
	}
	if len(rs) == 0 {
		return Record{}, fmt.Errorf("certificate %s of %s: %w", k.Serial, k.Issuer, ErrNotFound)
	}
	return rs[0], nil
}

// Current returns the device's issued record (see Store).
func (s *SQLite) Current(ctx context.Context, profile, id string) (Record, error) {
	rs, err := s.scan(s.selectCurrentStmt.QueryContext(ctx, profile, id))
	if err != nil {
		return Record{}, err
	}
	if len(rs) == 0 {
		return Record{}, fmt.Errorf("device %q (profile %s): %w", id, profile, ErrNotFound)
	}
	return rs[0], nil
}

// List returns the records f selects, in issuance order (see Store).
func (s *SQLite) List(ctx context.Context, f Filter) ([]Record, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"profile", f.Profile}, {"id", f.ID}, {"status", string(f.Status)}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.IDs != nil {
		// One parameter whatever the number of ids (SQLite caps the
		// parameters of a statement); the ids are looked up in the index
		// on (profile, id).
		for _, id := range f.IDs {
			// JSON carries UTF-8 only: such an id would be changed.
			if !utf8.ValidString(id) {
				return nil, fmt.Errorf("inventory %s: device id %q is not UTF-8", s.path, id)
			}
		}
		ids, err := json.Marshal(f.IDs)
		if err != nil {
			return nil, fmt.Errorf("inventory %s: %w", s.path, err)
		}
		where = append(where, "id IN (SELECT value FROM json_each(?))")
		args = append(args, string(ids))
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ")
	}
	clause += " ORDER BY time, rowid"
	if f.Limit > 0 {
		clause += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return s.query(ctx, clause, args...)
}

func (s *SQLite) query(ctx context.Context, clause string, args ...any) ([]Record, error) {
	return s.scan(s.db.QueryContext(ctx, selectSQL+clause, args...))
}

// scan reads the records of a query.
func (s *SQLite) scan(rows *sql.Rows, err error) ([]Record, error) {
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var na, t, st string
		if err := rows.Scan(&r.Issuer, &r.Serial, &r.Profile, &r.ID, &r.SHA256, &na, &st, &r.Auth, &t, &r.Previous); err != nil {
			return nil, fmt.Errorf("inventory %s: %w", s.path, err)
		}
		r.Status = Status(st)
		if r.Time, err = time.Parse(time.RFC3339Nano, t); err != nil {
			return nil, fmt.Errorf("inventory %s: certificate %s: time %q: %w", s.path, r.Serial, t, err)
		}
		if na != "" {
			if r.NotAfter, err = time.Parse(time.RFC3339Nano, na); err != nil {
				return nil, fmt.Errorf("inventory %s: certificate %s: not_after %q: %w", s.path, r.Serial, na, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inventory %s: %w", s.path, err)
	}
	return out, nil
}
