// Package inventory records every device certificate iotcert issues: the
// device id and profile, the certificate's issuer and serial, its SHA-256
// and notAfter, its status (issued, superseded, revoked), who was
// authenticated to obtain it and when.
//
// Store is the interface of a record store; Open returns the embedded
// SQLite one (modernc.org/sqlite, pure Go, WAL). Its constraints, not the
// callers, make a double issuance impossible: one (issuer, serial) per
// record, one SHA-256 per record, and at most one record with status
// issued for a (profile, id).
//
//	st, _ := inventory.Open("inventory.db")
//	defer st.Close()
//	err := st.Insert(ctx, rec) // ErrIssued if the device has a current certificate
package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Status is the state of a recorded certificate.
type Status string

// The statuses of a record.
const (
	// Issued is the device's current certificate (one per profile and id).
	Issued Status = "issued"
	// Superseded is a certificate replaced by a later one of the same
	// device (a re-enrollment or a reissue).
	Superseded Status = "superseded"
	// Revoked is a certificate withdrawn before its notAfter.
	Revoked Status = "revoked"
)

// Valid reports whether s is a status of a record.
func (s Status) Valid() bool { return s == Issued || s == Superseded || s == Revoked }

// Record is one issued certificate.
type Record struct {
	// Profile is the device profile of the hierarchy spec the
	// certificate was issued under.
	Profile string
	// ID is the device id.
	ID string
	// Issuer names the issuing CA (its name in the spec).
	Issuer string
	// Serial is the certificate's serial number in lower-case hexadecimal.
	Serial string
	// SHA256 is the SHA-256 of the certificate's DER in lower-case
	// hexadecimal.
	SHA256 string
	// NotAfter is the certificate's notAfter; zero when unknown (a record
	// imported from a journal line that did not carry it).
	NotAfter time.Time
	// Status is issued, superseded or revoked.
	Status Status
	// Auth says who was authenticated to obtain the certificate:
	// "est:idevid:<IDevID serial>", "est:ldevid:<LDevID serial>",
	// "cli:sign", "cli:gen device", ...
	Auth string
	// Time is when the certificate was issued.
	Time time.Time
	// Previous is the serial of the certificate of the same device that
	// this one replaced ("" for a first issuance).
	Previous string
}

// Key returns the record's key: its issuer and serial.
func (r *Record) Key() Key { return Key{Issuer: r.Issuer, Serial: r.Serial} }

// check reports a record that cannot be stored.
func (r *Record) check() error {
	switch {
	case r.Profile == "" || r.ID == "":
		return errors.New("record without a device profile or id")
	case r.Issuer == "" || r.Serial == "":
		return fmt.Errorf("record of device %q without an issuer or serial", r.ID)
	case r.SHA256 == "":
		return fmt.Errorf("record of device %q without a SHA-256", r.ID)
	case !r.Status.Valid():
		return fmt.Errorf("record of device %q: status %q (want issued, superseded or revoked)", r.ID, r.Status)
	case r.Time.IsZero():
		return fmt.Errorf("record of device %q without an issuance time", r.ID)
	}
	return nil
}

// Key names one certificate: its issuer and serial.
type Key struct {
	Issuer, Serial string
}

// Errors of a Store.
var (
	// ErrIssued is returned when a device (profile and id) already has a
	// certificate with status issued: a second one would be a double
	// issuance.
	ErrIssued = errors.New("the device has a current certificate already")
	// ErrExists is returned when a certificate (issuer and serial, or
	// SHA-256) is recorded already.
	ErrExists = errors.New("the certificate is recorded already")
	// ErrNotFound is returned when no record matches.
	ErrNotFound = errors.New("no such certificate in the inventory")
	// ErrNotCurrent is returned by Supersede when the certificate to
	// replace is not the device's current one (status issued).
	ErrNotCurrent = errors.New("the certificate is not the device's current one")
)

// Filter selects records for List; the zero Filter selects all.
type Filter struct {
	// Profile, ID and Status, when set, must match.
	Profile, ID string
	Status      Status
	// IDs, when not nil, selects the records of these device ids only
	// (an empty, non-nil IDs selects none): one query for many devices,
	// as a batch checks its rows.
	IDs []string
	// Limit caps the number of records (0: no cap).
	Limit int
}

// Store is a record store. Its methods are safe for concurrent use, also
// by several processes on one store where the implementation allows it.
type Store interface {
	// Insert records r. It fails with ErrIssued when r's status is issued
	// and the device has an issued record, and with ErrExists when r's
	// issuer and serial, or its SHA-256, are recorded.
	Insert(ctx context.Context, r Record) error
	// Supersede marks the record old superseded and records r, in one
	// transaction: either both happen or neither. old must be the
	// device's issued record (ErrNotCurrent otherwise).
	Supersede(ctx context.Context, old Key, r Record) error
	// SetStatus changes the status of the record k.
	SetStatus(ctx context.Context, k Key, s Status) error
	// Get returns the record k (ErrNotFound when there is none).
	Get(ctx context.Context, k Key) (Record, error)
	// Current returns the issued record of a device (ErrNotFound when
	// there is none).
	Current(ctx context.Context, profile, id string) (Record, error)
	// List returns the records f selects, in issuance order.
	List(ctx context.Context, f Filter) ([]Record, error)
	// Close releases the store.
	Close() error
}
