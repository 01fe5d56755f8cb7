//go:build unix

package batch

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/iotcert/iotcert/internal/softhsm"
	"github.com/iotcert/iotcert/internal/tokentest"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// tokenHierarchy is the hierarchy of spec with its CA keys made in a
// fresh SoftHSM2 token and device keys in files, as "gen devices --kms"
// issues: the token signs, the batch makes everything else.
func tokenHierarchy(tb testing.TB, label string, spec []byte) (*ldevid.Hierarchy, *softhsm.Token, *keys.PKCS11) {
	tb.Helper()
	tok := softhsm.New(tb, label)
	token := tokentest.Open(tb, tok.URIWithPINSource())
	s, err := ldevid.LoadSpec("spec.yaml", spec)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := ldevid.New(s, ldevid.WithKeys(token))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		tb.Fatal(err)
	}
	files, err := keys.NewFileKeys()
	if err != nil {
		tb.Fatal(err)
	}
	ldevid.WithKeys(files)(h) // device keys in files
	return h, tok, token
}

// exampleRows are n rows of the example spec's device profile.
func exampleRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		id := strconv.Itoa(i + 1)
		rows[i] = Row{Line: i + 2, id: id, fields: map[string]string{"serial": "SN" + id}}
	}
	return rows
}

// parallelSignRate signs n SHA-256 digests with signer on workers
// goroutines and returns the signatures per second: the raw parallel
// PKCS#11 sign rate a batch is measured against.
func parallelSignRate(tb testing.TB, signer crypto.Signer, n, workers int) float64 {
	tb.Helper()
	digest := sha256.Sum256([]byte("tbsCertificate"))
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) && !failed.Load() {
				if _, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
					tb.Error(err)
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkPKCS11Batch measures, in one run, the raw parallel PKCS#11
// sign rate of the issuing CA's key in a SoftHSM2 token (GOMAXPROCS
// goroutines calling Sign, before and after the batch: the better rate
// counts) and the rate of a jsonl batch of b.N devices under that CA
// (Issue as "gen devices --kms ... --layout jsonl" runs it: device
// key in a file, gate, the token's signature, record and journal), and
// reports both and their ratio, with the process's CPU time (user and
// system, the token's threads included) per signature and per
// certificate, which a machine shared with other work inflates less than
// the rates, and the CPU time per certificate of the same batch with the
// CA key in a file (file-cpu-µs/cert):
//
//	go test ./ldevid -run '^$' -bench PKCS11Batch -benchtime 4000x
//
// IOTCERT_BENCH_WORKERS sets Options.Workers (default 0: the
// batch's own choice).
func BenchmarkPKCS11Batch(b *testing.B) {
	h, _, _ := tokenHierarchy(b, "iotcert-batch", ldevid.ExampleSpec(""))
	ca := h.CA("device-ca")
	workers, _ := strconv.Atoi(os.Getenv("IOTCERT_BENCH_WORKERS"))
	rows := exampleRows(b.N)
	out := b.TempDir()
	procs := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	cpu0 := cpuTime(b)
	raw := parallelSignRate(b, ca.Signer, b.N, procs)
	rawCPU := cpuTime(b) - cpu0
	cpu0 = cpuTime(b)
	start := time.Now()
	sum, err := Issue(h, out, "bacnet-controller", rows, Options{Layout: store.LayoutJSONL, Workers: workers})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if sum.Issued != b.N {
		b.Fatalf("issued %d of %d", sum.Issued, b.N)
	}
	batchCPU := cpuTime(b) - cpu0
	raw = max(raw, parallelSignRate(b, ca.Signer, b.N, procs))
	batch := float64(b.N) / elapsed.Seconds()
	fileCPU := fileBatchCPU(b, rows)
	b.ReportMetric(float64(rawCPU.Microseconds())/float64(b.N), "cpu-µs/sig")
	b.ReportMetric(float64(batchCPU.Microseconds())/float64(b.N), "cpu-µs/cert")
	b.ReportMetric(float64(fileCPU.Microseconds())/float64(b.N), "file-cpu-µs/cert")
	b.ReportMetric(raw, "sigs/s")
	b.ReportMetric(batch, "certs/s")
	b.ReportMetric(batch/raw, "ratio")
}

// fileBatchCPU is the CPU time of the batch of rows under the example
// hierarchy with its CA keys in files, for comparison.
func fileBatchCPU(b *testing.B, rows []Row) time.Duration {
	b.StopTimer()
	defer b.StartTimer()
	h := exampleHierarchy(b)
	cpu0 := cpuTime(b)
	if _, err := Issue(h, b.TempDir(), "bacnet-controller", rows, Options{Layout: store.LayoutJSONL}); err != nil {
		b.Fatal(err)
	}
	return cpuTime(b) - cpu0
}

// cpuTime is the CPU time (user and system) of the process so far, the
// token's threads included.
func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// faultySigner passes the first n signatures to its Signer; before each
// later one it calls fault once (the token fails), and with failWith set
// returns that error instead of signing.
type faultySigner struct {
	crypto.Signer
	n        int64
	count    atomic.Int64
	once     sync.Once
	fault    func()
	failWith error
}

func (s *faultySigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if s.count.Add(1) > s.n {
		if s.fault != nil {
			s.once.Do(s.fault)
		}
		if s.failWith != nil {
			return nil, s.failWith
		}
	}
	return s.Signer.Sign(r, digest, opts)
}

// TestPKCS11BatchTokenFailure fails the issuing CA's token in the middle
// of a batch, in both layouts: logged out (every pooled session of the
// backend loses its login, and SoftHSM2 refuses the next signatures) and
// removed (the signer errs with CKR_DEVICE_REMOVED). The batch stops with
// an error naming a device and the token's error; every device in the
// journal is published with the journaled certificate, and no device is
// published without its journal line, nor a temporary directory left.
// After the fault is repaired (logged in again and the key opened anew,
// as the same command run again does), the same batch issues the rest:
// exactly one certificate per device.
func TestPKCS11BatchTokenFailure(t *testing.T) {
	const n, after = 200, 40
	for _, layout := range []store.Layout{store.LayoutDirs, store.LayoutJSONL} {
		for _, fault := range []string{"logged out", "removed"} {
			t.Run(string(layout)+"/"+fault, func(t *testing.T) {
				h, tok, token := tokenHierarchy(t, "iotcert-fault", []byte(pkcs11Spec))
				ca := h.CA("sub")
				signer := ca.Signer
				faulty := &faultySigner{Signer: signer, n: after}
				ca.Signer = faulty
				// The token's signer (keys.PKCS11) names the token and the
				// key and adds the hint of a lost token; a removed token is
				// simulated above it, so its error is the module's alone
				// (keys.TestPKCS11SignerLost checks the hint).
				want := `: PKCS#11 pkcs11:module-path=.*;token=iotcert-fault\?pin-source=.*: key sub: signing: pkcs11: 0x\w+: (CKR_OBJECT_HANDLE_INVALID|CKR_USER_NOT_LOGGED_IN) \(the token was removed, logged out or its sessions closed\)$` // the one SoftHSM2 returns depends on the call that meets the logout
				if fault == "logged out" {
					faulty.fault = func() { tok.Logout(t) }
				} else {
					want = `: pkcs11: 0x32: CKR_DEVICE_REMOVED$`
					faulty.failWith = errors.New("pkcs11: 0x32: CKR_DEVICE_REMOVED")
				}
				rows := batchRows(n, nil)
				out := t.TempDir()
				sum, err := Issue(h, out, "sensor", rows, Options{Layout: layout, Workers: 4})
				if err == nil || !regexp.MustCompile(`^device "dev-\d{3}": .*`+want).MatchString(err.Error()) {
					t.Fatalf("token %s after %d signatures: error %v, want one naming a device and matching %s", fault, after, err, want)
				}
				if sum.Issued > after {
					t.Errorf("%d devices issued with %d signatures", sum.Issued, after)
				}
				checkJournaled(t, out, layout, sum.Issued)

				ca.Signer = signer
				if fault == "logged out" {
					// Logged in again, the key has a new handle: a new
					// process (the same command run again) opens it anew.
					tok.Login(t)
					if ca.Signer, err = token.Open(ca.Key.Ref); err != nil {
						t.Fatal(err)
					}
				}
				issued := sum.Issued
				sum, err = Issue(h, out, "sensor", rows, Options{Layout: layout, Workers: 4})
				if err != nil || sum.Done != issued || sum.Issued != n-issued {
					t.Fatalf("run again after the fault: %+v, %v", sum, err)
				}
				checkJournaled(t, out, layout, n)
				if layout == store.LayoutJSONL {
					checkJSONL(t, h, out, rows, nil)
				}
			})
		}
	}
}

// checkJournaled checks the output of a batch that stopped: the journal
// has issued lines, each for a published device whose certificate is the
// journaled one; no other device is published; no temporary file is
// left.
func checkJournaled(t *testing.T, out string, layout store.Layout, issued int) {
	t.Helper()
	entries, err := store.ReadJournal(filepath.Join(out, store.JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != issued {
		t.Errorf("%d journal lines, %d devices issued", len(entries), issued)
	}
	published := map[string]string{} // id: the SHA-256 of its certificate
	if layout == store.LayoutJSONL {
		if _, err := os.Stat(filepath.Join(out, store.DevicesFile)); err == nil {
			for _, l := range jsonlLines(t, out) {
				published[lineID(l)] = lineSHA(l)
			}
		}
	} else {
		names, err := os.ReadDir(filepath.Join(out, store.DevicesDir))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range names {
			if strings.HasPrefix(d.Name(), ".") {
				t.Errorf("temporary %s left behind", d.Name())
				continue
			}
			c := readCert(t, filepath.Join(out, store.DevicesDir, d.Name(), store.CertFile))
			sum := sha256.Sum256(c.Raw)
			published[d.Name()] = hex.EncodeToString(sum[:])
		}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.ID] {
			t.Errorf("%s journaled twice", e.ID)
		}
		seen[e.ID] = true
		if e.Status != store.StatusIssued || published[e.ID] != e.SHA256 {
			t.Errorf("journal line %+v: published certificate %q", e, published[e.ID])
		}
	}
	if len(published) != len(entries) {
		t.Errorf("%d devices published, %d journaled", len(published), len(entries))
	}
}
