// Package batch issues the device certificates of a devices CSV with an
// ldevid.Hierarchy on every core, publishes them through package store
// (a directory per device, or a line of devices.jsonl each) and records
// each in the output directory's journal, so that a stopped batch run
// again finishes the job with every device issued once.
//
//	rows, _ := batch.ReadDevices("devices.csv", f)
//	sum, err := batch.Issue(h, "pki", "sensor", rows, batch.Options{Layout: store.LayoutJSONL})
//
// A row whose certificate the pre-issuance gate refuses is journaled as
// refused and the batch goes on; Options.Check refuses devices before
// any is signed (an inventory's current certificates, without a
// dependency on it); Options.Stop interrupts it cleanly
// (ErrInterrupted).
package batch
