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

// ExampleSpec returns a commented hierarchy spec that works as it is, or
// nil when there is no example called name:
//
//   - "": root → device CA → LDevIDs with a bacnet:// URI and the device
//     serial in the subject;
//   - "matter": a Matter device attestation hierarchy (PAA → PAI → DACs,
//     the matter profile, VID and PID from the spec or from the "vid" and
//     "pid" fields);
//   - "est": an EST deployment (manufacturer-root → idevid-ca issuing
//     IDevIDs, operator-root → ldevid-ca issuing LDevIDs whose device id
//     is read from the IDevID's subject serialNumber).
func ExampleSpec(name string) []byte {
	var spec []byte
	switch name {
	case "":
		spec = exampleSpec
	case "matter":
		spec = exampleMatterSpec
	case "est":
		spec = exampleESTSpec
	default:
		return nil
	}
	return append([]byte(nil), spec...)
}
