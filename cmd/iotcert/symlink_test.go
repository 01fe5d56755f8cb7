//go:build unix

package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// linkCommand is a command that writes files, run in a directory that
// setup prepared (once; each run gets a copy).
type linkCommand struct {
	name string
	// setup prepares dir for the command.
	setup func(t *testing.T, dir string)
	// args are the command's arguments in dir.
	args func(dir string) []string
	// out is the --out directory, relative to dir: the user names it,
	// so it is followed when it is a link; everything below it is not.
	// "" when the command writes the directory it names itself (roll
	// execute: it must not exist).
	out string
}

// TestWritesRefuseLinks runs each command that writes files once in a
// clean directory and lists every path it made or changed; then, for each
// of those paths, it runs the command again in a fresh copy of the
// directory with a symbolic link planted at that path (to a file outside
// the directory, to a directory outside it, and to a missing file outside
// it): the command must fail
// with an error naming the path (or the directory the test made to hold
// it), change nothing outside, and leave no private key outside, nor in a
// temporary file or directory.
func TestWritesRefuseLinks(t *testing.T) {
	hierarchy := func(t *testing.T, dir string) {
		writeSpec(t, dir)
		if code, _, errOut := iotcert(t, "", "gen", "hierarchy", filepath.Join(dir, "spec.yaml"), "--out", filepath.Join(dir, "pki")); code != exitOK {
			t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
		}
	}
	spec := func(dir string) string { return filepath.Join(dir, "spec.yaml") }
	pki := func(dir string) string { return filepath.Join(dir, "pki") }
	commands := []linkCommand{
		{"gen hierarchy", writeSpec, func(dir string) []string {
			return []string{"gen", "hierarchy", spec(dir), "--out", pki(dir)}
		}, "pki"},
		{"gen hierarchy --force", hierarchy, func(dir string) []string {
			return []string{"gen", "hierarchy", spec(dir), "--out", pki(dir), "--force"}
		}, "pki"},
		{"gen device", hierarchy, func(dir string) []string {
			return []string{"gen", "device", spec(dir), "--out", pki(dir), "--ca", "sub", "--id", "0001", "--set", "serial=SN1", "--set", "host=h1"}
		}, "pki"},
		{"gen devices dirs", withCSV(hierarchy), func(dir string) []string {
			return []string{"gen", "devices", spec(dir), "--out", pki(dir), "--from", filepath.Join(dir, "devices.csv"), "--layout", "dirs"}
		}, "pki"},
		{"gen devices jsonl", withCSV(hierarchy), func(dir string) []string {
			return []string{"gen", "devices", spec(dir), "--out", pki(dir), "--from", filepath.Join(dir, "devices.csv"), "--layout", "jsonl"}
		}, "pki"},
		{"sign", withCSR(hierarchy), func(dir string) []string {
			return []string{"sign", spec(dir), "--ca", "sub", "--dir", pki(dir), "--csr", filepath.Join(dir, "device.csr"), "--id", "9", "--set", "serial=SN9", "--set", "host=h9", "--out", filepath.Join(dir, "signed", "cert.pem")}
		}, "signed"},
		{"c509 encode", hierarchy, func(dir string) []string {
			return []string{"c509", "encode", filepath.Join(pki(dir), "root", "cert.pem"), "--out", filepath.Join(dir, "root.c509")}
		}, ""},
		{"c509 decode", withC509(hierarchy), func(dir string) []string {
			return []string{"c509", "decode", filepath.Join(dir, "root.c509"), "--out", filepath.Join(dir, "root.pem")}
		}, ""},
		{"roll execute", hierarchy, func(dir string) []string {
			return []string{"roll", "execute", "--old", filepath.Join(pki(dir), "root"), "--out", filepath.Join(dir, "pki-2"), "--resign", filepath.Join(pki(dir), "sub")}
		}, ""},
		{"inventory import", withDevice(hierarchy), func(dir string) []string {
			return []string{"inventory", "import", "--db", filepath.Join(dir, "inv.db"), filepath.Join(pki(dir), "journal.jsonl")}
		}, ""},
		{"inventory export", withInventory(withDevice(hierarchy)), func(dir string) []string {
			return []string{"inventory", "export", "--db", filepath.Join(dir, "inv.db"), "--out", filepath.Join(dir, "export.jsonl")}
		}, ""},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			template := t.TempDir()
			c.setup(t, template)
			clean := copyTree(t, template)
			before := treeHashes(t, clean)
			if code, out, errOut := iotcert(t, "", c.args(clean)...); code != exitOK {
				t.Fatalf("clean run: exit %d\n%s%s", code, out, errOut)
			}
			written := writtenPaths(t, clean, before)
			if c.out != "" {
				written = slices.DeleteFunc(written, func(p string) bool { return p == c.out })
			}
			if len(written) == 0 {
				t.Fatalf("the clean run wrote %v", written)
			}
			t.Logf("%d paths: %v", len(written), written)
			for _, rel := range written {
				for _, target := range []string{"file", "dir", "missing"} {
					plantAndRun(t, c, template, rel, target)
				}
			}
		})
	}
}

