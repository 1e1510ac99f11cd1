// Command driftdrill runs the drift drills (package internal/driftdrill):
// for each kind of change Gameball can make to its documents, it changes a
// copy of this repository and checks that the named mechanism catches it.
// It exits non-zero when any change is missed.
//
//	go run ./internal/cmd/driftdrill        # from the repository root
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/gbkit/gameball-go/internal/driftdrill"
)

func main() {
	parallel := flag.Int("parallel", runtime.NumCPU(), "drills run at once")
	timeout := flag.Duration("timeout", 5*time.Minute, "bound on the whole drill")
	only := flag.String("run", "", "run only the drills whose name matches this regular expression")
	flag.Parse()
	match, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	drills := slices.DeleteFunc(slices.Clone(driftdrill.Drills), func(d driftdrill.Drill) bool { return !match.MatchString(d.Name) })

	repo, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	work, err := os.MkdirTemp("", "driftdrill-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(work)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	start := time.Now()
	results := make([]driftdrill.Result, len(drills))
	slots := make(chan struct{}, max(1, *parallel))
	var wg sync.WaitGroup
	for i, d := range drills {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i] = driftdrill.Run(ctx, repo, work, d)
		})
	}
	wg.Wait()

	missed := 0
	for _, r := range results {
		verdict := "caught"
		if !r.Caught {
			verdict = "MISSED"
			missed++
		}
		fmt.Printf("%-7s %-46s by %s (%.1fs)\n", verdict, r.Drill.Name, r.Drill.Mechanism, r.Elapsed.Seconds())
		if !r.Caught {
			fmt.Println("        " + r.Why)
		}
	}
	fmt.Printf("drift drill: %d of %d changes caught in %.1fs\n", len(results)-missed, len(results), time.Since(start).Seconds())
	if missed > 0 {
		os.Exit(1)
	}
}
