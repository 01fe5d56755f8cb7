package profile

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	_ "github.com/zmap/zlint/v3" // registers zlint's own lints (RFC 5280 and others)
	"github.com/zmap/zlint/v3/lint"
	"gopkg.in/yaml.v3"

	"github.com/iotcert/iotcert/internal/editdistance"
	"github.com/iotcert/iotcert/internal/strictyaml"
	"github.com/iotcert/iotcert/lints"
	"github.com/iotcert/iotcert/role"
)

// Rules is a loaded set of profiles: the embedded default rules.yaml,
// possibly extended or replaced by a user's file. It is immutable and safe
// for concurrent use.
type Rules struct {
	profiles map[string]func() (*Profile, error) // each compiles once (sync.OnceValues)
	order    []string
}

// RulesFile is one rules.yaml document to load, with the name its errors
// are reported under.
type RulesFile struct {
	Name string
	Data []byte
}

// LoadDefault loads the embedded default rules.yaml.
func LoadDefault() (*Rules, error) {
	return Load()
}

//go:generate go test -run ^TestDefaultRulesGenerated$ -update

// defaultRules is the embedded rules.yaml as parseRulesFile reads it,
// decoded at build time: defaultParsed (rules_default.go, written by go
// generate) builds the parsed file in Go, which saves a process that lints
// one certificate parsing 280 lines of YAML (about 2 ms of CPU time at
// start). TestDefaultRulesGenerated checks that it is parseRulesFile's
// reading of the embedded rules.yaml. Its profiles are compiled when first
// asked for (Rules.Profile), so that a run that lints with one profile does
// not compile the others; the tests compile every one of them.
var defaultRules = sync.OnceValues(func() (*parsedFile, error) {
	return defaultParsed(), nil
})

