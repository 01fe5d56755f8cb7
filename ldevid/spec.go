package ldevid

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/duration"
	"github.com/iotcert/iotcert/internal/strictyaml"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/profile"
)

// Spec is a loaded hierarchy spec: the CAs to create and the device
// profiles to issue under them. Load it with LoadSpec or ReadSpec; the
// YAML format is described in docs/generate.md.
type Spec struct {
	// Name is the name errors are reported under (the file name).
	Name string
	// dir is the directory relative paths in the spec (Rules) resolve
	// against.
	dir string
	// Profile is the default lint profile (rules.yaml) of the CAs and
	// devices: "tls13-iot" unless the spec sets "profile".
	Profile string
	// rules is the rules file loaded over the embedded rules.yaml, as
	// written in the spec ("" for none). rulesPath resolves it.
	rules string
	// inlineRules is a rules document written in the spec itself under
	// "rules:" (a mapping, in the format of rules.yaml), loaded over the
	// embedded rules.yaml; its Name is the spec's, and its lines are the
	// spec's lines. Data is nil when there is none.
	inlineRules profile.RulesFile
	// macAddressOID is the otherName type-id of MACAddress names; nil
	// unless the spec sets macaddress_oid.
	macAddressOID asn1.ObjectIdentifier
	// CAs are the certification authorities, every parent before its
	// children (the order of the spec when it already is so).
	CAs []*CASpec
	// Devices are the device profiles, in spec order.
	Devices []*DeviceSpec
}

// CASpec is one certification authority of a Spec.
type CASpec struct {
	// Name is the CA's key in the spec; its files go to <out>/<Name>/.
	Name string
	// Parent is the name of the issuing CA; "" for a root.
	Parent string
	// pathLen is basicConstraints pathLenConstraint; nil for none.
	pathLen *int
	// keyUsage is the CA certificate's keyUsage; 0 for the default
	// (keyCertSign and cRLSign, and digitalSignature on a subordinate).
	keyUsage x509.KeyUsage
	// Subject is the CA's subject (RFC 4514 order, see ParseSubject).
	Subject *Subject
	// curve is the key algorithm of the CA's key.
	curve keys.Curve
	// validity is the CA certificate's lifetime.
	validity Validity
	// Profile is the lint profile the CA certificate must pass.
	Profile string
	// line is the line of the CA's key in the spec.
	line int
}

// deviceKind is the kind of device identity a device profile issues.
type deviceKind string

// The device kinds of IEEE 802.1AR.
const (
	kindIDevID deviceKind = "idevid"
	kindLDevID deviceKind = "ldevid"
)

// DeviceSpec is one device profile of a Spec: how the certificate of one
// device is made from its id and fields.
type DeviceSpec struct {
	// Name is the device profile's key in the spec.
	Name string
	// kind is idevid or ldevid.
	kind deviceKind
	// CA is the name of the issuing CA.
	CA string
	// Profile is the lint profile every device certificate must pass.
	Profile string
	// Curve is the key algorithm of generated device keys, and the one a
	// CSR's key must have.
	Curve keys.Curve
	// validity is the device certificate's lifetime; Forever gives
	// notAfter 99991231235959Z.
	validity Validity
	// Subject is the subject template.
	Subject *Subject
	// sans are the subjectAltName templates, in order.
	sans []*sanSpec
	// extKeyUsage are the extendedKeyUsage purposes, in order.
	extKeyUsage []asn1.ObjectIdentifier
	// subjectKeyID puts a subjectKeyIdentifier (RFC 5280 §4.2.1.2 method
	// 1, 20 octets) in the certificates: Matter requires one in a DAC, the
	// TLS 1.3 IoT profile forbids one in an end entity.
	subjectKeyID bool
	// basicConstraints puts a critical basicConstraints cA=FALSE in the
	// certificates, as Matter requires in a DAC.
	basicConstraints bool
	// C509 makes a natively signed C509 certificate (type 2) of every
	// device beside its X.509 certificate (store.C509File).
	C509 bool
	// IDFrom is the rule an enrollment server (iotcert est) reads the
	// device id with from the IDevID that authenticates the device: one
	// of the IDFrom* values; "" when the profile is not enrolled.
	IDFrom string
	// line is the line of the device profile's key in the spec.
	line int
}

