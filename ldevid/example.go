package ldevid

import _ "embed"

var (
	//go:embed example.yaml
	exampleSpec []byte
	//go:embed example_matter.yaml
	exampleMatterSpec []byte
	//go:embed example_est.yaml
	exampleESTSpec []byte
)

// ExampleSpec returns a commented hierarchy spec (root → device CA →
// LDevIDs with a bacnet:// URI and the device serial in the subject) that
// works as it is.
func ExampleSpec() []byte { return append([]byte(nil), exampleSpec...) }

// ExampleMatterSpec returns a commented hierarchy spec of a Matter device
// attestation hierarchy (PAA → PAI → DACs, the matter profile, VID and
// PID from the spec or from the "vid" and "pid" fields) that works as it
// is.
func ExampleMatterSpec() []byte { return append([]byte(nil), exampleMatterSpec...) }

// ExampleESTSpec returns a commented hierarchy spec of an EST deployment
// (manufacturer-root → idevid-ca issuing IDevIDs, operator-root →
// ldevid-ca issuing LDevIDs whose device id is read from the IDevID's
// subject serialNumber) that works as it is.
func ExampleESTSpec() []byte { return append([]byte(nil), exampleESTSpec...) }
