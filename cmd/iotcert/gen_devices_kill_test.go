//go:build unix

package main

import (
	"bytes"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHelperProcess is iotcert in a child process for TestGenDevicesKill:
// the test binary runs itself with IOTCERT_HELPER_PROCESS=1.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("IOTCERT_HELPER_PROCESS") != "1" {
		t.Skip("runs as a child process of TestGenDevicesKill")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
}

// TestGenDevicesKill kills a batch of hundreds (dirs) or thousands (jsonl)
// of devices with SIGKILL at random points (at random times and when the
// journal reaches a random length), starts it again each time, and finally lets it finish: every
// device must then have exactly one valid certificate, journaled once,
// with distinct serials and no temporary directory left (dirs layout) or
// exactly one complete record (jsonl layout).
func TestGenDevicesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts iotcert a dozen times")
	}
	for _, layout := range []string{"dirs", "jsonl"} {
		t.Run(layout, func(t *testing.T) { testGenDevicesKill(t, layout) })
	}
}

func testGenDevicesKill(t *testing.T, layout string) {
	// Enough devices that a batch runs long enough to be killed midway:
	// the jsonl layout issues a few thousand a second.
	n := 300
	if layout == "jsonl" {
		n = 3000
	}
	spec, out, csv := batchSetup(t, n, nil)
	lines := func() int { return journalLines(out) }
	rng := rand.New(rand.NewPCG(killSeed(t), 1))
	start := func() (*exec.Cmd, *bytes.Buffer) { return startBatch(t, spec, out, csv, layout) }
	kills, killedMidway := 0, 0
	deadline := time.Now().Add(10 * time.Second)
	for kill := 0; kill < 10 && time.Now().Before(deadline); kill++ {
		before := lines()
		if before >= n {
			break
		}
		cmd, stderr := start()
		exited := make(chan struct{})
		var waitErr error
		go func() { waitErr = cmd.Wait(); close(exited) }()
		if kill%2 == 1 {
			// At a random time: during start-up, recovery or issuance.
			// (Not first: a jsonl batch of n devices may finish within
			// the longest wait.)
			select {
			case <-exited:
			case <-time.After(time.Duration(rng.IntN(80)) * time.Millisecond):
			}
		} else {
			// When the journal reaches a random length: mid-commit.
			target := before + 1 + rng.IntN((n-before)/4+1)
		wait:
			for lines() < target {
				select {
				case <-exited:
					break wait
				case <-time.After(time.Millisecond):
				}
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			kills++
			if after := lines(); after > before && after < n {
				killedMidway++
			}
		} else if waitErr != nil {
			t.Fatalf("batch failed before it was killed: %v\n%s", waitErr, stderr)
		}
	}
	t.Logf("%d kills, %d in the middle of the batch", kills, killedMidway)
	if killedMidway == 0 {
		t.Error("no kill landed in the middle of the batch")
	}
	cmd, stderr := start()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("final run: %v\n%s", err, stderr)
	}
	if layout == "jsonl" {
		checkJSONLDir(t, out, n, nil)
	} else {
		checkBatchDir(t, out, n, nil)
	}
}

// TestGenDevicesInterrupt sends SIGINT (Ctrl-C) to a batch in the middle
// of its work: it must exit 130 saying how to resume, leave no temporary
// directory or file (none holding a key), and the same command run again
// must finish the batch with exactly one certificate for each device.
func TestGenDevicesInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("starts iotcert twice per layout")
	}
	for _, layout := range []string{"dirs", "jsonl"} {
		t.Run(layout, func(t *testing.T) { testGenDevicesInterrupt(t, layout) })
	}
}

func testGenDevicesInterrupt(t *testing.T, layout string) {
	// Enough devices to be interrupted midway (see testGenDevicesKill).
	n := 1000
	if layout == "jsonl" {
		n = 3000
	}
	spec, out, csv := batchSetup(t, n, nil)
	lines := func() int { return journalLines(out) }
	cmd, stderr := startBatch(t, spec, out, csv, layout)
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	// Interrupt once the first devices are journaled: mid-batch.
wait:
	for lines() < 20 {
		select {
		case <-exited:
			break wait
		case <-time.After(time.Millisecond):
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	<-exited
	done := lines()
	if done >= n {
		t.Skipf("the batch finished before the interrupt reached it")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d (%v), want 130\n%s", code, cmd.ProcessState, stderr)
	}
	if want := "iotcert gen devices: interrupted by Ctrl-C (SIGINT): "; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "Run the same command again to finish") {
		t.Errorf("stderr does not say how to resume:\n%s", stderr)
	}
	t.Logf("interrupted after %d of %d devices", done, n)
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != out && strings.HasPrefix(d.Name(), ".") {
			t.Errorf("temporary %s left behind", p)
		}
		return nil
	})
	rerun, rerunErr := startBatch(t, spec, out, csv, layout)
	if err := rerun.Wait(); err != nil {
		t.Fatalf("run again: %v\n%s", err, rerunErr)
	}
	if layout == "jsonl" {
		checkJSONLDir(t, out, n, nil)
	} else {
		checkBatchDir(t, out, n, nil)
	}
}

// killSeed returns the seed of the kill test's random kill points: the
// value of IOTCERT_KILL_SEED when set (to replay a failed run), else the
// clock. It is logged, so that a failure can be reproduced.
func killSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("IOTCERT_KILL_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("IOTCERT_KILL_SEED=%q: %v", v, err)
		}
	}
	t.Logf("kill points drawn with seed %d (replay: IOTCERT_KILL_SEED=%d go test ./cmd/iotcert -run %s)", seed, seed, t.Name())
	return seed
}

// startBatch starts "iotcert gen devices" of the test helper process on
// the batch set up by batchSetup, and returns it with its standard error.
func startBatch(t *testing.T, spec, out, csv, layout string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "--", "gen", "devices", spec, "--out", out, "--from", csv, "--workers", "2", "--layout", layout)
	cmd.Env = append(os.Environ(), "IOTCERT_HELPER_PROCESS=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// journalLines counts the lines of out's journal (0 before it exists).
func journalLines(out string) int {
	data, _ := os.ReadFile(filepath.Join(out, "journal.jsonl"))
	return bytes.Count(data, []byte("\n"))
}
