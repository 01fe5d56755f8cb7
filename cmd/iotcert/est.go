package main

import (
	"fmt"
	"io"
)

func runEst(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "iotcert est: not yet")
	return exitUsage
}
