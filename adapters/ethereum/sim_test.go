package ethereum_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/conformance"
)

// simChain is go-ethereum's in-process simulated chain with a goroutine
// that seals a block every interval, as a real node would.
type simChain struct {
	*simulated.Backend
	key *ecdsa.PrivateKey

	mu     sync.Mutex // held while sealing; Pause holds it
	stop   chan struct{}
	done   chan struct{}
	paused bool
}

// noLogIndex turns off geth's log search index. With it on, every
// eth_getLogs range query first waits for the indexer to reach the head,
// which under the race detector falls behind a chain sealing a block every
// few milliseconds; unindexed search is plenty for a test chain.
func noLogIndex(_ *node.Config, c *ethconfig.Config) { c.LogNoHistory = true }

func newSimChain(t *testing.T, interval time.Duration) *simChain {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	funds := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: funds}}, noLogIndex)
	c := &simChain{Backend: sim, key: key, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		tk := time.NewTicker(interval)
		defer tk.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-tk.C:
				c.mu.Lock()
				if !c.paused {
					sim.Commit()
				}
				c.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		close(c.stop)
		<-c.done
		sim.Close()
	})
	return c
}

// pause stops sealing blocks until resume.
func (c *simChain) pause()  { c.mu.Lock(); c.paused = true; c.mu.Unlock() }
func (c *simChain) resume() { c.mu.Lock(); c.paused = false; c.mu.Unlock() }

func (c *simChain) from() (addr [20]byte) { return crypto.PubkeyToAddress(c.key.PublicKey) }

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestConformanceSimulated(t *testing.T) {
	chain := newSimChain(t, 20*time.Millisecond)
	ctx := testCtx(t, 5*time.Minute)
	client := chain.Client()
	deployed, err := ethereum.Deploy(ctx, client, ethereum.WithKey(chain.key))
	if err != nil {
		t.Fatal(err)
	}
	deployed.Close()
	opts := []ethereum.Option{
		ethereum.WithKey(chain.key),
		ethereum.WithRegistry(deployed.Registry()),
		ethereum.WithStartBlock(deployed.StartBlock()),
		ethereum.WithPollInterval(10 * time.Millisecond),
		ethereum.WithConfirmations(2),
	}
	conformance.TestAdapter(t, conformance.Harness{
		Open: func(t *testing.T) adapters.Adapter {
			a, err := ethereum.New(ctx, client, opts...)
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		LedgerWrites: func(t *testing.T) uint64 {
			n, err := client.PendingNonceAt(ctx, chain.from())
			if err != nil {
				t.Fatal(err)
			}
			return n
		},
		MaxContent: ethereum.DefaultMaxContent,
	})
}