// The rules of DeviceSpec.IDFrom.
const (
	// IDFromSerialNumber takes the IDevID's subject serialNumber.
	IDFromSerialNumber = "serialNumber"
	// IDFromCommonName takes the IDevID's subject commonName.
	IDFromCommonName = "commonName"
	// IDFromHardwareModuleName takes the hwSerialNum of the IDevID's
	// subjectAltName HardwareModuleName (RFC 4108).
	IDFromHardwareModuleName = "hardwareModuleName"
)

// sanType names the kind of a sanSpec.
type sanType string

// The subjectAltName types a device profile can hold.
const (
	sanDNS                sanType = "dns"
	sanURI                sanType = "uri"
	sanIP                 sanType = "ip"
	sanEmail              sanType = "email"
	sanHardwareModuleName sanType = "hardwareModuleName"
	sanMACAddress         sanType = "macaddress"
)

// sanSpec is one subjectAltName entry template of a device profile.
type sanSpec struct {
	// Type is the kind of name.
	Type sanType
	// Value is the template of the name (of the hwSerialNum for a
	// HardwareModuleName).
	Value *template.Template
	// hwType is the hwType of a HardwareModuleName.
	hwType asn1.ObjectIdentifier
	// Line is the entry's line in the spec.
	Line int

	plan []templatePart // Value's parts, when it is a simple template
}

// Validity is a certificate lifetime: years, days and hours after
// notBefore, or Forever.
type Validity struct {
	// Days is the lifetime in days; years and hours are added to it.
	Days         int
	years, hours int
	// Forever gives notAfter 99991231235959Z (idevid.NoExpiry).
	Forever bool
}

// NotAfter returns the notAfter of a certificate whose notBefore is nb.
func (v Validity) NotAfter(nb time.Time) time.Time {
	if v.Forever {
		return idevid.NoExpiry
	}
	return v.duration().AddTo(nb)
}

// String returns the validity as written in a spec.
func (v Validity) String() string {
	if v.Forever {
		return "forever"
	}
	return v.duration().String()
}

func (v Validity) duration() duration.Duration {
	return duration.Duration{Years: v.years, Days: v.Days, Hours: v.hours}
}

// ParseValidity parses "forever" or a positive duration in the syntax of
// internal/duration: years, weeks, days and hours ("20y", "825d", "1y30d",
// "48h").
func ParseValidity(s string) (Validity, error) {
	if s == "forever" {
		return Validity{Forever: true}, nil
	}
	d, err := duration.Parse(s)
	if err != nil {
		return Validity{}, fmt.Errorf("validity (a duration or forever): %w", err)
	}
	if d.IsZero() {
		return Validity{}, fmt.Errorf("validity %q: want a positive duration or forever", s)
	}
	return Validity{years: d.Years, Days: d.Days, hours: d.Hours}, nil
}

// The YAML model.

type specFile struct {
	Profile       string    `yaml:"profile"`
	Rules         yaml.Node `yaml:"rules"`
	MACAddressOID string    `yaml:"macaddress_oid"`
	CAs           yaml.Node `yaml:"cas"`
	Devices       yaml.Node `yaml:"devices"`
}

type caFile struct {
	Parent   string   `yaml:"parent"`
	PathLen  *int     `yaml:"path_len"`
	KeyUsage []string `yaml:"key_usage"`
	Subject  string   `yaml:"subject"`
	Curve    string   `yaml:"curve"`
	Validity string   `yaml:"validity"`
	Profile  string   `yaml:"profile"`
}

type deviceFile struct {
	Kind             string      `yaml:"kind"`
	CA               string      `yaml:"ca"`
	Profile          string      `yaml:"profile"`
	Curve            string      `yaml:"curve"`
	Validity         string      `yaml:"validity"`
	Subject          string      `yaml:"subject"`
	SAN              []yaml.Node `yaml:"san"`
	EKU              []string    `yaml:"eku"`
	SubjectKeyID     bool        `yaml:"subject_key_id"`
	BasicConstraints bool        `yaml:"basic_constraints"`
	C509             bool        `yaml:"c509"`
	IDFrom           string      `yaml:"id_from"`
}

type sanFile struct {
	DNS                string  `yaml:"dns"`
	URI                string  `yaml:"uri"`
	IP                 string  `yaml:"ip"`
	Email              string  `yaml:"email"`
	HardwareModuleName *hwFile `yaml:"hardwareModuleName"`
	MACAddress         string  `yaml:"macaddress"`
}

type hwFile struct {
	Type   string `yaml:"type"`
	Serial string `yaml:"serial"`
}

