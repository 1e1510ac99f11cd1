package dist_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/internal/dist"
)

func TestVersion(t *testing.T) {
	tests := []struct{ described, want string }{
		{"v1.2.0", "v1.2.0"},
		{"v1.2.0-rc.1", "v1.2.0-rc.1"},
		{"v1.2.0-3-gd3171d1-dirty", "v1.2.0-3-gd3171d1-dirty"},
		{"1.2.0", "v1.2.0"},
		{"d3171d1", "v0.0.0-dev-d3171d1"},
		{"d3171d1-dirty\n", "v0.0.0-dev-d3171d1-dirty"},
		{"0123456", "v0.0.0-dev-0123456"}, // a hash of digits with a leading 0 is no valid numeric identifier alone
		{"release/2026.1", "v0.0.0-dev-release-2026-1"},
		{"", "v0.0.0-dev"},
	}
	for _, tt := range tests {
		if got := dist.Version(tt.described); got != tt.want {
			t.Errorf("Version(%q) = %q, want %q", tt.described, got, tt.want)
		}
	}
}

func TestParsePlatform(t *testing.T) {
	for _, p := range dist.Platforms {
		got, err := dist.ParsePlatform(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePlatform(%q) = %v, %v", p, got, err)
		}
	}
	for _, bad := range []string{"linux", "linux/386", "plan9/amd64", ""} {
		if _, err := dist.ParsePlatform(bad); err == nil {
			t.Errorf("ParsePlatform(%q) accepted it", bad)
		}
	}
}

func TestBuildRefusesAVersionNpmCannotCarry(t *testing.T) {
	err := dist.Build(context.Background(), dist.BuildOptions{ModuleDir: moduleDir(t), OutDir: t.TempDir(), Version: "d3171d1"})
	if err == nil || !strings.Contains(err.Error(), "not a semantic version") {
		t.Fatalf("Build with version d3171d1: %v, want a refusal", err)
	}
}

// TestPackRefuses checks that make npm stops, before calling npm, on a dist/
// it cannot package and on a launcher manifest that lost track of the
// platforms.
func TestPackRefuses(t *testing.T) {
	mod := moduleDir(t)
	launcher, err := os.ReadFile(filepath.Join(mod, "npm", "gameball-mock", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		version  string // dist/VERSION; none when empty
		binary   bool   // a linux/amd64 binary in dist/
		manifest string
		says     string
	}{
		{"no make dist", "", false, string(launcher), "run make dist first"},
		{"no binary", "v1.0.0", false, string(launcher), "holds no binary"},
		{"a version npm refuses", "d3171d1", true, string(launcher), "not a semantic version"},
		{"a platform missing from the launcher", "v1.0.0", true, strings.Replace(string(launcher), `"@gbkit/gameball-mock-win32-arm64": "0.0.0",`, "", 1), "optionalDependencies must be exactly"},
		{"another launcher name", "v1.0.0", true, strings.Replace(string(launcher), `"name": "@gbkit/gameball-mock"`, `"name": "gameball-mock"`, 1), "want @gbkit/gameball-mock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.manifest == string(launcher) && tt.says == "optionalDependencies must be exactly" {
				t.Fatal("the fixture did not change the manifest")
			}
			dir := t.TempDir()
			distDir, launcherDir := filepath.Join(dir, "dist"), filepath.Join(dir, "launcher")
			write(t, filepath.Join(launcherDir, "package.json"), tt.manifest)
			write(t, filepath.Join(launcherDir, "bin", "gameball-mock.js"), "")
			if tt.version != "" {
				write(t, filepath.Join(distDir, "VERSION"), tt.version+"\n")
			}
			if tt.binary {
				write(t, filepath.Join(distDir, dist.Platform{OS: "linux", Arch: "amd64"}.Binary()), "not really a binary")
			}
			_, err := dist.Pack(context.Background(), dist.PackOptions{
				DistDir: distDir, LauncherDir: launcherDir, LicenseFile: filepath.Join(mod, "LICENSE"),
				OutDir: filepath.Join(dir, "npm"), NPM: "false", // npm must not be reached
			})
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("Pack: %v, want an error saying %q", err, tt.says)
			}
		})
	}
}

// moduleDir is the module's root, two levels up.
func moduleDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// host is the platform the tests run on, which make dist builds for when it
// is one of its platforms.
func host(t *testing.T) dist.Platform {
	p := dist.Platform{OS: runtime.GOOS, Arch: runtime.GOARCH}
	if _, err := dist.ParsePlatform(p.String()); err != nil {
		t.Skipf("make dist builds no binary for this machine: %v", err)
	}
	return p
}
