// Command estload loads "iotcert est" with simpleenroll requests and
// prints enrollments per second, latency percentiles and the ratio to a
// peer measured in the same run: raw ECDSA P-256 signatures per second on
// all cores (the signature every enrollment makes, without the TLS, CSR
// check, lint, inventory and journal around it); and whether the target
// of docs/performance.md is met (at least 500 enrollments/s with p99
// under 20 ms, none failed).
//
//	estload -host 127.0.0.1:8443 -server-cert server.pem -devices pki/devices -c 4 -duration 10s
//
// Each of the c workers is one device (the IDevIDs d000, d001, ... under
// -devices, as "iotcert gen devices" wrote them) on one keep-alive TLS 1.3
// connection with client authentication, enrolling again and again (the
// server must run with --rate 0). Nothing leaves the -host address.
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	host := flag.String("host", "", "the server's `host:port` (loopback)")
	serverCert := flag.String("server-cert", "", "the server's certificate `FILE` (PEM), the trust anchor")
	devices := flag.String("devices", "", "the `DIR` of the IDevIDs (DIR/d000/cert.pem, chain.pem, key.pem, ...)")
	workers := flag.Int("c", 4, "concurrent devices, one connection each")
	duration := flag.Duration("duration", 10*time.Second, "how long to load after the warm-up")
	warmup := flag.Duration("warmup", 2*time.Second, "warm-up, not measured")
	maxRequests := flag.Int64("max", 1000000, "stop after this many measured enrollments")
	flag.Parse()
	if *host == "" || *serverCert == "" || *devices == "" || *workers <= 0 {
		fmt.Fprintln(os.Stderr, "estload: want -host, -server-cert, -devices and -c > 0")
		os.Exit(2)
	}
	pool := x509.NewCertPool()
	data, err := os.ReadFile(*serverCert)
	if err != nil || !pool.AppendCertsFromPEM(data) {
		fmt.Fprintf(os.Stderr, "estload: -server-cert: %v\n", err)
		os.Exit(2)
	}

	peer := signRate(2 * time.Second)

	var measuring atomic.Bool
	var count, failed atomic.Int64
	lat := make([][]time.Duration, *workers)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range *workers {
		client, csrs, err := device(*devices, w, pool)
		if err != nil {
			fmt.Fprintf(os.Stderr, "estload: %v\n", err)
			os.Exit(2)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				status, err := enroll(client, *host, csrs[i%len(csrs)])
				d := time.Since(start)
				if !measuring.Load() {
					continue
				}
				if err != nil || status != http.StatusOK {
					if failed.Add(1) == 1 {
						fmt.Fprintf(os.Stderr, "estload: enrollment failed: %d %v\n", status, err)
					}
					continue
				}
				lat[w] = append(lat[w], d)
				if count.Add(1) >= *maxRequests {
					return
				}
			}
		}()
	}
	time.Sleep(*warmup)
	measuring.Store(true)
	begin := time.Now()
	deadline := time.After(*duration)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-deadline:
	case <-done:
	}
	elapsed := time.Since(begin)
	measuring.Store(false)
	close(stop)
	<-done
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(float64(len(all))*p))]
	}
	rate := float64(len(all)) / elapsed.Seconds()
	fmt.Printf("enrollments: %d in %.1fs, %d failed, %d devices on keep-alive TLS 1.3 connections with client authentication\n", len(all), elapsed.Seconds(), failed.Load(), *workers)
	fmt.Printf("rate: %.0f enrollments/s   p50 %.2f ms   p99 %.2f ms   max %.2f ms\n", rate, ms(pct(0.5)), ms(pct(0.99)), ms(pct(1)))
	fmt.Printf("peer: raw ECDSA P-256 signatures on %d cores: %.0f/s; enrollments/s ÷ signatures/s = %.3f\n", runtime.GOMAXPROCS(0), peer, rate/peer)
	verdict := "met"
	if rate < targetRate || pct(0.99) >= targetP99 || failed.Load() > 0 || len(all) == 0 {
		verdict = "NOT met"
	}
	fmt.Printf("target: at least %d enrollments/s with p99 under %d ms and none failed: %s\n", targetRate, targetP99.Milliseconds(), verdict)
}

// The target of issue 16 (docs/performance.md, "iotcert est").
const (
	targetRate = 500
	targetP99  = 20 * time.Millisecond
)

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// signRate measures ECDSA P-256 signatures per second on all cores.
func signRate(d time.Duration) float64 {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256([]byte("tbsCertificate"))
	var n atomic.Int64
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				ecdsa.SignASN1(rand.Reader, key, digest[:])
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds()
}

// device returns the HTTP client of device w (its IDevID as client
// certificate, one connection) and a few CSRs of fresh P-256 keys.
func device(dir string, w int, pool *x509.CertPool) (*http.Client, [][]byte, error) {
	d := filepath.Join(dir, fmt.Sprintf("d%03d", w))
	certPEM, err := os.ReadFile(filepath.Join(d, "cert.pem"))
	if err != nil {
		return nil, nil, err
	}
	chainPEM, err := os.ReadFile(filepath.Join(d, "chain.pem"))
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(d, "key.pem"))
	if err != nil {
		return nil, nil, err
	}
	// The chain without the root: the server holds the trust anchor.
	var blocks [][]byte
	for b, rest := pem.Decode(append(certPEM, chainPEM...)); b != nil; b, rest = pem.Decode(rest) {
		blocks = append(blocks, pem.EncodeToMemory(b))
	}
	tc, err := tls.X509KeyPair(bytes.Join(blocks[:len(blocks)-1], nil), keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", d, err)
	}
	var csrs [][]byte
	for range 4 {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, key)
		if err != nil {
			return nil, nil, err
		}
		csrs = append(csrs, []byte(base64.StdEncoding.EncodeToString(der)))
	}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{tc}, MinVersion: tls.VersionTLS13},
		MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}, csrs, nil
}

func enroll(c *http.Client, host string, csr []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, "https://"+host+"/.well-known/est/simpleenroll", bytes.NewReader(csr))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/pkcs10")
	req.Header.Set("Content-Transfer-Encoding", "base64")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}
