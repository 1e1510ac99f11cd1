// Package dist builds what people without Go run the mock from: static
// gameball-mock binaries for each platform (make dist), and the npm packages
// that put the right one on PATH (make npm). The tests build through the same
// functions, so what they start is what make dist ships.
package dist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Platform is one target of make dist, in Go's names.
type Platform struct{ OS, Arch string }

// Platforms are the targets of make dist: the launcher's optionalDependencies
// (npm/gameball-mock/package.json) list one package for each.
var Platforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// ParsePlatform reads "linux/amd64".
func ParsePlatform(s string) (Platform, error) {
	goos, goarch, _ := strings.Cut(s, "/")
	p := Platform{goos, goarch}
	if !slices.Contains(Platforms, p) {
		return Platform{}, fmt.Errorf("platform %q is not one of make dist's (%s)", s, platformList())
	}
	return p, nil
}

func platformList() string {
	var names []string
	for _, p := range Platforms {
		names = append(names, p.String())
	}
	return strings.Join(names, " ")
}

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Binary is the file name of the platform's binary in dist/, which the
// Dockerfile copies for linux.
func (p Platform) Binary() string {
	name := "gameball-mock_" + p.OS + "_" + p.Arch
	if p.OS == "windows" {
		name += ".exe"
	}
	return name
}

// nodePlatform and nodeArch are Node's names (process.platform and
// process.arch), which the launcher builds the package name from.
func (p Platform) nodePlatform() string {
	if p.OS == "windows" {
		return "win32"
	}
	return p.OS
}

func (p Platform) nodeArch() string {
	if p.Arch == "amd64" {
		return "x64"
	}
	return p.Arch
}

// NPMPackage is the name of the platform's npm package.
func (p Platform) NPMPackage() string {
	return LauncherPackage + "-" + p.nodePlatform() + "-" + p.nodeArch()
}

// LauncherPackage is the npm package people install; it depends on the
// platform packages.
const LauncherPackage = "@gbkit/gameball-mock"

// mainPackage is what make dist builds, relative to the module's directory.
const mainPackage = "./mockserver/cmd/gameball-mock"

// versionFile in dist/ holds the version its binaries carry, for make npm.
const versionFile = "VERSION"

// semverRE is semver.org's pattern, with Go's leading "v".
var semverRE = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// Version turns what `git describe --tags --always --dirty` says (or a
// VERSION given to make) into a semantic version, which npm requires and Go
// tooling expects: "v1.2.0" and "v1.2.0-3-gd3171d1-dirty" stay as they are,
// "1.2.0" gains its "v", and anything else (a bare commit, from a clone
// without tags) becomes a pre-release of v0.0.0: "v0.0.0-dev-d3171d1-dirty".
func Version(described string) string {
	described = strings.TrimSpace(described)
	if semverRE.MatchString(described) {
		return described
	}
	if semverRE.MatchString("v" + described) {
		return "v" + described
	}
	id := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return '-'
	}, described)
	return strings.TrimSuffix("v0.0.0-dev-"+id, "-")
}

// BuildOptions say what Build builds.
type BuildOptions struct {
	ModuleDir string     // the module's root
	OutDir    string     // dist/
	Version   string     // a semantic version (see Version)
	Platforms []Platform // nil for all of Platforms
	Go        string     // the go command; "go" when empty
	Log       io.Writer  // go build's output
}

// Build builds a static gameball-mock for each platform into OutDir, with
// SHA256SUMS and VERSION beside them. Binaries, sums and npm tarballs of an
// earlier run are removed first, so dist/ never mixes two versions.
func Build(ctx context.Context, o BuildOptions) error {
	if !semverRE.MatchString(o.Version) {
		return fmt.Errorf("version %q is not a semantic version such as v1.2.0", o.Version)
	}
	platforms := o.Platforms
	if platforms == nil {
		platforms = Platforms
	}
	goTool := o.Go
	if goTool == "" {
		goTool = "go"
	}
	if err := clean(o.OutDir); err != nil {
		return err
	}
	var sums strings.Builder
	for _, p := range platforms {
		out := filepath.Join(o.OutDir, p.Binary())
		cmd := exec.CommandContext(ctx, goTool, BuildArgs(o.Version, out)...)
		cmd.Dir = o.ModuleDir
		// No cgo: one static binary that runs on any libc, or none (the
		// container is FROM scratch).
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Arch)
		cmd.Stdout, cmd.Stderr = o.Log, o.Log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build for %s: %w", p, err)
		}
		sum, err := fileSHA256(out)
		if err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, p.Binary())
	}
	if err := os.WriteFile(filepath.Join(o.OutDir, "SHA256SUMS"), []byte(sums.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(o.OutDir, versionFile), []byte(o.Version+"\n"), 0o644)
}

// BuildArgs are go build's arguments for one binary: no absolute paths of
// this machine in it (-trimpath), no symbol table or DWARF (-s -w: a third
// smaller; panics still print their stacks), the version stamped, and the
// commit recorded when built in a git checkout (-buildvcs=auto overrides a
// GOFLAGS that turns it off).
func BuildArgs(version, out string) []string {
	return []string{"build", "-trimpath", "-buildvcs=auto",
		"-ldflags", "-s -w -X main.version=" + version,
		"-o", out, mainPackage}
}

