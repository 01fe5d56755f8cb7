package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// zlintModule is the module whose version "iotcert version" reports.
const zlintModule = "github.com/zmap/zlint/v3"

// moduleVersion returns the version report of the binary, from its build
// information: the module version (a tag with "go install ...@version",
// "(devel)" when built in a clone), the VCS revision, time and modified
// flag that "go build" records in a clone, the zlint version and the Go
// version, one "name: value" line each.
func moduleVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return versionText(bi)
}

// versionText formats the version report of bi (nil: unknown).
func versionText(bi *debug.BuildInfo) string {
	version, rows := "(unknown)", [][2]string{}
	if bi != nil {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision", "vcs.time", "vcs.modified":
				rows = append(rows, [2]string{strings.TrimPrefix(s.Key, "vcs."), s.Value})
			}
		}
		for _, d := range bi.Deps {
			if d.Path == zlintModule {
				if d.Replace != nil {
					d = d.Replace
				}
				rows = append(rows, [2]string{"zlint", d.Version})
			}
		}
	}
	rows = append(rows, [2]string{"go", runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH})
	var b strings.Builder
	fmt.Fprintf(&b, "iotcert %s\n", version)
	for _, r := range rows {
		fmt.Fprintf(&b, "%-9s %s\n", r[0]+":", r[1])
	}
	return b.String()
}

// versionCommand is "iotcert version", the same as "iotcert --version".
func versionCommand(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version, VCS revision, zlint and Go versions",
		Long: `Prints the module version (a tag when installed with "go install
github.com/iotcert/iotcert/cmd/iotcert@VERSION", "(devel)" when built in a
clone), the VCS revision, its time and whether the tree was modified (when
built in a clone), the zlint version and the Go version.`,
		Example: `  iotcert version
  iotcert --version`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprint(c.stdout, moduleVersion())
		},
	}
}
