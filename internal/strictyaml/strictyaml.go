// Package strictyaml decodes YAML strictly for iotcert's configuration
// files (rules.yaml, hierarchy specs): every mapping key must name a field
// of the target, duplicate keys are errors, and errors carry their line.
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode decodes node into out, a pointer to a struct, after checking
// that every mapping key, at every depth, names a field of the target: a
// typo is an error with its line, not a silently ignored key. Type errors
// from yaml.v3 carry their line too.
func Decode(node *yaml.Node, out any) error {
	if err := checkKeys(node, reflect.TypeOf(out).Elem()); err != nil {
		return err
	}
	if err := node.Decode(out); err != nil {
		return CleanError(err)
	}
	return nil
}

func checkKeys(node *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if node.Kind == yaml.AliasNode {
		return checkKeys(node.Alias, t)
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeOf(yaml.Node{}) {
			return nil
		}
		if node.Kind != yaml.MappingNode {
			if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
				return nil
			}
			return fmt.Errorf("line %d: expected a mapping, found %s", node.Line, KindName(node))
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				return fmt.Errorf("line %d: unknown key %q (expected one of: %s)", k.Line, k.Value, strings.Join(sortedKeys(fields), ", "))
			}
			if err := checkKeys(v, ft); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if node.Kind == yaml.SequenceNode {
			for _, item := range node.Content {
				if err := checkKeys(item, t.Elem()); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if node.Kind == yaml.MappingNode {
			for i := 1; i < len(node.Content); i += 2 {
				if err := checkKeys(node.Content[i], t.Elem()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
	}
	return fields
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// KindName describes a node for an error message: "a list", "a mapping"
// or the value of a scalar.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "something else"
}

// CleanError turns yaml.v3's "yaml: unmarshal errors:\n  line 3: ..."
// into "line 3: ...".
func CleanError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	lines := strings.Split(msg, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return fmt.Errorf("%s", strings.Join(lines, "; "))
}

// CheckDuplicateKeys reports the first mapping, at any depth, that defines
// a key twice (yaml.v3 only notices this when decoding into a Go map).
func CheckDuplicateKeys(node *yaml.Node) error {
	if node.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k := node.Content[i]
			if seen[k.Value] {
				return fmt.Errorf("line %d: mapping key %q already defined", k.Line, k.Value)
			}
			seen[k.Value] = true
		}
	}
	for _, child := range node.Content {
		if err := CheckDuplicateKeys(child); err != nil {
			return err
		}
	}
	return nil
}

// ErrEmpty is returned by ParseDocument for a document without content.
var ErrEmpty = errors.New("empty document")

// ParseDocument parses data as one YAML document and returns its top node,
// after checking that no mapping defines a key twice and that the
// document is not one value (see TopValueError).
func ParseDocument(data []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ErrEmpty
		}
		return nil, CleanError(err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, ErrEmpty
	}
	if err := CheckDuplicateKeys(&root); err != nil {
		return nil, err
	}
	top := root.Content[0]
	if err := TopValueError(top); err != nil {
		return nil, err
	}
	return top, nil
}

// TopValueError returns an error when top, the top node of a
// configuration document, is one scalar value rather than a mapping: a
// file given in the wrong place, such as a private key (a PEM file is
// one YAML scalar) or a passphrase file. The error gives the value's
// size, never the value, so that a secret never reaches a terminal or a
// CI log. A null document is not an error here.
func TopValueError(top *yaml.Node) error {
	if top.Kind != yaml.ScalarNode || top.Tag == "!!null" {
		return nil
	}
	return fmt.Errorf("line %d: expected a mapping, found a single value of %d bytes (not shown: it may be a key or a password)", top.Line, len(top.Value))
}
