package keys

import (
	"os"
	"path/filepath"
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
