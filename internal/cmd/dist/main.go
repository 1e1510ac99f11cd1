// Command dist is make dist and make npm:
//
//	go run ./internal/cmd/dist build -version "$(git describe --tags --always --dirty)" -out dist [linux/amd64 ...]
//	go run ./internal/cmd/dist npm -dist dist -out dist/npm
//
// build makes static gameball-mock binaries (all platforms unless some are
// named), SHA256SUMS and VERSION; npm packs the npm tarballs from the
// binaries dist/ holds, at dist/VERSION.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/gbkit/gameball-go/internal/dist"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: dist build|npm [flags]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fs := flag.NewFlagSet("dist "+args[0], flag.ContinueOnError)
	switch args[0] {
	case "build":
		version := fs.String("version", "", "what git describe says, or a semantic version")
		out := fs.String("out", "dist", "output directory")
		goTool := fs.String("go", "go", "the go command")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		var platforms []dist.Platform
		for _, name := range fs.Args() {
			p, err := dist.ParsePlatform(name)
			if err != nil {
				return err
			}
			platforms = append(platforms, p)
		}
		o := dist.BuildOptions{ModuleDir: ".", OutDir: *out, Version: dist.Version(*version), Platforms: platforms, Go: *goTool, Log: os.Stderr}
		if err := dist.Build(ctx, o); err != nil {
			return err
		}
		fmt.Printf("dist: gameball-mock %s in %s/ (SHA256SUMS beside)\n", o.Version, *out)
		return nil
	case "npm":
		distDir := fs.String("dist", "dist", "make dist's output")
		out := fs.String("out", "dist/npm", "where the tarballs go")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		tarballs, err := dist.Pack(ctx, dist.PackOptions{
			DistDir: *distDir, LauncherDir: "npm/gameball-mock", LicenseFile: "LICENSE", OutDir: *out, Log: os.Stderr,
		})
		if err != nil {
			return err
		}
		for _, t := range tarballs {
			fmt.Println(t)
		}
		return nil
	}
	return fmt.Errorf("unknown command %q: build or npm", args[0])
}
