package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestCorpusUpToDate checks that testdata/malformed is what the generator
// makes, byte for byte.
func TestCorpusUpToDate(t *testing.T) {
	dir := t.TempDir()
	files, err := Corpus()
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Glob(filepath.Join(dir, "*"))
	got, _ := filepath.Glob("../../testdata/malformed/*")
	names := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, filepath.Base(p))
		}
		return out
	}
	if !slices.Equal(names(got), names(want)) {
		t.Fatalf("testdata/malformed holds %v, the generator makes %v: run go generate ./...", names(got), names(want))
	}
	for _, p := range want {
		w, _ := os.ReadFile(p)
		g, err := os.ReadFile(filepath.Join("../../testdata/malformed", filepath.Base(p)))
		if err != nil || !bytes.Equal(g, w) {
			t.Errorf("testdata/malformed/%s is stale: run go generate ./...", filepath.Base(p))
		}
	}
}
