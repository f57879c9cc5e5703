package ethereum_test

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/schema"
)

// Deploy a registry on go-ethereum's simulated chain and write a record
// digest-only. Against a real node, pass an *ethclient.Client from
// ethclient.Dial, and use New with WithRegistry for a deployed registry.
func ExampleDeploy() {
	key, _ := crypto.GenerateKey()
	funds := new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil)
	sim := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: funds}}, noLogIndex)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() { // seal a block every 10ms, like a real chain
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				sim.Commit()
			}
		}
	}()
	defer func() { close(stop); <-stopped; sim.Close() }()

	ctx := context.Background()
	a, err := ethereum.Deploy(ctx, sim.Client(),
		ethereum.WithKey(key),
		ethereum.WithConfirmations(2),
		ethereum.WithPollInterval(10*time.Millisecond))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()

	data, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	rec, _ := schema.Default().Validate(data)
	rc, err := a.Write(ctx, rec, adapters.Policy{Disclosure: adapters.DisclosureDigest})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rc.Ledger, rc.Network, rc.Status, rc.Confirmations >= 2, rc.Digest == rec.Digest)
	// Output: ethereum eip155:1337 confirmed true true
}
