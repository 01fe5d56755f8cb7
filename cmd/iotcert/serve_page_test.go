package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/serve"
)

// chromium returns the path of a Chromium binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestServePageChromium drives the web page of the real binary in
// headless Chromium: it uploads the sample bundle, waits for the findings
// tables and the SVG chain diagram, checks the verdict, that every form
// control has a label, that the JSON download is the report and the SARIF
// download SARIF, that pasted text that is not a certificate shows the
// located error, and that the
// page asked nothing of any other host. It saves a screenshot to
// $IOTCERT_SCREENSHOT (a file name) or to the test's temporary directory.
// Without Chromium it skips, unless CI is set.
func TestServePageChromium(t *testing.T) {
	exe := chromium()
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (apt-get install chromium)")
		}
		t.Skip("chromium is not installed")
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	base := startServe(t)
	downloads := t.TempDir()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1500),
		chromedp.Flag("no-proxy-server", true),
		// Nothing but the server can be reached, whatever the page asks.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var requested []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, ev.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}

	sample, err := filepath.Abs(filepath.Join(certs, "sample-bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Navigate(base + "/"))
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: new(true),
	}); err != nil {
		t.Fatal(err)
	}
	run(chromedp.WaitReady(chromedp.CSS(`#profile option[value="tls13-iot"]`)))
	run(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{sample}))
	run(chromedp.Click(chromedp.CSS(`#lint-button`)))
	run(chromedp.WaitVisible(chromedp.CSS(`#certificates table.findings`)))
	run(chromedp.WaitVisible(chromedp.CSS(`#diagram svg`)))
	rows := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#certificates table.findings tbody tr").length`))
	boxes := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#diagram svg g").length`))
	verdict := value(t, ctx, chromedp.Text(chromedp.CSS(`#verdict`)))
	heading := value(t, ctx, chromedp.Text(chromedp.CSS(`#cert-4`)))
	unlabelled := value(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("input, select, textarea")].filter(e => e.labels.length === 0).map(e => e.id)`))
	screenshot := value(t, ctx, chromedp.FullScreenshot(100))
	downloaded := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	run(chromedp.Click(chromedp.CSS(`#download-json`)))
	shot := os.Getenv("IOTCERT_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "serve-screenshot.png")
	}
	if err := os.WriteFile(shot, screenshot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)

	// The sample bundle has six findings on five certificates, and eight
	// certificates in its diagram.
	if rows < 6 || boxes != 8 {
		t.Errorf("%d finding rows, %d diagram boxes; want at least 6, and 8", rows, boxes)
	}
	if !strings.HasPrefix(verdict, "Verdict: FAIL") || !strings.HasPrefix(heading, "ERROR · end-entity · ") {
		t.Errorf("verdict %q, certificate 4 %q", verdict, heading)
	}
	if len(unlabelled) > 0 {
		t.Errorf("form controls without a label: %v", unlabelled)
	}

	var guid string
	for ev, err := range downloaded {
		if err != nil {
			t.Fatalf("the JSON download did not complete: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
	}
	{
		data, err := os.ReadFile(filepath.Join(downloads, guid))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			profile.Report
			Verdict serve.Verdict `json:"verdict"`
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatalf("downloaded JSON: %v\n%s", err, data)
		}
		if rep.Schema != profile.ReportSchema || rep.Summary.Certificates != 8 || rep.Certificates[0].Origin.File != "sample-bundle.pem" || rep.Verdict.Pass {
			t.Errorf("downloaded report: %+v", rep.Summary)
		}
	}

	// The SARIF download asks the server for SARIF and saves it.
	sarifs := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	run(chromedp.Click(chromedp.CSS(`#download-sarif`)))
	for ev, err := range sarifs {
		if err != nil {
			t.Fatalf("the SARIF download did not complete: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			data, err := os.ReadFile(filepath.Join(downloads, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			var sarif struct {
				Version string `json:"version"`
			}
			if err := json.Unmarshal(data, &sarif); err != nil || sarif.Version != "2.1.0" {
				t.Errorf("downloaded SARIF: %v %q", err, sarif.Version)
			}
			break
		}
	}

	// Pasted text that is not a certificate: the located error, in the
	// status line, and no results.
	truncated, err := os.ReadFile(filepath.Join("..", "..", "testdata", "malformed", "truncated.pem"))
	if err != nil {
		t.Fatal(err)
	}
	value(t, ctx, chromedp.Evaluate[string](`document.getElementById("file").value = ""`))
	run(chromedp.SetValue(chromedp.CSS(`#pem`), string(truncated)))
	run(chromedp.Click(chromedp.CSS(`#lint-button`)))
	run(chromedp.WaitVisible(chromedp.CSS(`#status.error`)))
	status := value(t, ctx, chromedp.Text(chromedp.CSS(`#status`)))
	// The page posts the text trimmed, with one line end.
	want := fmt.Sprintf("Error 400: no certificate found in pasted.pem: 1 input read (%d bytes); 1 input error; pasted.pem (certificate 0, byte 0): truncated PEM block: no END line before end of input", len(strings.TrimSpace(string(truncated)))+1)
	if status != want || !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById("results").hidden`)) {
		t.Errorf("status %q, want %q, and the results hidden", status, want)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, u := range requested {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "blob" && pu.Scheme != "data" && !strings.HasPrefix(u, base+"/")) {
			t.Errorf("the page requested %s, not on %s", u, base)
		}
	}
	if len(requested) < 4 {
		t.Errorf("requests seen: %v", requested)
	}
}

// value runs an action that returns a value, and fails the test on error.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
