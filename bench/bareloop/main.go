// Command bareloop is the yardstick of bench/issuance.sh: the bare Go loop
// of device issuance (package internal/bareloop: a P-256 key,
// crypto/x509.CreateCertificate, PEM; nothing written, nothing linted) on
// every core. It prints the devices made per second.
//
//	go run ./bench/bareloop -n 20000
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotcert/iotcert/internal/bareloop"
)

func main() {
	n := flag.Int("n", 20000, "devices to make")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "goroutines")
	flag.Parse()
	if err := run(*n, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "bareloop:", err)
		os.Exit(1)
	}
}

func run(n, workers int) error {
	is, err := bareloop.New()
	if err != nil {
		return err
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if _, _, err := is.Issue(i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("%d devices in %.3f s: %.0f devices/s\n", n, elapsed.Seconds(), float64(n)/elapsed.Seconds())
	return nil
}
