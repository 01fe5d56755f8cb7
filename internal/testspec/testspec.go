// Package testspec holds the hierarchy specs that the tests of several
// packages share, so that a change to one is made once.
package testspec

// Sensors is a root and a subordinate CA issuing tls13-iot LDevIDs for
// sensors: the subject names the device's id and the CSV's serial column,
// and the DNS name comes from the CSV's host column.
const Sensors = `
cas:
  root: {subject: "CN=Root, O=Example, C=DE", validity: 20y}
  sub: {parent: root, subject: "CN=Sub, O=Example, C=DE", validity: 10y}
devices:
  sensor:
    kind: ldevid
    ca: sub
    profile: tls13-iot
    validity: 365d
    subject: "CN=sensor {{.id}}, O=Example, serialNumber={{.serial}}"
    san:
      - dns: "{{.host}}.example.com"
    eku: [clientAuth]
`
