// Package profile loads rules.yaml, the description of which lints make up
// each IoT certificate profile, and lints certificates with a profile.
//
// It is the library entry point for CA software:
//
//	p, _ := profile.Default("tls13-iot")
//	res := p.LintDER(der)
//	for _, f := range res.Findings { ... }
//
// A Profile is immutable and safe for concurrent use.
package profile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certparse"
	"github.com/iotcert/iotcert/lints"
	"github.com/iotcert/iotcert/role"
)

// Profile is a compiled profile: the lints it runs, with their severities
// and parameters, and the device kind it is written for.
type Profile struct {
	// Name is the profile's name in rules.yaml.
	Name string
	// Description says what the profile checks.
	Description string
	// Reference names the document the profile implements.
	Reference string
	// Extends is the name of the profile this one builds on, if any.
	Extends string
	// Device is the kind of end entity the profile is written for.
	Device role.Device
	// Sources are the lint sources whose lints the profile runs.
	Sources []lint.LintSource
	// SizeBudget is the size limit the profile sets on chains and
	// certificates ("size_budget" in rules.yaml), or nil.
	SizeBudget *SizeBudget

	guessDevice bool
	clock       func() time.Time // the time of the check for clocked lints; nil: the wall clock
	lints       []*compiledLint
	byRole      map[role.Role][]*compiledLint
}

// compiledLint is one lint of a profile with the profile's rule applied.
type compiledLint struct {
	lint     *lint.CertificateLint
	roles    role.Set
	severity Level         // 0: as the lint says
	params   reflect.Value // the decoded parameters, or invalid
	// timeDependent makes the lint honour zlint's effective dates (rule
	// "time_dependent: true"); see run.
	timeDependent bool
}

// index builds the per-role lint lists.
func (p *Profile) index() {
	p.byRole = map[role.Role][]*compiledLint{}
	for _, r := range []role.Role{role.Root, role.Subordinate, role.EndEntity, role.IDevID, role.LDevID, role.Link} {
		for _, cl := range p.lints {
			if cl.roles.Contains(r) {
				p.byRole[r] = append(p.byRole[r], cl)
			}
		}
	}
}

// WithDeviceGuessing returns a copy of p that, when p names no device kind,
// guesses it for each end entity (ambiguity A19 of the rules catalogue):
// notAfter 99991231235959Z and no extendedKeyUsage make an IDevID; a TLS
// extendedKeyUsage makes an LDevID. Each guess is reported as a notice.
func (p *Profile) WithDeviceGuessing() *Profile {
	q := *p
	q.guessDevice = true
	return &q
}

// WithClock returns a copy of p whose lints judge certificates at the time
// clock returns rather than at the wall clock: the lints whose verdict
// depends on the time (lints.Clocked, such as a notBefore in the future or
// an expired Matter DAC). The clock is read once for each certificate
// linted, and every lint judges that certificate at that one instant; a
// clock that returns one fixed instant (as "iotcert lint --at" and package
// bundle give, so that one run judges every certificate at the same
// instant) makes the verdicts reproducible. A nil clock is the wall clock.
func (p *Profile) WithClock(clock func() time.Time) *Profile {
	q := *p
	q.clock = clock
	return &q
}

// LintInfo describes one lint of a profile.
type LintInfo struct {
	Name        string `json:"name"`
	Level       Level  `json:"level"`
	Roles       string `json:"roles"`
	Source      string `json:"source"`
	Citation    string `json:"citation"`
	Description string `json:"description"`
}

// Lints describes the lints p runs, sorted by name. Level is the level a
// failure is reported at: the profile's severity override, or the level
// the lint's name prefix declares.
func (p *Profile) Lints() []LintInfo {
	out := make([]LintInfo, 0, len(p.lints))
	for _, cl := range p.lints {
		lv := cl.severity
		if lv == 0 {
			lv = levelFromName(cl.lint.Name)
		}
		out = append(out, LintInfo{
			Name:        cl.lint.Name,
			Level:       lv,
			Roles:       cl.roles.String(),
			Source:      string(cl.lint.Source),
			Citation:    cl.lint.Citation,
			Description: cl.lint.Description,
		})
	}
	return out
}