// withDevice adds to setup a device issued into dir's pki (a journal
// line).
func withDevice(setup func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		setup(t, dir)
		if code, _, errOut := iotcert(t, "", "gen", "device", filepath.Join(dir, "spec.yaml"), "--out", filepath.Join(dir, "pki"), "--ca", "sub", "--id", "0001", "--set", "serial=SN1", "--set", "host=h1"); code != exitOK {
			t.Fatalf("gen device: exit %d\n%s", code, errOut)
		}
	}
}

// withInventory adds to setup the inventory dir/inv.db of dir's journal.
func withInventory(setup func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		setup(t, dir)
		if code, _, errOut := iotcert(t, "", "inventory", "import", "--db", filepath.Join(dir, "inv.db"), filepath.Join(dir, "pki", "journal.jsonl")); code != exitOK {
			t.Fatalf("inventory import: exit %d\n%s", code, errOut)
		}
	}
}

// withC509 adds to setup the C509 encoding of the root of dir's pki, as
// dir/root.c509.
func withC509(setup func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		setup(t, dir)
		if code, _, errOut := iotcert(t, "", "c509", "encode", filepath.Join(dir, "pki", "root", "cert.pem"), "--out", filepath.Join(dir, "root.c509")); code != exitOK {
			t.Fatalf("c509 encode: exit %d\n%s", code, errOut)
		}
	}
}

// plantAndRun runs c in a copy of template with a link planted at rel to
// a file, a directory or a missing file outside (target), and checks the
// refusal.
func plantAndRun(t *testing.T, c linkCommand, template, rel, target string) {
	t.Helper()
	dir := copyTree(t, template)
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.pem")
	if err := os.WriteFile(victim, []byte("victim\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	victimDir := filepath.Join(outside, "victim-dir")
	if err := os.Mkdir(victimDir, 0o755); err != nil {
		t.Fatal(err)
	}
	outsideBefore := treeHashes(t, outside)
	// The directories that hold rel, made by the test when the clean
	// run made them: the first one made is the path the error may name.
	named := filepath.Join(dir, rel)
	for p := filepath.Dir(rel); p != "."; p = filepath.Dir(p) {
		if _, err := os.Lstat(filepath.Join(dir, p)); err != nil {
			named = filepath.Join(dir, p)
		}
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	// What the clean run replaced is replaced by the link.
	if err := os.RemoveAll(filepath.Join(dir, rel)); err != nil {
		t.Fatal(err)
	}
	to := map[string]string{"file": victim, "dir": victimDir, "missing": filepath.Join(outside, "new.pem")}[target]
	if err := os.Symlink(to, filepath.Join(dir, rel)); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := iotcert(t, "", c.args(dir)...)
	what := rel + " -> " + target
	if code != exitUsage || !strings.Contains(errOut, named) {
		t.Errorf("%s: exit %d (want %d), error naming %s wanted\n%s%s", what, code, exitUsage, named, stdout, errOut)
	} else if named == filepath.Join(dir, rel) && // a command may read the file first (devices.chain.pem)
		!strings.Contains(errOut, named+" is a symlink: refusing to write through it") && !strings.Contains(errOut, named+" is a symlink: refusing to read through it") {
		t.Errorf("%s: the error does not say what is there\n%s", what, errOut)
	}
	if got := treeHashes(t, outside); !mapsEqual(got, outsideBefore) {
		t.Errorf("%s: the directory outside changed: %d files, was %d", what, len(got), len(outsideBefore))
	}
	if fi, err := os.Lstat(filepath.Join(dir, rel)); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s: the link is gone: %v", what, err)
	}
	for p, data := range fileContents(t, outside) {
		if hasKey(data) {
			t.Errorf("%s: key material in %s, outside the output directory", what, p)
		}
	}
	for p, data := range fileContents(t, dir) {
		if strings.Contains(p, string(filepath.Separator)+".") && hasKey(data) {
			t.Errorf("%s: key material left in the temporary %s", what, p)
		}
	}
}

// hasKey reports whether data holds a private key: PEM, or a
// devices.jsonl key field.
func hasKey(data []byte) bool {
	return bytes.Contains(data, []byte("PRIVATE KEY")) || bytes.Contains(data, []byte(`"key":`))
}

func writeSpec(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "spec.yaml"), []byte(batchSpec), 0o644); err != nil {
		t.Fatal(err)
	}
}

