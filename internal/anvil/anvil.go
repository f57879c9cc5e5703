// Package anvil installs and runs a local anvil node (Foundry's dev chain)
// for the Ethereum adapter's and the relay's tests and benchmarks. anvil
// comes from the npm package @foundry-rs/anvil-linux-amd64 at a pinned
// version, installed with npm into a cache directory; nodes listen on
// 127.0.0.1 only.
package anvil

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// Version is the pinned anvil version.
const Version = "1.7.1"

const pkg = "@foundry-rs/anvil-linux-amd64"

// ErrUnsupported: anvil cannot be installed here (platform, npm missing,
// or the registry refused).
var ErrUnsupported = errors.New("anvil unavailable")

// CacheDir is where anvil is installed: $LEDGERGATE_CACHE, else the user
// cache directory's ledgergate folder.
func CacheDir() string {
	if d := os.Getenv("LEDGERGATE_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "ledgergate")
	}
	return filepath.Join(os.TempDir(), "ledgergate-cache")
}

var installMu sync.Mutex

// Install returns the path of the anvil binary, installing the pinned npm
// package into CacheDir() first if needed. Errors wrap ErrUnsupported.
func Install(ctx context.Context) (string, error) {
	installMu.Lock()
	defer installMu.Unlock()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return "", fmt.Errorf("%w: the npm package %s is for linux/amd64, not %s/%s", ErrUnsupported, pkg, runtime.GOOS, runtime.GOARCH)
	}
	prefix := filepath.Join(CacheDir(), "anvil-"+Version)
	bin := filepath.Join(prefix, "node_modules", pkg, "bin", "anvil")
	if fileOK(bin) {
		return bin, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("%w: npm not found on PATH", ErrUnsupported)
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", pkg+"@"+Version)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%w: npm install %s@%s: %v\n%s", ErrUnsupported, pkg, Version, err, out)
	}
	if !fileOK(bin) {
		return "", fmt.Errorf("%w: npm installed %s@%s but %s is missing", ErrUnsupported, pkg, Version, bin)
	}
	return bin, nil
}

func fileOK(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// Options configure a node.
type Options struct {
	// BlockTime, if positive, mines a block at this interval; otherwise
	// every transaction is mined at once (automine).
	BlockTime time.Duration
	// StateFile, if set, loads the chain from this file at start and
	// dumps it there on exit, so a restarted node keeps its chain.
	StateFile string
	// Args are extra anvil flags.
	Args []string
}

// Node is a running anvil.
type Node struct {
	bin  string
	opts Options
	// URL is the node's HTTP JSON-RPC endpoint on 127.0.0.1.
	URL  string
	Port int
	// Keys are the funded dev accounts' private keys.
	Keys []*ecdsa.PrivateKey

	mu   sync.Mutex
	cmd  *exec.Cmd
	exit chan struct{}
	log  bytes.Buffer
}

// Start runs anvil on a free port of 127.0.0.1 and waits until it answers.
func Start(ctx context.Context, bin string, opts Options) (*Node, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	n := &Node{bin: bin, opts: opts, Port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	if err := n.start(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var keyRE = regexp.MustCompile(`\(\d+\) (0x[0-9a-fA-F]{64})`)

func (n *Node) start(ctx context.Context) error {
	args := []string{"--host", "127.0.0.1", "--port", strconv.Itoa(n.Port)}
	if n.opts.BlockTime > 0 {
		args = append(args, "--block-time", strconv.FormatFloat(n.opts.BlockTime.Seconds(), 'f', -1, 64))
	}
	if n.opts.StateFile != "" {
		args = append(args, "--state", n.opts.StateFile)
	}
	args = append(args, n.opts.Args...)
	cmd := exec.Command(n.bin, args...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start anvil: %w", err)
	}
	exit := make(chan struct{})
	keys := make(chan []*ecdsa.PrivateKey, 1)
	go func() {
		var found []*ecdsa.PrivateKey
		sent := false
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			n.mu.Lock()
			if n.log.Len() < 1<<20 {
				n.log.WriteString(line + "\n")
			}
			n.mu.Unlock()
			if m := keyRE.FindStringSubmatch(line); m != nil && !sent && len(line) < 80 {
				if k, err := crypto.HexToECDSA(m[1][2:]); err == nil {
					found = append(found, k)
				}
			}
			if !sent && len(found) > 0 && line == "" {
				keys <- found
				sent = true
			}
		}
		if !sent {
			keys <- found
		}
	}()
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(exit)
	}()
	n.mu.Lock()
	n.cmd, n.exit = cmd, exit
	n.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if err := n.ping(ctx); err == nil {
			break
		}
		select {
		case <-exit:
			return fmt.Errorf("anvil exited at start:\n%s", n.Log())
		case <-ctx.Done():
			n.Stop()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.Stop()
			return fmt.Errorf("anvil did not answer on %s within 30s:\n%s", n.URL, n.Log())
		}
	}
	select {
	case k := <-keys:
		if len(n.Keys) == 0 {
			n.Keys = k
		}
	case <-time.After(5 * time.Second):
	}
	if len(n.Keys) == 0 {
		n.Stop()
		return fmt.Errorf("anvil printed no dev keys:\n%s", n.Log())
	}
	return nil
}

func (n *Node) ping(ctx context.Context) error {
	c, err := rpc.DialContext(ctx, n.URL)
	if err != nil {
		return err
	}
	defer c.Close()
	var id string
	cctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return c.CallContext(cctx, &id, "eth_chainId")
}

// Log returns what anvil printed so far (up to 1 MiB).
func (n *Node) Log() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.log.String()
}

// Stop ends anvil with SIGTERM (it dumps its state file, if any) and
// waits for it; SIGKILL after 10 s. It is idempotent.
func (n *Node) Stop() error {
	n.mu.Lock()
	cmd, exit := n.cmd, n.exit
	n.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return nil
	}
	select {
	case <-exit:
		return nil
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exit:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exit
	}
	return nil
}

// Restart stops anvil and starts it again on the same port (with the same
// state file, so the chain survives when Options.StateFile is set).
func (n *Node) Restart(ctx context.Context) error {
	if err := n.Stop(); err != nil {
		return err
	}
	return n.start(ctx)
}

// Call makes one JSON-RPC call to the node (e.g. anvil_reorg, evm_mine).
func (n *Node) Call(ctx context.Context, result any, method string, args ...any) error {
	c, err := rpc.DialContext(ctx, n.URL)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.CallContext(ctx, result, method, args...)
}