// levelFromName is the level zlint's naming convention gives a lint.
func levelFromName(name string) Level {
	switch {
	case strings.HasPrefix(name, "e_"):
		return Error
	case strings.HasPrefix(name, "w_"):
		return Warn
	case strings.HasPrefix(name, "n_"):
		return Notice
	}
	return Error
}

// Result is the verdict of a profile on one certificate.
type Result struct {
	// Origin is where the certificate came from.
	Origin certio.Origin `json:"origin"`
	// Subject is the subject DN, in RFC 4514 order (empty when unparseable).
	Subject string `json:"subject"`
	// Serial is the serial number in hexadecimal.
	Serial string `json:"serial"`
	// SHA256 is the SHA-256 of the certificate's DER, in hexadecimal.
	SHA256 string `json:"sha256"`
	// Role is the role the certificate was linted as.
	Role string `json:"role"`
	// Findings are the lint results that are neither pass, NA nor NE, in
	// lint name order.
	Findings []Finding `json:"findings"`
	// Path is the path verdict of the certificate (set by chain building;
	// nil when there is no trust anchor to judge a path to, or for
	// unreadable input).
	Path *Path `json:"path,omitempty"`
}

// Path is the path verdict of one certificate: whether a certification
// path from it to a trust anchor is valid at the evaluation time (RFC 5280
// §6.1), the path chosen, or why none validates.
type Path struct {
	// Valid is true when a valid path exists.
	Valid bool `json:"valid"`
	// Anchors says what the trust anchors are: "trust" (the --trust
	// certificates) or "input-roots" (without --trust, the self-signed
	// roots of the input).
	Anchors string `json:"anchors"`
	// At is the evaluation time, RFC 3339.
	At string `json:"at"`
	// Chain is the chosen path from the certificate's issuer up to the
	// trust anchor, nearest first; empty for a trust anchor itself and
	// when no path is valid. A path longer than MaxPathListed lists its
	// first MaxPathListed-1 issuers and the anchor.
	Chain []PathCert `json:"chain"`
	// Omitted is the number of certificates of a long path left out of
	// Chain (before the anchor).
	Omitted int `json:"omitted,omitempty"`
	// Reason says why no path validates; empty when Valid.
	Reason string `json:"reason,omitempty"`
}

// MaxPathListed is the most certificates Path.Chain lists, so that the
// report of a deep chain stays linear in its depth.
const MaxPathListed = 16

// PathCert is one certificate of a path.
type PathCert struct {
	// Subject is the subject DN.
	Subject string `json:"subject"`
	// Origin is where the certificate was read (an input or a --trust file).
	Origin certio.Origin `json:"origin"`
	// SHA256 is the SHA-256 of its DER, hexadecimal.
	SHA256 string `json:"sha256"`
	// Anchor is true for the trust anchor that ends the path.
	Anchor bool `json:"anchor,omitempty"`
}

// Worst returns the highest level among r's findings, or 0 when it has none.
func (r *Result) Worst() Level {
	var worst Level
	for _, f := range r.Findings {
		worst = max(worst, f.Level)
	}
	return worst
}

// Finding is one lint result that is not pass, NA or NE.
type Finding struct {
	// Lint is the lint's name, e.g. "e_iot_ee_ku_critical".
	Lint string `json:"lint"`
	// Level is notice, warn, error or fatal.
	Level Level `json:"level"`
	// Details says what is wrong with this certificate.
	Details string `json:"details"`
	// Citation names the requirement, e.g. "draft-ietf-uta-tls13-iot-profile-23 §17.4.4".
	Citation string `json:"citation"`
	// Source is the lint source, e.g. "IoT_TLS13" or "RFC5280".
	Source string `json:"source"`
}