// withCSV adds a devices CSV of three devices to setup.
func withCSV(setup func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		setup(t, dir)
		csv := "id,serial,host\n0001,SN1,h1\n0002,SN2,h2\n0003,SN3,h3\n"
		if err := os.WriteFile(filepath.Join(dir, "devices.csv"), []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// withCSR adds a device's CSR, and the directory its certificate goes
// to, to setup.
func withCSR(setup func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		setup(t, dir)
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
			Subject:  pkix.Name{CommonName: "sensor 9", Organization: []string{"Example"}, SerialNumber: "SN9"},
			DNSNames: []string{"h9.example.com"},
		}, key)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "device.csr"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "signed"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// writtenPaths lists, relative to dir, every file and directory in dir
// that is not in before (file hashes) or whose content changed.
func writtenPaths(t *testing.T, dir string, before map[string][32]byte) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if !hasPrefixDir(before, p) {
				paths = append(paths, rel)
			}
			return nil
		}
		old, ok := before[p]
		if data, _ := os.ReadFile(p); !ok || sha256.Sum256(data) != old {
			paths = append(paths, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// hasPrefixDir reports whether a file of files is in the directory dir.
func hasPrefixDir(files map[string][32]byte, dir string) bool {
	for p := range files {
		if strings.HasPrefix(p, dir+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// fileContents returns every regular file under dir (links not
// followed) with its content.
func fileContents(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out[p], _ = os.ReadFile(p)
		}
		return nil
	})
	return out
}

func mapsEqual(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// copyTree copies the directory src (regular files and directories) to a
// new temporary directory and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// linkTestPKI writes the test spec and a CSR into a new directory and
// makes the spec's hierarchy in its pki/: the template the link tests
// copy.
func linkTestPKI(t *testing.T) (template, pki string) {
	t.Helper()
	template = t.TempDir()
	writeSpec(t, template)
	withCSR(func(*testing.T, string) {})(t, template)
	pki = filepath.Join(template, "pki")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", filepath.Join(template, "spec.yaml"), "--out", pki); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	return template, pki
}

// TestReadsRefuseLinks: the CA files iotcert reads back from an output
// directory (cert.pem, key.pem, key.ref) are never read through a
// symbolic link. Each is replaced by a link to a copy of itself outside
// the directory (a key.ref by a link to a key.ref naming the key), which
// a read that followed it would accept: the command must fail with exit
// 2 and an error naming the link.
func TestReadsRefuseLinks(t *testing.T) {
	template, _ := linkTestPKI(t)
	spec := func(dir string) string { return filepath.Join(dir, "spec.yaml") }
	commands := []struct {
		name  string
		args  func(dir string) []string
		reads []string // relative to pki
	}{
		{"gen device", func(dir string) []string {
			return []string{"gen", "device", spec(dir), "--out", filepath.Join(dir, "pki"), "--ca", "sub", "--id", "0001", "--set", "serial=SN1", "--set", "host=h1"}
		}, []string{"sub/key.pem", "sub/key.ref", "sub/cert.pem"}},
		{"sign", func(dir string) []string {
			return []string{"sign", spec(dir), "--ca", "sub", "--dir", filepath.Join(dir, "pki"), "--csr", filepath.Join(dir, "device.csr"), "--id", "9", "--set", "serial=SN9", "--set", "host=h9", "--out", filepath.Join(dir, "signed", "cert.pem")}
		}, []string{"sub/key.pem", "sub/key.ref", "sub/cert.pem"}},
		{"roll execute", func(dir string) []string {
			return []string{"roll", "execute", "--old", filepath.Join(dir, "pki", "root"), "--out", filepath.Join(dir, "pki-2"), "--resign", filepath.Join(dir, "pki", "sub")}
		}, []string{"root/key.pem", "root/key.ref", "root/cert.pem"}},
	}
	for _, c := range commands {
		for _, rel := range c.reads {
			t.Run(c.name+"/"+rel, func(t *testing.T) {
				dir := copyTree(t, template)
				outside := t.TempDir()
				link := filepath.Join(dir, "pki", filepath.FromSlash(rel))
				target := filepath.Join(outside, filepath.Base(rel))
				if filepath.Base(rel) == "key.ref" {
					// A key.ref naming the CA's key, which is moved
					// outside too.
					key := filepath.Join(filepath.Dir(link), "key.pem")
					if err := os.Rename(key, filepath.Join(outside, "key.pem")); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(target, []byte(filepath.Join(outside, "key.pem")+"\n"), 0o600); err != nil {
						t.Fatal(err)
					}
				} else if err := os.Rename(link, target); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(target, link); err != nil {
					t.Fatal(err)
				}
				code, stdout, errOut := iotcert(t, "", c.args(dir)...)
				if want := link + " is a symlink: refusing to read through it"; code != exitUsage || !strings.Contains(errOut, want) {
					t.Errorf("exit %d (want %d), want an error saying %q\n%s%s", code, exitUsage, want, stdout, errOut)
				}
			})
		}
	}
}

// TestCADirLinksRefused: a CA directory of the output directory planted
// as a link to a copy of itself elsewhere (which a read that followed it
// would accept whole: certificate, key and all) is refused by every
// command that reads a CA back, with exit 2 and an error naming the link;
// every directory from --out down is opened without following a link.
// roll's --old and --resign name a CA's directory itself (DIR/<ca>): DIR
// is taken as named, <ca> is opened as gen opens OUT/<ca>, so a link
// there is refused too.
func TestCADirLinksRefused(t *testing.T) {
	template := t.TempDir()
	writeSpec(t, template)
	withCSV(withCSR(func(*testing.T, string) {}))(t, template)
	pki := filepath.Join(template, "pki")
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", filepath.Join(template, "spec.yaml"), "--out", pki); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	spec := func(dir string) string { return filepath.Join(dir, "spec.yaml") }
	commands := []struct {
		name string
		args func(dir string) []string
	}{
		{"gen device", func(dir string) []string {
			return []string{"gen", "device", spec(dir), "--out", filepath.Join(dir, "pki"), "--ca", "sub", "--id", "0001", "--set", "serial=SN1", "--set", "host=h1"}
		}},
		{"gen devices", func(dir string) []string {
			return []string{"gen", "devices", spec(dir), "--out", filepath.Join(dir, "pki"), "--from", filepath.Join(dir, "devices.csv"), "--layout", "jsonl"}
		}},
		{"sign", func(dir string) []string {
			return []string{"sign", spec(dir), "--ca", "sub", "--dir", filepath.Join(dir, "pki"), "--csr", filepath.Join(dir, "device.csr"), "--id", "9", "--set", "serial=SN9", "--set", "host=h9", "--out", filepath.Join(dir, "signed", "cert.pem")}
		}},
		{"roll plan", func(dir string) []string {
			return []string{"roll", "plan", "--old", filepath.Join(dir, "pki", "root"), "--resign", filepath.Join(dir, "pki", "sub")}
		}},
		{"roll execute", func(dir string) []string {
			return []string{"roll", "execute", "--old", filepath.Join(dir, "pki", "root"), "--out", filepath.Join(dir, "pki-2"), "--resign", filepath.Join(dir, "pki", "sub")}
		}},
	}
	for _, c := range commands {
		for _, ca := range []string{"root", "sub"} {
			t.Run(c.name+"/"+ca, func(t *testing.T) {
				dir := copyTree(t, template)
				link := filepath.Join(dir, "pki", ca)
				target := filepath.Join(t.TempDir(), ca)
				if err := os.Rename(link, target); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(target, link); err != nil {
					t.Fatal(err)
				}
				code, stdout, errOut := iotcert(t, "", c.args(dir)...)
				if want := link + " is a symlink: refusing to read through it (remove it, or choose another directory)"; code != exitUsage || !strings.Contains(errOut, want) {
					t.Errorf("exit %d (want %d), want an error saying %q\n%s%s", code, exitUsage, want, stdout, errOut)
				}
				// The CA is there: making the hierarchy is not the remedy.
				if hint := `run "iotcert gen hierarchy" first`; strings.Contains(errOut, hint) {
					t.Errorf("the error says %q of a CA directory that is a link\n%s", hint, errOut)
				}
			})
		}
	}
}

// TestDeviceDirLinksRefused: gen device and sign look for a device
// published without its journal line (a stopped run) by its
// devices/<id>/cert.pem. devices/<id> planted as a link to a copy of
// itself elsewhere (which a read that followed it would take as the
// device issued before) is refused with exit 2 and an error naming the
// link: the directory is opened below --out without following a link,
// and its cert.pem read on the descriptor that was checked.
func TestDeviceDirLinksRefused(t *testing.T) {
	template, pki := linkTestPKI(t)
	for _, id := range []string{"0001", "9"} {
		if code, _, errOut := iotcert(t, "", "gen", "device", filepath.Join(template, "spec.yaml"), "--out", pki, "--ca", "sub", "--id", id, "--set", "serial=SN"+id, "--set", "host=h"+id); code != exitOK {
			t.Fatalf("gen device %s: exit %d\n%s", id, code, errOut)
		}
	}
	// Published, not journaled: as a run stopped before the line.
	if err := os.WriteFile(filepath.Join(pki, "journal.jsonl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	spec := func(dir string) string { return filepath.Join(dir, "spec.yaml") }
	commands := []struct {
		name, id string
		args     func(dir string) []string
	}{
		{"gen device", "0001", func(dir string) []string {
			return []string{"gen", "device", spec(dir), "--out", filepath.Join(dir, "pki"), "--ca", "sub", "--id", "0001", "--set", "serial=SN1", "--set", "host=h1", "--reissue", "lost"}
		}},
		{"sign", "9", func(dir string) []string {
			return []string{"sign", spec(dir), "--ca", "sub", "--dir", filepath.Join(dir, "pki"), "--csr", filepath.Join(dir, "device.csr"), "--id", "9", "--set", "serial=SN9", "--set", "host=h9", "--out", filepath.Join(dir, "signed", "cert.pem"), "--reissue", "lost"}
		}},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			dir := copyTree(t, template)
			link := filepath.Join(dir, "pki", "devices", c.id)
			target := filepath.Join(t.TempDir(), c.id)
			if err := os.Rename(link, target); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			code, stdout, errOut := iotcert(t, "", c.args(dir)...)
			if want := `device "` + c.id + `": ` + link + " is a symlink: refusing to read through it (remove it, or choose another directory)"; code != exitUsage || !strings.Contains(errOut, want) {
				t.Errorf("exit %d (want %d), want an error saying %q\n%s%s", code, exitUsage, want, stdout, errOut)
			}
		})
	}
}
