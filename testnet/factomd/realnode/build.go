// Package realnode builds, starts, funds and stops a real factomd 6.13
// (module github.com/FactomProject/factomd v1.13.0) on 127.0.0.1 for
// compatibility tests.
//
// factomd is built from the Go module proxy with the dependency pins in
// ../build (a separate module holding the verified go.mod, go.sum and
// tools.go; merging those pins into this module would upgrade factomd's
// 2019-2020 dependencies). The binary is cached under the user cache
// directory, keyed by the pins' checksum.
package realnode

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
)

// Version is the factomd release these tools build.
const Version = "v6.13.0 (module v1.13.0)"

// Env overrides.
const (
	// EnvBin names a prebuilt factomd binary to use instead of building.
	EnvBin = "LEDGERGATE_FACTOMD_BIN"
	// EnvBuildDir names the directory with the pinned go.mod, go.sum and
	// tools.go (default: ../build next to this source file).
	EnvBuildDir = "LEDGERGATE_FACTOMD_BUILD_DIR"
)

// BuildDir returns the directory holding the pinned build module.
func BuildDir() (string, error) {
	if d := os.Getenv(EnvBuildDir); d != "" {
		return d, nil
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("realnode: cannot locate the build pins (set " + EnvBuildDir + ")")
	}
	return filepath.Join(filepath.Dir(file), "..", "build"), nil
}

// CacheDir returns ledgergate's cache directory for testnet tools.
func CacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	d := filepath.Join(base, "ledgergate", "factomd")
	return d, os.MkdirAll(d, 0o755)
}

// Build returns the path of a factomd binary, building it on first use
// (about a minute on two cores) and caching it by the checksum of the pins.
func Build(ctx context.Context) (string, error) {
	if b := os.Getenv(EnvBin); b != "" {
		return b, nil
	}
	dir, err := BuildDir()
	if err != nil {
		return "", err
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		return "", fmt.Errorf("realnode: read pins: %w", err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("realnode: read pins: %w", err)
	}
	key := sha256.Sum256(append(mod, sum...))
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, "factomd-v6.13.0-"+hex.EncodeToString(key[:6]))
	unlock, err := lockFile(ctx, filepath.Join(cache, "build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() {
		return bin, nil
	}
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", tmp, "github.com/FactomProject/factomd")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("realnode: go build factomd in %s: %w\n%s", dir, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("realnode: %w", err)
	}
	return bin, nil
}

// lockFile takes an exclusive flock on path, waiting until ctx ends.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("realnode: lock: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }()
	select {
	case err := <-done:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("realnode: lock %s: %w", path, err)
		}
		return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
	case <-ctx.Done():
		go func() {
			if <-done == nil {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			}
			f.Close()
		}()
		return nil, fmt.Errorf("realnode: waiting for %s: %w", path, ctx.Err())
	}
}
