// Package store is the on-disk layout of an output directory of
// certificates: what ldevid issues and roll re-signs, kept so that a
// stopped run leaves nothing half-written and the same run again
// finishes the job.
//
//	<out>/<ca>/cert.pem, key.pem or key.ref     WriteCA, CADir
//	<out>/devices/<id>/cert.pem, key.pem, ...   WriteDevice, ReplaceDevice (the dirs layout)
//	<out>/devices.jsonl, devices.chain.pem      one DeviceRecord per device (the jsonl layout)
//	<out>/journal.jsonl                         one JournalEntry per device issued or refused
//
// Keys are written mode 0600, atomically, and nothing below out is
// written, or read back, through a symbolic link (internal/safefile); a
// device directory is renamed into place complete. A Batch publishes many devices in either layout: it
// takes the journal's lock, removes what a stopped run left, stages
// devices concurrently and publishes them in groups, each made durable
// before its journal lines are written (docs/generate.md, "Crash
// safety").
//
// Package store knows nothing of certificate contents beyond their
// identity (serial and SHA-256); keys are written with package keys.
package store
