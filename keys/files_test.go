package keys

import (
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadRef reads each kind of key.ref: a relative path is resolved
// against the directory holding key.ref, an absolute path and a URI are
// kept, no key.ref means key.pem, and a bad key.ref is an error naming
// it.
func TestReadRef(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(t.TempDir(), "key.pem")
	for _, tc := range []struct {
		name, content, want, err string
	}{
		{"none", "", filepath.Join(dir, File), ""},
		{"relative", "../other/key.pem\n", filepath.Join(filepath.Dir(dir), "other", "key.pem"), ""},
		{"absolute", abs + "\n", abs, ""},
		{"URI", "pkcs11:id=01;object=root\n", "pkcs11:id=01;object=root", ""},
		{"empty", "\n", "", filepath.Join(dir, RefFile) + ": empty (want a pkcs11: URI or the path of a key file)"},
		{"two lines", "a\nb\n", "", filepath.Join(dir, RefFile) + ": more than one line (want a pkcs11: URI or the path of a key file)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, RefFile))
			if tc.content != "" {
				if err := os.WriteFile(filepath.Join(dir, RefFile), []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := ReadRef(dir)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("%q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestRefPath writes paths relative to the directory of key.ref.
func TestRefPath(t *testing.T) {
	for _, tc := range []struct{ dir, key, want string }{
		{"/a/new/root", "/a/new/key.pem", "../key.pem"},
		{"/a/new/ca", "/a/old/ca/key.pem", "../../old/ca/key.pem"},
	} {
		if got, err := RefPath(tc.dir, tc.key); err != nil || got != filepath.FromSlash(tc.want) {
			t.Errorf("RefPath(%s, %s) = %q, %v; want %q", tc.dir, tc.key, got, err, tc.want)
		}
	}
}

// pemOnly is a Backend that opens key file content (PEMOpener) and
// records every path Open is asked for.
type pemOnly struct {
	*KMS
	opened []string
}

func (p *pemOnly) Open(ref string) (crypto.Signer, error) {
	p.opened = append(p.opened, ref)
	return p.KMS.Open(ref)
}

// TestOpenBelow: the key of a CA directory below the output directory is
// read link-safe. key.pem is read once, by OpenBelow, and handed to a
// PEMOpener as content (never reopened by path: nothing can swap it in
// between); a CA directory that is a link, and a key.pem that is one,
// are refused with errors naming them; a damaged key.pem names the file.
func TestOpenBelow(t *testing.T) {
	files, err := NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	outside := t.TempDir()
	key, err := files.Generate("ca", P256)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Join(out, "ca"), filepath.Join(outside, "ca")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := Write(d, key, true); err != nil {
			t.Fatal(err)
		}
	}
	kb := &pemOnly{KMS: files}
	signer, ref, err := OpenBelow(out, "ca", kb)
	if err != nil || ref != filepath.Join(out, "ca", File) || !SamePublicKey(signer.Public(), key.Signer.Public()) {
		t.Fatalf("OpenBelow = %v, %q, %v", signer, ref, err)
	}
	if len(kb.opened) != 0 {
		t.Errorf("key.pem reopened by path: %v", kb.opened)
	}

	if err := os.Symlink(filepath.Join(outside, "ca"), filepath.Join(out, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(out, "keylink"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "ca", File), filepath.Join(out, "keylink", File)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(out, "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "bad", File), []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const refuse = " is a symlink: refusing to read through it (remove it, or choose another directory)"
	for _, tc := range []struct{ dir, want string }{
		{"linked", filepath.Join(out, "linked") + refuse},
		{"keylink", filepath.Join(out, "keylink", File) + refuse},
		{"bad", "opening key " + filepath.Join(out, "bad", File) + ": "},
	} {
		_, _, err := OpenBelow(out, tc.dir, kb)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || tc.dir != "bad" && err.Error() != tc.want {
			t.Errorf("OpenBelow(%s): %v, want %s", tc.dir, err, tc.want)
		}
	}
	if len(kb.opened) != 0 {
		t.Errorf("files opened by path: %v", kb.opened)
	}
}
