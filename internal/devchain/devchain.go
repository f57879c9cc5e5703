// Package devchain runs an in-process Ethereum development chain
// (go-ethereum's ethclient/simulated) that seals blocks on a timer, as a
// real node would, optionally serving JSON-RPC on 127.0.0.1 so outside
// tools can inspect it. The demo uses it as its embedded Ethereum ledger.
package devchain

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// Chain is a running development chain.
type Chain struct {
	*simulated.Backend
	// Key is the funded account's private key.
	Key *ecdsa.PrivateKey
	// RPC is the JSON-RPC URL ("" when not served).
	RPC string

	stop chan struct{}
	done chan struct{}
	once sync.Once

	mu     sync.Mutex // held while sealing
	paused bool
}

// Options configure a Chain.
type Options struct {
	BlockTime time.Duration // default 1s
	// RPCAddr serves JSON-RPC (eth, net, web3) on this 127.0.0.1 address,
	// e.g. "127.0.0.1:8545"; "127.0.0.1:0" picks a free port; "" serves none.
	RPCAddr string
}

// Start starts a chain with one funded account.
func Start(o Options) (*Chain, error) {
	if o.BlockTime <= 0 {
		o.BlockTime = time.Second
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	var host string
	var port int
	if o.RPCAddr != "" {
		h, p, err := pickAddr(o.RPCAddr)
		if err != nil {
			return nil, err
		}
		host, port = h, p
	}
	funds := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	backend := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: funds}},
		func(n *node.Config, e *ethconfig.Config) {
			e.LogNoHistory = true // plain log search: no indexer to wait for
			if host != "" {
				n.HTTPHost, n.HTTPPort = host, port
				n.HTTPModules = []string{"eth", "net", "web3"}
				n.HTTPVirtualHosts = []string{"localhost", "127.0.0.1"}
			}
		})
	c := &Chain{Backend: backend, Key: key, stop: make(chan struct{}), done: make(chan struct{})}
	if host != "" {
		c.RPC = fmt.Sprintf("http://%s:%d", host, port)
	}
	go c.seal(o.BlockTime)
	return c, nil
}

// pickAddr resolves a loopback address, choosing a free port for ":0".
func pickAddr(addr string) (string, int, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", 0, fmt.Errorf("devchain: RPC must listen on loopback, not %q", host)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", 0, fmt.Errorf("devchain: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return host, port, nil
}

func (c *Chain) seal(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.mu.Lock()
			if !c.paused {
				c.Commit()
			}
			c.mu.Unlock()
		}
	}
}

// Pause stops sealing blocks until Resume: transactions wait in the pool,
// as on a congested or stalled chain. A block being sealed when Pause is
// called is finished first.
func (c *Chain) Pause() { c.setPaused(true) }

// Resume seals blocks again.
func (c *Chain) Resume() { c.setPaused(false) }

func (c *Chain) setPaused(p bool) {
	c.mu.Lock()
	c.paused = p
	c.mu.Unlock()
}

// From is the funded account's address.
func (c *Chain) From() [20]byte { return crypto.PubkeyToAddress(c.Key.PublicKey) }

// Close stops sealing and shuts the chain down.
func (c *Chain) Close() error {
	var err error
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		err = c.Backend.Close()
	})
	return err
}