// ReadSpec reads and loads the spec file path; relative paths in it
// resolve against its directory.
func ReadSpec(path string) (*Spec, error) {
	data, err := boundedread.ReadFile(path, boundedread.Config)
	if err != nil {
		return nil, fmt.Errorf("hierarchy spec: %w", err)
	}
	s, err := LoadSpec(path, data)
	if err != nil {
		return nil, err
	}
	s.dir = filepath.Dir(path)
	return s, nil
}

// LoadSpec loads a hierarchy spec from data, strictly: an unknown key, a
// value of the wrong type, an unknown curve, a CA whose parent is not
// defined (or a cycle of parents), a device profile naming an unknown CA,
// a template that does not parse, are errors naming name and the line.
// Lint profile names are checked by New, which has the rules.
func LoadSpec(name string, data []byte) (*Spec, error) {
	located := func(err error) error { return fmt.Errorf("%s: %w", name, err) }
	at := func(line int, format string, args ...any) error {
		return located(fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	top, err := strictyaml.ParseDocument(data)
	if err != nil {
		return nil, located(err)
	}
	var f specFile
	if err := strictyaml.Decode(top, &f); err != nil {
		return nil, located(err)
	}
	s := &Spec{Name: name, dir: ".", Profile: f.Profile}
	switch {
	case f.Rules.Kind == 0 || f.Rules.Tag == "!!null":
	case f.Rules.Kind == yaml.ScalarNode:
		s.rules = f.Rules.Value
	case f.Rules.Kind == yaml.MappingNode:
		s.inlineRules = profile.RulesFile{Name: name, Data: inlineDocument(data, &f.Rules)}
	default:
		return nil, at(f.Rules.Line, `"rules" must be a file name or a rules document (a mapping with "profiles")`)
	}
	if s.Profile == "" {
		s.Profile = "tls13-iot"
	}
	if f.MACAddressOID != "" {
		if s.macAddressOID, err = parseOID(f.MACAddressOID); err != nil {
			return nil, at(lineOf(top, "macaddress_oid"), "macaddress_oid: %v", err)
		}
	}

	if f.CAs.Kind != yaml.MappingNode || len(f.CAs.Content) == 0 {
		return nil, at(max(f.CAs.Line, top.Line), `"cas" must be a mapping of CA names to CAs, with at least a root`)
	}
	byName := map[string]*CASpec{}
	var cas []*CASpec
	for i := 0; i+1 < len(f.CAs.Content); i += 2 {
		k, v := f.CAs.Content[i], f.CAs.Content[i+1]
		if err := checkName(k.Value); err != nil {
			return nil, at(k.Line, "CA %v", err)
		}
		var cf caFile
		if err := strictyaml.Decode(v, &cf); err != nil {
			return nil, located(fmt.Errorf("CA %q: %w", k.Value, err))
		}
		ca := &CASpec{Name: k.Value, Parent: cf.Parent, pathLen: cf.PathLen, Profile: cf.Profile, line: k.Line}
		if ca.Profile == "" {
			ca.Profile = s.Profile
		}
		if ca.curve, err = keys.ParseCurve(cf.Curve); err != nil {
			return nil, at(lineOf(v, "curve"), "CA %q: %v", k.Value, err)
		}
		if cf.Validity == "" {
			return nil, at(k.Line, "CA %q: no validity (e.g. validity: 20y)", k.Value)
		}
		if ca.validity, err = ParseValidity(cf.Validity); err != nil {
			return nil, at(lineOf(v, "validity"), "CA %q: %v", k.Value, err)
		}
		if len(cf.KeyUsage) > 0 {
			if ca.keyUsage, err = parseCAKeyUsage(cf.KeyUsage); err != nil {
				return nil, at(lineOf(v, "key_usage"), "CA %q: %v", k.Value, err)
			}
		}
		if ca.pathLen != nil && *ca.pathLen < 0 {
			return nil, at(lineOf(v, "path_len"), "CA %q: path_len %d is negative", k.Value, *ca.pathLen)
		}
		if cf.Subject == "" {
			return nil, at(k.Line, "CA %q: no subject", k.Value)
		}
		if ca.Subject, err = ParseSubject(cf.Subject); err != nil {
			return nil, at(lineOf(v, "subject"), "CA %q: %v", k.Value, err)
		}
		if !ca.Subject.Constant() {
			return nil, at(lineOf(v, "subject"), "CA %q: subject: a CA subject cannot use templates", k.Value)
		}
		byName[ca.Name] = ca
		cas = append(cas, ca)
	}
	for _, ca := range cas {
		if ca.Parent != "" && byName[ca.Parent] == nil {
			return nil, at(ca.line, "CA %q: parent %q is not a CA of this spec (CAs: %s)", ca.Name, ca.Parent, names(cas))
		}
	}
	if s.CAs, err = parentsFirst(cas); err != nil {
		return nil, located(err)
	}

	if f.Devices.Kind != 0 && f.Devices.Kind != yaml.MappingNode && f.Devices.Tag != "!!null" {
		return nil, at(f.Devices.Line, `"devices" must be a mapping of device profile names to device profiles`)
	}
	for i := 0; f.Devices.Kind == yaml.MappingNode && i+1 < len(f.Devices.Content); i += 2 {
		k, v := f.Devices.Content[i], f.Devices.Content[i+1]
		d, err := loadDevice(s, k, v, byName)
		if err != nil {
			return nil, located(err)
		}
		s.Devices = append(s.Devices, d)
	}
	return s, nil
}

func loadDevice(s *Spec, k, v *yaml.Node, cas map[string]*CASpec) (*DeviceSpec, error) {
	at := func(line int, format string, args ...any) error {
		return fmt.Errorf("line %d: device profile %q: %s", line, k.Value, fmt.Sprintf(format, args...))
	}
	if err := checkName(k.Value); err != nil {
		return nil, fmt.Errorf("line %d: device profile %v", k.Line, err)
	}
	var df deviceFile
	if err := strictyaml.Decode(v, &df); err != nil {
		return nil, fmt.Errorf("device profile %q: %w", k.Value, err)
	}
	d := &DeviceSpec{Name: k.Value, kind: deviceKind(df.Kind), CA: df.CA, Profile: df.Profile, subjectKeyID: df.SubjectKeyID, basicConstraints: df.BasicConstraints, C509: df.C509, IDFrom: df.IDFrom, line: k.Line}
	var err error
	switch d.kind {
	case kindIDevID, kindLDevID:
	case "":
		return nil, at(k.Line, "no kind (idevid or ldevid)")
	default:
		return nil, at(lineOf(v, "kind"), "kind %q: want idevid or ldevid", df.Kind)
	}
	if d.CA == "" {
		return nil, at(k.Line, "no issuing ca")
	}
	switch d.IDFrom {
	case "", IDFromSerialNumber, IDFromCommonName, IDFromHardwareModuleName:
	default:
		return nil, at(lineOf(v, "id_from"), "id_from %q: want serialNumber, commonName or hardwareModuleName", d.IDFrom)
	}
	if d.IDFrom != "" && d.kind != kindLDevID {
		return nil, at(lineOf(v, "id_from"), "id_from: only an ldevid profile is enrolled with an IDevID")
	}
	if cas[d.CA] == nil {
		return nil, at(lineOf(v, "ca"), "ca %q is not a CA of this spec", d.CA)
	}
	if d.Profile == "" {
		d.Profile = s.Profile
	}
	if d.Curve, err = keys.ParseCurve(df.Curve); err != nil {
		return nil, at(lineOf(v, "curve"), "%v", err)
	}
	if df.Validity == "" {
		return nil, at(k.Line, "no validity (e.g. validity: 365d, or forever)")
	}
	if d.validity, err = ParseValidity(df.Validity); err != nil {
		return nil, at(lineOf(v, "validity"), "%v", err)
	}
	if d.Subject, err = ParseSubject(df.Subject); err != nil {
		return nil, at(lineOf(v, "subject"), "subject: %v", err)
	}
	for _, u := range df.EKU {
		oid, err := parseEKU(u)
		if err != nil {
			return nil, at(lineOf(v, "eku"), "%v", err)
		}
		d.extKeyUsage = append(d.extKeyUsage, oid)
	}
	for i := range df.SAN {
		n := &df.SAN[i]
		var sf sanFile
		if err := strictyaml.Decode(n, &sf); err != nil {
			return nil, fmt.Errorf("device profile %q: san: %w", k.Value, err)
		}
		san, err := loadSAN(s, sf, n.Line)
		if err != nil {
			return nil, at(n.Line, "san: %v", err)
		}
		d.sans = append(d.sans, san)
	}
	if d.Subject.Empty() && len(d.sans) == 0 {
		return nil, at(k.Line, "neither a subject nor a san: the certificate would name nobody")
	}
	return d, nil
}

func loadSAN(s *Spec, sf sanFile, line int) (*sanSpec, error) {
	san := &sanSpec{Line: line}
	var value string
	set := 0
	for _, c := range []struct {
		t sanType
		v string
	}{{sanDNS, sf.DNS}, {sanURI, sf.URI}, {sanIP, sf.IP}, {sanEmail, sf.Email}, {sanMACAddress, sf.MACAddress}} {
		if c.v != "" {
			san.Type, value = c.t, c.v
			set++
		}
	}
	if sf.HardwareModuleName != nil {
		set++
		san.Type, value = sanHardwareModuleName, sf.HardwareModuleName.Serial
		if sf.HardwareModuleName.Type == "" || value == "" {
			return nil, errors.New("hardwareModuleName needs type (an OID) and serial")
		}
		var err error
		if san.hwType, err = parseOID(sf.HardwareModuleName.Type); err != nil {
			return nil, fmt.Errorf("hardwareModuleName type: %v", err)
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("each entry holds exactly one of dns, uri, ip, email, hardwareModuleName, macaddress (found %d)", set)
	}
	if san.Type == sanMACAddress && s.macAddressOID == nil {
		return nil, errors.New("macaddress needs macaddress_oid at the top of the spec (the MACAddress OID is not assigned yet)")
	}
	t, err := newTemplate(string(san.Type), value)
	if err != nil {
		return nil, err
	}
	san.Value, san.plan = t, simplePlan(t)
	return san, nil
}

// inlineDocument returns the text of the block mapping n of data as a
// document of its own, with every other line blanked so that line numbers
// stay those of data. A flow mapping is re-encoded (its errors then carry
// the lines of the re-encoding).
func inlineDocument(data []byte, n *yaml.Node) []byte {
	if n.Style&yaml.FlowStyle != 0 {
		b, err := yaml.Marshal(n)
		if err != nil {
			return nil
		}
		return b
	}
	lines := strings.Split(string(data), "\n")
	indent := n.Column - 1
	out := make([]string, len(lines))
	for i := n.Line - 1; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimLeft(l, " ")
		if trimmed != "" && !strings.HasPrefix(trimmed, "#") && len(l)-len(trimmed) < indent {
			break
		}
		out[i] = l
	}
	return []byte(strings.Join(out, "\n"))
}

// newTemplate parses a text/template that fails on a missing field.
func newTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %q: %v", text, strings.TrimPrefix(err.Error(), "template: "))
	}
	return t, nil
}