// clean removes what Build and Pack wrote to dir before, and nothing else.
func clean(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "gameball-mock_*"))
	if err != nil {
		return err
	}
	old = append(old, filepath.Join(dir, "SHA256SUMS"), filepath.Join(dir, versionFile), filepath.Join(dir, "npm"))
	for _, path := range old {
		if err := os.RemoveAll(path); err != nil {
			return err
		}
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// PackOptions say what Pack packs.
type PackOptions struct {
	DistDir     string    // make dist's output: binaries and VERSION
	LauncherDir string    // npm/gameball-mock: the launcher package's sources
	LicenseFile string    // copied into every package
	OutDir      string    // where the tarballs go (dist/npm)
	NPM         string    // the npm command; "npm" when empty
	Log         io.Writer // npm's notices
}

// Pack builds the npm tarballs: one platform package per binary DistDir
// holds (make dist may have built only some), and the launcher, at
// DistDir's version. The launcher lists every platform of Platforms
// whatever DistDir holds, as the published one must; npm skips an optional
// dependency it cannot install. Pack answers the tarballs' paths, the
// launcher's first.
func Pack(ctx context.Context, o PackOptions) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(o.DistDir, versionFile))
	if err != nil {
		return nil, fmt.Errorf("%w: run make dist first", err)
	}
	version := strings.TrimSpace(string(data))
	if !semverRE.MatchString(version) {
		return nil, fmt.Errorf("%s: %q is not a semantic version", versionFile, version)
	}
	npmVersion := strings.TrimPrefix(version, "v")
	license, err := os.ReadFile(o.LicenseFile)
	if err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp("", "gameball-mock-npm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)

	launcher := filepath.Join(stage, "launcher")
	if err := stageLauncher(o.LauncherDir, launcher, npmVersion, license); err != nil {
		return nil, err
	}
	dirs := []string{launcher}
	for _, p := range Platforms {
		bin := filepath.Join(o.DistDir, p.Binary())
		if _, err := os.Stat(bin); errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		dir := filepath.Join(stage, p.nodePlatform()+"-"+p.nodeArch())
		if err := stagePlatform(dir, bin, p, npmVersion, license); err != nil {
			return nil, err
		}
		dirs = append(dirs, dir)
	}
	if len(dirs) == 1 {
		return nil, fmt.Errorf("%s holds no binary: run make dist first", o.DistDir)
	}

	if err := os.RemoveAll(o.OutDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return nil, err
	}
	outDir, err := filepath.Abs(o.OutDir)
	if err != nil {
		return nil, err
	}
	npm := o.NPM
	if npm == "" {
		npm = "npm"
	}
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, npm, append([]string{"pack", "--json", "--pack-destination", outDir}, dirs...)...)
	cmd.Stdout, cmd.Stderr = &stdout, o.Log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("npm pack: %w", err)
	}
	var packed []struct{ Filename string }
	if err := json.Unmarshal(stdout.Bytes(), &packed); err != nil {
		return nil, fmt.Errorf("npm pack --json: %w", err)
	}
	if len(packed) != len(dirs) {
		return nil, fmt.Errorf("npm pack made %d tarballs of %d packages", len(packed), len(dirs))
	}
	var tarballs []string
	for _, p := range packed {
		tarballs = append(tarballs, filepath.Join(outDir, p.Filename))
	}
	return tarballs, nil
}

// stageLauncher copies the launcher's sources and sets its version and its
// platform packages' versions to version. Its optionalDependencies must name
// exactly the packages of Platforms: the two lists cannot drift apart.
func stageLauncher(src, dst, version string, license []byte) error {
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		return err
	}
	path := filepath.Join(dst, "package.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var manifest map[string]any
	if err := json.Unmarshal(data, &manifest); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(src, "package.json"), err)
	}
	if manifest["name"] != LauncherPackage {
		return fmt.Errorf("%s: name is %v, want %s", filepath.Join(src, "package.json"), manifest["name"], LauncherPackage)
	}
	listed, _ := manifest["optionalDependencies"].(map[string]any)
	deps := map[string]any{}
	for _, p := range Platforms {
		deps[p.NPMPackage()] = version
	}
	if len(listed) != len(deps) || !everyKeyIn(listed, deps) {
		return fmt.Errorf("%s: optionalDependencies must be exactly the platform packages %v", filepath.Join(src, "package.json"), slices.Sorted(maps.Keys(deps)))
	}
	manifest["version"] = version
	manifest["optionalDependencies"] = deps
	if err := writeJSON(path, manifest); err != nil {
		return err
	}
	// The launcher must be executable where npm links it.
	if err := os.Chmod(filepath.Join(dst, "bin", "gameball-mock.js"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, "LICENSE"), license, 0o644)
}

// stagePlatform lays out one platform package: its manifest, which npm
// installs only on that os and cpu, and the binary.
func stagePlatform(dir, bin string, p Platform, version string, license []byte) error {
	exe := "gameball-mock"
	if p.OS == "windows" {
		exe += ".exe"
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", exe), data, 0o755); err != nil {
		return err
	}
	manifest := map[string]any{
		"name":            p.NPMPackage(),
		"version":         version,
		"description":     "The gameball-mock binary for " + p.String() + "; install " + LauncherPackage + " instead.",
		"license":         "MIT",
		"repository":      map[string]any{"type": "git", "url": "git+https://github.com/gbkit/gameball-go.git"},
		"os":              []string{p.nodePlatform()},
		"cpu":             []string{p.nodeArch()},
		"files":           []string{"bin/"},
		"preferUnplugged": true,
	}
	if err := writeJSON(filepath.Join(dir, "package.json"), manifest); err != nil {
		return err
	}
	readme := "# " + p.NPMPackage() + "\n\nThe `gameball-mock` binary for " + p.String() +
		". Install [`" + LauncherPackage + "`](https://www.npmjs.com/package/" + LauncherPackage + "), which picks this package on this platform.\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(readme), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "LICENSE"), license, 0o644)
}

func writeJSON(path string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // ">=18", not "\u003e=18"
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func everyKeyIn(a, b map[string]any) bool {
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}
