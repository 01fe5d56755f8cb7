package batch

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// Row is one device of a batch: a data row of the devices CSV.
type Row struct {
	// Line is the row's line in the CSV (1 is the header).
	Line int
	// id is the row's id column.
	id string
	// fields are the other columns by header name: the template fields of
	// the device ({{.serial}}, {{.mac}}, ...). An empty cell is an empty
	// string, not a missing field.
	fields map[string]string
	// replaces is the serial of the certificate a reissue of the row
	// replaces ("": none).
	replaces string
	// names are the device's names as the check of every row before
	// issuance rendered them (checkRows), issued without rendering them
	// again: a few hundred octets a row.
	names *ldevid.Names
}

// ID returns the row's device id (its id column).
func (r Row) ID() string { return r.id }

// Replaces returns the serial of the certificate the row's reissue
// replaces, in a row Options.Check is given; "" for a first issuance.
func (r Row) Replaces() string { return r.replaces }

// reissue returns the journal line e of the row's device, marked as the
// reissue for opts.Reissue of the certificate it replaces, if any.
func (r Row) reissue(e store.JournalEntry, opts Options) store.JournalEntry {
	if r.replaces != "" {
		e.Previous, e.ReissueReason = r.replaces, opts.Reissue
	}
	return e
}

// request returns the issuance request of the row for the device profile
// called device.
func (r Row) request(device string) ldevid.Request {
	return ldevid.Request{Device: device, ID: r.id, Fields: r.fields}
}

// maxRowErrors is how many row errors ReadDevices lists before it gives up.
const maxRowErrors = 20

// maxCSVLine bounds a line of the devices CSV: a row is an id and a few
// template fields, and a file without line ends (/dev/zero) stops there.
const maxCSVLine = 1 << 20

// ReadDevices reads a devices CSV: a header row that names the columns,
// one of them "id", then one row per device. name is the file's name in
// errors. The whole file is checked before any row is returned, so that a
// batch with a bad row does not start: every error is listed (up to 20),
// each as "name: line N: ...". Errors are a header without an id column,
// an empty or repeated column name, a row with another number of fields
// than the header, an id that cannot name a directory (see store.CheckID), and
// an id given twice.
func ReadDevices(name string, r io.Reader) ([]Row, error) {
	cr := csv.NewReader(boundedread.Lines(r, maxCSVLine))
	cr.FieldsPerRecord = -1 // counted here, to report every bad row
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty: want a header row with an id column", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // a spreadsheet's byte order mark
	}
	if i := slices.IndexFunc(header, notText); i >= 0 {
		// Binary data (a DER key or certificate given as the CSV): no
		// error below may quote it.
		return nil, fmt.Errorf("%s: line 1: column %d of the header is not text (not shown: it may be a key); want a CSV file with a header row", name, i+1)
	}
	idCol := -1
	seen := map[string]int{}
	for i, h := range header {
		switch {
		case h == "":
			return nil, fmt.Errorf("%s: line 1: column %d has no name", name, i+1)
		case seen[h] > 0:
			return nil, fmt.Errorf("%s: line 1: column %q appears twice (columns %d and %d)", name, h, seen[h], i+1)
		}
		seen[h] = i + 1
		if h == "id" {
			idCol = i
		}
	}
	switch {
	case idCol < 0 && len(header) == 1:
		// One field: as likely a passphrase or a key given as --from by
		// mistake as a header, so its size is given, not its content.
		return nil, fmt.Errorf("%s: line 1: no id column in the header (one field of %d bytes, not shown: it may be a key or a password)", name, len(header[0]))
	case idCol < 0:
		return nil, fmt.Errorf("%s: line 1: no id column in the header %q", name, strings.Join(header, ","))
	}
	var rows []Row
	var errs []error
	firstLine := map[string]int{}
	more := 0
	add := func(err error) {
		if len(errs) < maxRowErrors {
			errs = append(errs, err)
		} else {
			more++
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A syntax error (a bare quote, an unterminated field) leaves
			// the reader's position unreliable: stop here.
			add(csvError(name, err))
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			add(fmt.Errorf("%s: line %d: %d fields, the header has %d", name, line, len(rec), len(header)))
			continue
		}
		id := rec[idCol]
		if err := store.CheckID(id); err != nil {
			add(fmt.Errorf("%s: line %d: %w", name, line, err))
			continue
		}
		if first, dup := firstLine[id]; dup {
			add(fmt.Errorf("%s: line %d: device id %q again (first on line %d)", name, line, id, first))
			continue
		}
		firstLine[id] = line
		fields := make(map[string]string, len(header)-1)
		for i, h := range header {
			if i != idCol {
				fields[h] = rec[i]
			}
		}
		rows = append(rows, Row{Line: line, id: id, fields: fields})
	}
	if more > 0 {
		errs = append(errs, fmt.Errorf("%s: %d more bad rows", name, more))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no devices after the header", name)
	}
	return rows, nil
}

// csvError locates an encoding/csv error as "name: line N: ...".
// notText reports whether s is not valid UTF-8 or holds a control
// character other than a tab.
func notText(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' })
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: line %d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}
