// Command serveload is the load generator of bench/serve.sh: it posts the
// certificates of a PEM bundle, one a request, to POST /v1/lint of a
// running "iotcert serve", over keep-alive connections from -c workers,
// until -n requests are done or -d has passed, and prints the request
// rate and the latency percentiles.
//
//	go run ./bench/serveload -url http://127.0.0.1:8080 -bundle bundle.pem -c 8 -n 100000 -d 20s
//
// It talks to a loopback address only.
package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "base `URL` of iotcert serve (a loopback address)")
	bundleFile := flag.String("bundle", "", "PEM bundle whose certificates are posted, one a request")
	workers := flag.Int("c", 8, "concurrent requests (one keep-alive connection each)")
	max := flag.Int("n", 100000, "stop after `N` requests")
	dur := flag.Duration("d", 20*time.Second, "stop after this long")
	warmup := flag.Duration("warmup", 2*time.Second, "run this long before measuring")
	query := flag.String("query", "profile=tls13-iot", "query of each request")
	asJSON := flag.Bool("json", false, "print the figures as one JSON object")
	flag.Parse()
	if err := run(*base, *bundleFile, *workers, *max, *dur, *warmup, *query, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "serveload:", err)
		os.Exit(1)
	}
}

// result holds the figures of a run.
type result struct {
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"requests_per_second"`
	P50ms     float64 `json:"p50_ms"`
	P90ms     float64 `json:"p90_ms"`
	P99ms     float64 `json:"p99_ms"`
	Maxms     float64 `json:"max_ms"`
}

func run(base, bundleFile string, workers, max int, dur, warmup time.Duration, query string, asJSON bool) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address", u.Host)
	}
	certs, err := split(bundleFile)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers, DisableCompression: true}}
	target := base + "/v1/lint?" + query
	post := func(body []byte) (time.Duration, bool) {
		start := time.Now()
		resp, err := client.Post(target, "application/x-pem-file", bytes.NewReader(body))
		if err != nil {
			return time.Since(start), false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode == http.StatusOK
	}
	// Warm up: connections open, caches and the collector settle.
	var next atomic.Int64
	phase := func(until time.Time, limit int) ([]time.Duration, int, time.Duration) {
		var mu sync.Mutex
		var lat []time.Duration
		errs := 0
		var done atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				local := make([]time.Duration, 0, 4096)
				bad := 0
				for time.Now().Before(until) && (limit == 0 || done.Add(1) <= int64(limit)) {
					d, ok := post(certs[int(next.Add(1))%len(certs)])
					if !ok {
						bad++
					}
					local = append(local, d)
				}
				mu.Lock()
				lat = append(lat, local...)
				errs += bad
				mu.Unlock()
			}()
		}
		wg.Wait()
		return lat, errs, time.Since(start)
	}
	phase(time.Now().Add(warmup), 0)
	lat, errs, elapsed := phase(time.Now().Add(dur), max)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / 1e6
	}
	r := result{Requests: len(lat), Errors: errs, Seconds: elapsed.Seconds(), PerSecond: float64(len(lat)) / elapsed.Seconds(),
		P50ms: pct(0.50), P90ms: pct(0.90), P99ms: pct(0.99), Maxms: pct(1)}
	if asJSON {
		return json.NewEncoder(os.Stdout).Encode(r)
	}
	fmt.Printf("%d requests (%d not 200) in %.1f s: %.0f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		r.Requests, r.Errors, r.Seconds, r.PerSecond, r.P50ms, r.P90ms, r.P99ms, r.Maxms)
	return nil
}

// split returns each certificate of a PEM bundle as a PEM file of its own.
func split(name string) ([][]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			out = append(out, pem.EncodeToMemory(b))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no certificate", name)
	}
	return out, nil
}