// Names of findings the engine itself produces.
const (
	// InputErrorLint is the finding for input that is not a certificate.
	InputErrorLint = "iotcert_input_error"
	// DeviceGuessedLint is the notice that a device kind was guessed.
	DeviceGuessedLint = "n_iotcert_device_kind_guessed"
	// TrailingDataLint is the error that bytes follow a certificate's DER
	// encoding (certio.DefectTrailingData).
	TrailingDataLint = "e_iotcert_trailing_data"
	// UndecodableExtensionLint is the error that an extension's value does
	// not decode (certio.DefectUndecodableExtension).
	UndecodableExtensionLint = "e_iotcert_extension_undecodable"
)

// InputError returns the result for an input that could not be read or
// parsed as a certificate: one fatal finding, so that it is reported in the
// place of the certificate it should have been.
func InputError(origin certio.Origin, der []byte, err error) Result {
	r := Result{Origin: origin, Role: role.Unknown.String()}
	if der != nil {
		sum := sha256.Sum256(der)
		r.SHA256 = hex.EncodeToString(sum[:])
	}
	r.Findings = []Finding{{Lint: InputErrorLint, Level: Fatal, Details: err.Error(), Source: "iotcert"}}
	return r
}

// DefectFindings returns the findings of the defects certio.ParseDefects
// worked around: errors of their own, so that the verdict on the rest of
// the certificate is not lost.
func DefectFindings(defects []certio.Defect) []Finding {
	var fs []Finding
	for _, d := range defects {
		name := UndecodableExtensionLint
		if d.Kind == certio.DefectTrailingData {
			name = TrailingDataLint
		}
		fs = append(fs, Finding{Lint: name, Level: Error, Details: d.Msg, Source: "iotcert"})
	}
	return fs
}

// LintDER parses der and lints it. A der that is not a certificate gives a
// Result with one fatal finding.
func (p *Profile) LintDER(der []byte) Result {
	return p.LintItem(certio.Item{DER: der})
}

// LintItem lints one item read by certio.
func (p *Profile) LintItem(it certio.Item) Result {
	if it.Err != nil {
		return InputError(it.Origin, nil, it.Err)
	}
	c, defects, err := certio.ParseDefects(it.DER)
	if err != nil {
		return InputError(it.Origin, it.DER, &certio.InputError{Origin: it.Origin, Msg: "not a valid X.509 certificate: " + certparse.DescribeError(err)})
	}
	res := p.lint(c)
	if len(defects) > 0 {
		res.Findings = append(DefectFindings(defects), res.Findings...)
	}
	res.Origin = it.Origin
	res.SHA256 = sha256Hex(it.DER)
	return res
}

