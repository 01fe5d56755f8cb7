package certio_test

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// jsonLine returns v as one JSON line.
func jsonLine(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// TestReadJSONL: each devices.jsonl record's certificate is read, located
// by line and id; its key is counted, never printed; a malformed line is
// an error at its line that does not quote it; a journal is skipped and
// counted; other JSON is one error.
func TestReadJSONL(t *testing.T) {
	dir := t.TempDir()
	a, b := newCert(t), newCert(t)
	key := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("SECRET-KEY-BYTES")}))
	rec := func(id string, der []byte) map[string]string {
		return map[string]string{"id": id, "serial": "01", "sha256": "00", "cert": string(pemOf(der)), "key": key}
	}
	devices := jsonLine(t, rec("1001", a)) + "\n" +
		`{"id":"1002","cert":"x","key":"SECRET-KEY-TEXT"` + "\n" + // no closing brace
		jsonLine(t, rec("1003", b)) +
		jsonLine(t, map[string]string{"id": "1004", "cert": "not PEM", "key_ref": "pkcs11:object=k"})
	dev := filepath.Join(dir, "devices.jsonl")
	write(t, dev, devices)
	journal := filepath.Join(dir, "journal.jsonl")
	write(t, journal, jsonLine(t, map[string]string{"time": "2026-01-01T00:00:00Z", "id": "1001", "status": "issued"})+
		jsonLine(t, map[string]string{"time": "2026-01-01T00:00:01Z", "id": "1003", "status": "issued"}))
	other := filepath.Join(dir, "other.json")
	write(t, other, `{"name": "a JSON file"}`+"\n"+`{"name": "another"}`+"\n")

	got, st := readStats(t, dev, journal, other)
	line1 := len(jsonLine(t, rec("1001", a))) + 1
	line3 := line1 + len(`{"id":"1002","cert":"x","key":"SECRET-KEY-TEXT"`) + 1
	line4 := line3 + len(jsonLine(t, rec("1003", b)))
	want := []string{
		dev + "[0]@0 id=1001",
		"err: " + dev + " (certificate 1, byte " + itoa(line1) + "): line 3: not a JSON object (at byte 47 of the line)",
		dev + "[2]@" + itoa(line3) + " id=1003",
		"err: " + dev + " (certificate 3, byte " + itoa(line4) + `): line 5 (id "1004"): "cert" is not a PEM CERTIFICATE block`,
		"err: " + other + ` (certificate 0, byte 0): not a certificate: JSON, but neither devices.jsonl records (with a "cert" field) nor a journal`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if st.PrivateKeys != 3 || st.Journals != 1 || st.Certificates != 2 || st.Errors != 3 {
		t.Errorf("stats: %d private keys, %d journals, %d certificates, %d errors; want 3, 1, 2, 3", st.PrivateKeys, st.Journals, st.Certificates, st.Errors)
	}
	if all := strings.Join(got, ""); strings.Contains(all, "SECRET") {
		t.Errorf("key material in the output: %s", all)
	}
}

// write writes data to the file at path.
func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestReadJSONLLongLine: a JSON line longer than MaxBlockSize is refused
// at its line without being held, and the next record is still read.
func TestReadJSONLLongLine(t *testing.T) {
	a := newCert(t)
	long := `{"id":"big","cert":"` + strings.Repeat("A", certio.MaxBlockSize+10) + `"}` + "\n"
	p := filepath.Join(t.TempDir(), "devices.jsonl")
	write(t, p, long+jsonLine(t, map[string]string{"id": "1", "cert": string(pemOf(a))}))
	got, st := readStats(t, p)
	want := []string{
		"err: " + p + " (certificate 0, byte 0): larger than the block size limit: JSON line longer than 1048576 bytes, not read",
		p + "[1]@" + itoa(len(long)) + " id=1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || st.Certificates != 1 {
		t.Errorf("items:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