// A templatePart is a piece of a simple template: literal text, or the
// value of a field.
type templatePart struct {
	text    string
	field   string
	isField bool
}

// simplePlan returns the parts of t when t is only text and {{.name}}
// actions (as subject and SAN templates nearly always are), or nil.
func simplePlan(t *template.Template) []templatePart {
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return nil
	}
	var parts []templatePart
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, templatePart{text: string(n.Text)})
		case *parse.ActionNode:
			if len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
				return nil
			}
			f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) != 1 {
				return nil
			}
			parts = append(parts, templatePart{field: f.Ident[0], isField: true})
		default:
			return nil
		}
	}
	return parts
}

// render runs t over fields: by concatenation when plan (t's simplePlan)
// is set and every field it names is there, which is what t.Execute
// would print; otherwise with t.Execute, which also gives the errors.
func render(t *template.Template, plan []templatePart, fields map[string]string) (string, error) {
	if plan == nil {
		return execute(t, fields)
	}
	var b strings.Builder
	for _, p := range plan {
		if !p.isField {
			b.WriteString(p.text)
			continue
		}
		v, ok := fields[p.field]
		if !ok {
			return execute(t, fields)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// execute runs t over fields.
func execute(t *template.Template, fields map[string]string) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, fields); err != nil {
		msg := strings.TrimPrefix(err.Error(), "template: ")
		return "", fmt.Errorf("template %q: %s", t.Root.String(), msg)
	}
	return b.String(), nil
}

// rulesPath is the path of the spec's rules file, resolved against dir, or
// "" when the spec names none.
func (s *Spec) rulesPath() string {
	if s.rules == "" || filepath.IsAbs(s.rules) {
		return s.rules
	}
	return filepath.Join(s.dir, s.rules)
}

// CA returns the CA called name, or nil.
func (s *Spec) CA(name string) *CASpec {
	for _, c := range s.CAs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Device returns the device profile called name, or nil.
func (s *Spec) Device(name string) *DeviceSpec {
	for _, d := range s.Devices {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// parentsFirst orders cas so that every parent comes before its children,
// keeping the spec order otherwise, and reports a cycle of parents.
func parentsFirst(cas []*CASpec) ([]*CASpec, error) {
	done := map[string]bool{}
	var out []*CASpec
	for len(out) < len(cas) {
		progress := false
		for _, c := range cas {
			if !done[c.Name] && (c.Parent == "" || done[c.Parent]) {
				done[c.Name], progress = true, true
				out = append(out, c)
			}
		}
		if !progress {
			for _, c := range cas {
				if !done[c.Name] {
					return nil, fmt.Errorf("line %d: CA %q: its parents form a cycle and reach no root", c.line, c.Name)
				}
			}
		}
	}
	return out, nil
}

func names(cas []*CASpec) string {
	var n []string
	for _, c := range cas {
		n = append(n, c.Name)
	}
	return strings.Join(n, ", ")
}

// checkName accepts names that are safe as a directory name.
func checkName(n string) error {
	if n == "" || n == "." || n == ".." || n == "devices" {
		return fmt.Errorf("name %q is not allowed", n)
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("name %q: only letters, digits, '-', '_' and '.' are allowed", n)
		}
	}
	return nil
}

// lineOf returns the line of the value of key in the mapping m, or m's
// line.
func lineOf(m *yaml.Node, key string) int {
	for i := 0; m.Kind == yaml.MappingNode && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1].Line
		}
	}
	return m.Line
}

