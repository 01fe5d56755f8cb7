package ldevid

import _ "embed"

//go:embed example.yaml
var exampleSpec []byte

// ExampleSpec returns a commented hierarchy spec (root → device CA →
// LDevIDs with a bacnet:// URI and the device serial in the subject) that
// works as it is.
func ExampleSpec() []byte { return append([]byte(nil), exampleSpec...) }