// Lint lints a parsed certificate. The result's Origin is zero and its
// SHA256 is that of c.Raw; LintItem fills both from the input.
func (p *Profile) Lint(c *x509.Certificate) Result {
	res := p.lint(c)
	res.SHA256 = sha256Hex(c.Raw)
	return res
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// LintAs lints a parsed certificate in the role base (refined by the
// profile's device kind, without guessing it) rather than in the role its
// basicConstraints give it: for a role known from elsewhere, such as the
// certificate's position in a Matter chain. The result's Origin is zero
// and its SHA256 is that of c.Raw.
func (p *Profile) LintAs(c *x509.Certificate, base role.Role) Result {
	res := p.lintRole(c, role.Refine(base, p.Device), nil, true)
	res.SHA256 = sha256Hex(c.Raw)
	return res
}

// lint is Lint without the SHA256, which LintItem takes of its input.
func (p *Profile) lint(c *x509.Certificate) Result {
	base := role.Of(c)
	r := role.Refine(base, p.Device)
	var findings []Finding
	if p.guessDevice && r == role.EndEntity {
		if g, why := guessDevice(c); g != role.EndEntity {
			r = g
			findings = append(findings, Finding{Lint: DeviceGuessedLint, Level: Notice, Source: "iotcert",
				Details: fmt.Sprintf("linted as %s: %s", g, why)})
		}
	}
	return p.lintRole(c, r, findings, false)
}

// lintRole runs the lints of role r on c, after findings. With assign, the
// lints of this project judge c in the role r even where its
// basicConstraints say otherwise (lints.RoleAssignable).
func (p *Profile) lintRole(c *x509.Certificate, r role.Role, findings []Finding, assign bool) Result {
	res := Result{
		Subject: c.Subject.String(),
		Role:    r.String(),
	}
	if c.SerialNumber != nil {
		res.Serial = c.SerialNumber.Text(16)
	}
	var as *role.Role
	if assign {
		as = &r
	}
	var at time.Time // zero: each lint asks the wall clock
	if p.clock != nil {
		at = p.clock()
	}
	for _, cl := range p.byRole[r] {
		if f, ok := cl.run(c, at, as); ok {
			if findings == nil {
				findings = make([]Finding, 0, 4)
			}
			findings = append(findings, f)
		}
	}
	res.Findings = findings
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	return res
}

// run runs one lint on c, at the time at when it is not zero, in the role
// *as when as is not nil, and returns its finding, if it has one. A lint
// that panics gives a fatal finding.
func (cl *compiledLint) run(c *x509.Certificate, at time.Time, as *role.Role) (f Finding, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			f, ok = cl.finding(Fatal, fmt.Sprintf("lint panicked: %v", v)), true
		}
	}()
	l := cl.lint
	inst := l.Lint()
	if !at.IsZero() {
		if clocked, isClocked := inst.(lints.Clocked); isClocked {
			clocked.SetNow(at)
		}
	}
	if as != nil {
		if ra, isRA := inst.(lints.RoleAssignable); isRA {
			ra.AssignRole(*as)
		}
	}
	if cl.params.IsValid() {
		if conf, isConf := inst.(lint.Configurable); isConf {
			reflect.ValueOf(conf.Configure()).Elem().Set(cl.params)
		}
	}
	// zlint gives NE for a certificate whose notBefore predates a lint's
	// effective date. Device certificates are often backdated (a device
	// without a clock gets notBefore 1970 or 2000), and the requirements an
	// IoT profile applies hold for every certificate whatever its
	// notBefore, so effective dates are ignored, unless the profile marks
	// the rule time_dependent: a requirement its source really changed
	// over time.
	if !inst.CheckApplies(c) || cl.timeDependent && !l.CheckEffective(c) {
		return f, false
	}
	res := inst.Execute(c)
	if res == nil {
		return f, false
	}
	lv := levelOf(res.Status)
	if lv == 0 {
		return f, false
	}
	if cl.severity != 0 && lv != Fatal {
		lv = cl.severity
	}
	details := res.Details
	if details == "" {
		// zlint's own lints often give no details; their description says
		// what failed.
		details = l.Description
	}
	return cl.finding(lv, details), true
}

// finding is the finding of cl at level lv.
func (cl *compiledLint) finding(lv Level, details string) Finding {
	l := cl.lint
	return Finding{Lint: l.Name, Level: lv, Details: details, Citation: l.Citation, Source: string(l.Source)}
}

// guessDevice applies the IDevID/LDevID heuristic to an end entity.
func guessDevice(c *x509.Certificate) (role.Role, string) {
	noExpiry := c.NotAfter.Year() == 9999 && c.NotAfter.Month() == 12 && c.NotAfter.Day() == 31
	if noExpiry && len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return role.IDevID, "notAfter 99991231235959Z and no extendedKeyUsage"
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageServerAuth || u == x509.ExtKeyUsageClientAuth {
			return role.LDevID, "extendedKeyUsage holds a TLS purpose"
		}
	}
	return role.EndEntity, ""
}

// Runs reports whether p runs the lint called name.
func (p *Profile) Runs(name string) bool {
	for _, cl := range p.lints {
		if cl.lint.Name == name {
			return true
		}
	}
	return false
}