// Load loads the embedded default rules.yaml and then each of files in
// order. A file's profiles are added to those before it, and replace a
// profile of the same name; a file with "replace_default: true" first drops
// every profile loaded before it. When files are given, every profile is
// compiled, so an unknown key, an unknown lint name, a bad severity or a
// parameter of the wrong type anywhere is an error naming the file and
// line. The embedded default profiles alone are compiled when first asked
// for (their tests make sure they compile).
func Load(files ...RulesFile) (*Rules, error) {
	def, err := defaultRules()
	if err != nil {
		return nil, err
	}
	docs := []*parsedFile{def}
	for _, f := range files {
		doc, err := parseRulesFile(f)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	specs := map[string]*profileSpec{}
	var order []string
	for _, doc := range docs {
		if doc.ReplaceDefault {
			specs, order = map[string]*profileSpec{}, nil
		}
		for _, p := range doc.profiles {
			if _, seen := specs[p.name]; !seen {
				order = append(order, p.name)
			}
			specs[p.name] = p
		}
	}
	if len(specs) == 0 {
		return nil, errors.New("rules: no profile defined")
	}
	r := &Rules{profiles: map[string]func() (*Profile, error){}, order: order}
	for _, name := range order {
		r.profiles[name] = sync.OnceValues(func() (*Profile, error) { return compile(name, specs) })
		if len(files) > 0 {
			if _, err := r.profiles[name](); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// Profile returns the profile called name. An error of a default profile
// that does not compile (a program that registers no lints package, say)
// is returned here.
func (r *Rules) Profile(name string) (*Profile, error) {
	if compiled, ok := r.profiles[name]; ok {
		return compiled()
	}
	return nil, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(r.Names(), ", "))
}

// Names returns the names of the profiles, in the order they were defined.
func (r *Rules) Names() []string {
	return append([]string(nil), r.order...)
}

// Default loads the embedded default rules and returns its profile called
// name. It is the shortest way for a library user to get a profile.
func Default(name string) (*Profile, error) {
	r, err := LoadDefault()
	if err != nil {
		return nil, err
	}
	return r.Profile(name)
}

// The YAML model.

type fileSpec struct {
	ReplaceDefault bool      `yaml:"replace_default"`
	Profiles       yaml.Node `yaml:"profiles"`
}

type profileSpec struct {
	Description string    `yaml:"description"`
	Reference   string    `yaml:"reference"`
	Extends     string    `yaml:"extends"`
	Device      string    `yaml:"device"`
	Sources     []string  `yaml:"sources"`
	Rules       yaml.Node `yaml:"rules"`
	// SizeBudget, when present, replaces the budget of the profile
	// extended; an empty mapping removes it.
	SizeBudget *sizeBudgetSpec `yaml:"size_budget"`

	name  string
	file  string
	line  int
	rules []*ruleSpec
}

type ruleSpec struct {
	Severity      string    `yaml:"severity"`
	Disabled      *bool     `yaml:"disabled"`
	TimeDependent *bool     `yaml:"time_dependent"`
	Params        yaml.Node `yaml:"params"`

	lint string
	file string
	line int
}

type parsedFile struct {
	ReplaceDefault bool
	profiles       []*profileSpec
}

func parseRulesFile(f RulesFile) (*parsedFile, error) {
	located := func(err error) error { return fmt.Errorf("%s: %w", f.Name, err) }
	top, err := strictyaml.ParseDocument(f.Data)
	if errors.Is(err, strictyaml.ErrEmpty) {
		return nil, located(errors.New("empty rules file"))
	} else if err != nil {
		return nil, located(err)
	}
	var doc fileSpec
	if err := strictyaml.Decode(top, &doc); err != nil {
		return nil, located(err)
	}
	out := &parsedFile{ReplaceDefault: doc.ReplaceDefault}
	if doc.Profiles.Kind == 0 {
		return nil, located(fmt.Errorf("line %d: no \"profiles\" mapping", top.Line))
	}
	if doc.Profiles.Kind != yaml.MappingNode {
		return nil, located(fmt.Errorf("line %d: \"profiles\" must be a mapping of profile names to profiles", doc.Profiles.Line))
	}
	for i := 0; i+1 < len(doc.Profiles.Content); i += 2 {
		k, v := doc.Profiles.Content[i], doc.Profiles.Content[i+1]
		p := &profileSpec{name: k.Value, file: f.Name, line: k.Line}
		if err := strictyaml.Decode(v, p); err != nil {
			return nil, located(fmt.Errorf("profile %q: %w", k.Value, err))
		}
		if p.Rules.Kind != 0 && p.Rules.Kind != yaml.MappingNode && !(p.Rules.Kind == yaml.ScalarNode && p.Rules.Tag == "!!null") {
			return nil, located(fmt.Errorf("line %d: profile %q: \"rules\" must be a mapping of lint names to rules", p.Rules.Line, k.Value))
		}
		for j := 0; p.Rules.Kind == yaml.MappingNode && j+1 < len(p.Rules.Content); j += 2 {
			rk, rv := p.Rules.Content[j], p.Rules.Content[j+1]
			r := &ruleSpec{lint: rk.Value, file: f.Name, line: rk.Line}
			if err := strictyaml.Decode(rv, r); err != nil {
				return nil, located(fmt.Errorf("profile %q, rule %q: %w", k.Value, rk.Value, err))
			}
			p.rules = append(p.rules, r)
		}
		p.Rules = yaml.Node{} // read into p.rules; not kept (nor generated, see rules_default.go)
		out.profiles = append(out.profiles, p)
	}
	return out, nil
}

// compile resolves the extends chain of the profile called name and turns
// it into a Profile.
func compile(name string, specs map[string]*profileSpec) (*Profile, error) {
	var chain []*profileSpec // from the most basic ancestor to name
	seen := map[string]bool{}
	for cur := specs[name]; ; {
		if seen[cur.name] {
			return nil, fmt.Errorf("%s: line %d: profile %q: extends forms a cycle", cur.file, cur.line, cur.name)
		}
		seen[cur.name] = true
		chain = append([]*profileSpec{cur}, chain...)
		if cur.Extends == "" {
			break
		}
		parent, ok := specs[cur.Extends]
		if !ok {
			return nil, fmt.Errorf("%s: line %d: profile %q extends unknown profile %q", cur.file, cur.line, cur.name, cur.Extends)
		}
		cur = parent
	}

	self := chain[len(chain)-1]
	p := &Profile{Name: name, Description: self.Description, Reference: self.Reference, Extends: self.Extends}
	var sources []lint.LintSource
	rules := map[string]*ruleSpec{}
	var ruleOrder []string
	for _, s := range chain {
		if s.Device != "" {
			switch d := role.Device(s.Device); d {
			case role.IDevIDDevice, role.LDevIDDevice:
				p.Device = d
			default:
				return nil, fmt.Errorf("%s: line %d: profile %q: device %q: want idevid or ldevid", s.file, s.line, s.name, s.Device)
			}
		}
		for _, src := range s.Sources {
			ls := lint.LintSource(src)
			if !knownSource(ls) {
				return nil, fmt.Errorf("%s: line %d: profile %q: unknown lint source %q (known: %s)", s.file, s.line, s.name, src, strings.Join(knownSources(), ", "))
			}
			if !containsSource(sources, ls) {
				sources = append(sources, ls)
			}
		}
		if s.SizeBudget != nil {
			b, err := s.SizeBudget.compile()
			if err != nil {
				return nil, fmt.Errorf("%s: line %d: profile %q: size_budget: %w", s.file, s.line, s.name, err)
			}
			p.SizeBudget = b
		}
		for _, r := range s.rules {
			prev, ok := rules[r.lint]
			if !ok {
				ruleOrder = append(ruleOrder, r.lint)
				rules[r.lint] = r
				continue
			}
			merged := *prev
			merged.file, merged.line = r.file, r.line
			if r.Severity != "" {
				merged.Severity = r.Severity
			}
			if r.Disabled != nil {
				merged.Disabled = r.Disabled
			}
			if r.TimeDependent != nil {
				merged.TimeDependent = r.TimeDependent
			}
			if r.Params.Kind != 0 {
				merged.Params = r.Params
			}
			rules[r.lint] = &merged
		}
	}
	p.Sources = sources

	registry := lint.GlobalRegistry().CertificateLints()
	selected := map[string]*lint.CertificateLint{}
	for _, src := range sources {
		for _, l := range registry.BySource(src) {
			selected[l.Name] = l
		}
	}
	overrides := map[string]*ruleSpec{}
	for _, name := range ruleOrder {
		r := rules[name]
		l := registry.ByName(name)
		if l == nil {
			return nil, fmt.Errorf("%s: line %d: profile %q: unknown lint %q%s", r.file, r.line, p.Name, name, suggest(name, lint.GlobalRegistry().Names()))
		}
		if r.Disabled != nil && *r.Disabled {
			delete(selected, name)
			continue
		}
		selected[name] = l
		overrides[name] = r
	}

	names := make([]string, 0, len(selected))
	for n := range selected {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cl, err := newCompiledLint(selected[n], overrides[n])
		if err != nil {
			return nil, fmt.Errorf("%s: profile %q: %w", overrides[n].file, p.Name, err)
		}
		p.lints = append(p.lints, cl)
	}
	p.index()
	return p, nil
}

// newCompiledLint applies the rule r (which may be nil) to the lint l.
func newCompiledLint(l *lint.CertificateLint, r *ruleSpec) (*compiledLint, error) {
	cl := &compiledLint{lint: l, roles: lints.RolesOf(l)}
	if r == nil {
		return cl, nil
	}
	cl.timeDependent = r.TimeDependent != nil && *r.TimeDependent
	if r.Severity != "" {
		lv, ok := ParseLevel(r.Severity)
		if !ok || lv == Fatal {
			return nil, fmt.Errorf("line %d: rule %q: severity %q: want notice, warn or error", r.line, r.lint, r.Severity)
		}
		cl.severity = lv
	}
	if r.Params.Kind == 0 {
		return cl, nil
	}
	configurable, ok := l.Lint().(lint.Configurable)
	if !ok {
		return nil, fmt.Errorf("line %d: rule %q: this lint takes no params", r.Params.Line, r.lint)
	}
	target := configurable.Configure()
	if err := strictyaml.Decode(&r.Params, target); err != nil {
		return nil, fmt.Errorf("rule %q params: %w", r.lint, err)
	}
	if v, ok := target.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("line %d: rule %q params: %w", r.Params.Line, r.lint, err)
		}
	}
	cl.params = reflect.ValueOf(target).Elem()
	return cl, nil
}

func knownSource(s lint.LintSource) bool {
	return containsSource(lint.GlobalRegistry().Sources(), s) || containsSource(lints.Sources(), s)
}

func knownSources() []string {
	var out []string
	for _, s := range lint.GlobalRegistry().Sources() {
		out = append(out, string(s))
	}
	for _, s := range lints.Sources() {
		if !containsSource(lint.GlobalRegistry().Sources(), s) {
			out = append(out, string(s))
		}
	}
	sort.Strings(out)
	return out
}

func containsSource(list []lint.LintSource, s lint.LintSource) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns ` (did you mean "x"?)` for the known name closest to
// name, if one is close enough.
func suggest(name string, known []string) string {
	best, bestDist := "", len(name)/3+1
	for _, k := range known {
		if d := editdistance.Levenshtein(name, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