func parseOID(s string) (asn1.ObjectIdentifier, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, fmt.Errorf("%q is not a dotted OID", s)
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (p != "0" && strings.HasPrefix(p, "0")) {
			return nil, fmt.Errorf("%q is not a dotted OID", s)
		}
		oid[i] = n
	}
	if oid[0] > 2 || (oid[0] < 2 && oid[1] > 39) {
		return nil, fmt.Errorf("%q is not a valid OID", s)
	}
	return oid, nil
}

// caKeyUsageNames are the keyUsage bits a CA's key_usage can name.
var caKeyUsageNames = []struct {
	name string
	bit  x509.KeyUsage
}{
	{"digitalSignature", x509.KeyUsageDigitalSignature},
	{"keyCertSign", x509.KeyUsageCertSign},
	{"cRLSign", x509.KeyUsageCRLSign},
}

// parseCAKeyUsage parses a CA's key_usage: keyCertSign is required, each
// name at most once.
func parseCAKeyUsage(names []string) (x509.KeyUsage, error) {
	var ku x509.KeyUsage
	for _, n := range names {
		found := false
		for _, k := range caKeyUsageNames {
			if k.name == n {
				if ku&k.bit != 0 {
					return 0, fmt.Errorf("key_usage: %s is listed twice", n)
				}
				ku |= k.bit
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("key_usage %q: want keyCertSign, cRLSign or digitalSignature", n)
		}
	}
	if ku&x509.KeyUsageCertSign == 0 {
		return 0, errors.New("key_usage: a CA needs keyCertSign")
	}
	return ku, nil
}

// ekuNames are the extendedKeyUsage purposes a spec can name.
var ekuNames = map[string]asn1.ObjectIdentifier{
	"serverAuth":      {1, 3, 6, 1, 5, 5, 7, 3, 1},
	"clientAuth":      {1, 3, 6, 1, 5, 5, 7, 3, 2},
	"codeSigning":     {1, 3, 6, 1, 5, 5, 7, 3, 3},
	"emailProtection": {1, 3, 6, 1, 5, 5, 7, 3, 4},
	"timeStamping":    {1, 3, 6, 1, 5, 5, 7, 3, 8},
	"OCSPSigning":     {1, 3, 6, 1, 5, 5, 7, 3, 9},
}

func parseEKU(s string) (asn1.ObjectIdentifier, error) {
	if oid, ok := ekuNames[s]; ok {
		return oid, nil
	}
	if oid, err := parseOID(s); err == nil {
		return oid, nil
	}
	return nil, fmt.Errorf("eku %q: want serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning or a dotted OID", s)
}

// IsIDevID reports whether d issues IDevIDs (kind: idevid), the factory
// identities an enrollment server authenticates devices with.
func (d *DeviceSpec) IsIDevID() bool { return d.kind == kindIDevID }
