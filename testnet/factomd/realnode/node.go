package realnode

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// Genesis is the LOCAL network's funded factoid key: a public test key from
// factomd's own source (FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q,
// 2e12 factoshis). It is worthless outside a LOCAL network.
const Genesis = "Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK"

// Options configures a node.
type Options struct {
	// BlockTime is the directory block time in seconds (default 2; factomd
	// production is 600).
	BlockTime int
	// Home is factomd's -factomhome (default: a new temporary directory,
	// removed by Stop).
	Home string
	// Log receives factomd's stdout and stderr (default: Home/factomd.log).
	Log string
}

// Node is a running factomd.
type Node struct {
	// URL is the v2 API endpoint, http://127.0.0.1:PORT/v2.
	URL  string
	Home string
	Log  string

	cmd     *exec.Cmd
	done    chan error
	tmpHome bool
	unlock  func()
}

// Start runs bin as a single LOCAL-network node (no peers) and waits until
// it has saved directory block 1. Only one node runs at a time on a machine
// (factomd always binds its metrics port 9876): Start waits for any other
// one to stop.
func Start(ctx context.Context, bin string, o Options) (*Node, error) {
	if o.BlockTime <= 0 {
		o.BlockTime = 2
	}
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	unlock, err := lockFile(ctx, filepath.Join(cache, "run.lock"))
	if err != nil {
		return nil, err
	}
	n := &Node{Home: o.Home, Log: o.Log, done: make(chan error, 1), unlock: unlock}
	if n.Home == "" {
		if n.Home, err = os.MkdirTemp("", "factomd-"); err != nil {
			unlock()
			return nil, err
		}
		n.tmpHome = true
	}
	if n.Log == "" {
		n.Log = filepath.Join(n.Home, "factomd.log")
	}
	if err := n.start(ctx, bin, o); err != nil {
		_ = n.Stop()
		return nil, err
	}
	return n, nil
}

func (n *Node) start(ctx context.Context, bin string, o Options) error {
	api, err := freePort()
	if err != nil {
		return err
	}
	pprof, err := freePort()
	if err != nil {
		return err
	}
	logf, err := os.Create(n.Log)
	if err != nil {
		return err
	}
	defer logf.Close()
	n.cmd = exec.Command(bin,
		"-network=LOCAL", "-db=LDB", "-factomhome="+n.Home,
		"-blktime="+strconv.Itoa(o.BlockTime), "-startdelay=0",
		"-sim_stdin=false", "-enablenet=false", "-controlpanelsetting=disabled",
		"-port="+strconv.Itoa(api), "-logPort="+strconv.Itoa(pprof))
	n.cmd.Dir = n.Home
	n.cmd.Stdout, n.cmd.Stderr = logf, logf
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := n.cmd.Start(); err != nil {
		return fmt.Errorf("realnode: start %s: %w", bin, err)
	}
	go func() { n.done <- n.cmd.Wait() }()
	n.URL = fmt.Sprintf("http://127.0.0.1:%d/v2", api)
	return n.waitHeight(ctx, 1, time.Duration(o.BlockTime)*time.Second*10+60*time.Second)
}

// waitHeight waits until the node has saved directory block h.
func (n *Node) waitHeight(ctx context.Context, h int64, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	c := client.New(n.URL)
	for {
		hs, err := c.Heights(ctx)
		if err == nil && hs.DirectoryBlockHeight >= h {
			return nil
		}
		select {
		case err := <-n.done:
			n.done <- err
			return fmt.Errorf("realnode: factomd exited (%v); see %s", err, n.Log)
		case <-ctx.Done():
			return fmt.Errorf("realnode: factomd did not reach height %d (last: %+v, %v); see %s: %w", h, hs, err, n.Log, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Client returns a client for the node's API.
func (n *Node) Client() *client.Client { return client.New(n.URL) }

// Stop ends the node (SIGINT, then SIGKILL after 10 s) and removes a
// temporary home.
func (n *Node) Stop() error {
	var err error
	if n.cmd != nil && n.cmd.Process != nil {
		_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGINT)
		select {
		case <-n.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
			<-n.done
		}
		n.cmd = nil
	}
	if n.tmpHome {
		err = os.RemoveAll(n.Home)
		n.tmpHome = false
	}
	if n.unlock != nil {
		n.unlock()
		n.unlock = nil
	}
	return err
}

// FundEC buys credits entry credits for ec with the LOCAL genesis factoids
// and waits until the balance shows them.
func (n *Node) FundEC(ctx context.Context, ec protocol.ECPublic, credits uint64) (*protocol.Transaction, error) {
	fs, err := protocol.ParseFactoidSecret(Genesis)
	if err != nil {
		return nil, err
	}
	c := n.Client()
	before, err := c.ECBalance(ctx, ec)
	if err != nil {
		return nil, err
	}
	rate, err := c.ECRate(ctx)
	if err != nil {
		return nil, err
	}
	tx := protocol.BuyEntryCredits(fs, ec, credits, uint64(rate), time.Now())
	if _, err := c.FactoidSubmit(ctx, tx); err != nil {
		return nil, fmt.Errorf("realnode: fund %s: %w", ec, err)
	}
	for {
		bal, err := c.ECBalance(ctx, ec)
		if err == nil && bal >= before+int64(credits) {
			return tx, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("realnode: balance of %s stayed %d after funding: %w", ec, bal, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
