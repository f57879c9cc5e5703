package server

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
)

// openLedger builds the adapter a ledger's configuration describes.
func openLedger(ctx context.Context, l config.Ledger, reg *schema.Registry, getenv func(string) string) (adapters.Adapter, func(), error) {
	switch l.Kind {
	case "memory":
		return memory.New(memory.NewLedger(), memory.WithRegistry(reg)), func() {}, nil
	case "ethereum":
		key, err := ledgerKey(l, getenv)
		if err != nil {
			return nil, nil, err
		}
		client, err := ethclient.DialContext(ctx, l.RPC)
		if err != nil {
			return nil, nil, fmt.Errorf("ledger %s: dial %s: %w", l.Name, l.RPC, err)
		}
		opts := []ethereum.Option{ethereum.WithKey(key), ethereum.WithLedgerName(l.Name), ethereum.WithConfirmations(l.Confirmations)}
		var a *ethereum.Adapter
		if l.Registry != "" {
			if !common.IsHexAddress(l.Registry) {
				client.Close()
				return nil, nil, fmt.Errorf("ledger %s: registry %q is not an address", l.Name, l.Registry)
			}
			a, err = ethereum.New(ctx, client, append(opts, ethereum.WithRegistry(common.HexToAddress(l.Registry)))...)
		} else {
			a, err = ethereum.Deploy(ctx, client, opts...)
		}
		if err != nil {
			client.Close()
			return nil, nil, fmt.Errorf("ledger %s: %w", l.Name, err)
		}
		return a, client.Close, nil
	}
	return nil, nil, fmt.Errorf("ledger %s: unknown kind %q", l.Name, l.Kind)
}

// ledgerKey reads the signing key from LEDGERGATE_LEDGER_<NAME>_KEY or the
// key file (hex, optional 0x).
func ledgerKey(l config.Ledger, getenv func(string) string) (*ecdsa.PrivateKey, error) {
	env := "LEDGERGATE_LEDGER_" + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(l.Name)) + "_KEY"
	hexKey := getenv(env)
	if hexKey == "" && l.KeyFile != "" {
		b, err := os.ReadFile(l.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("ledger %s: key file: %w", l.Name, err)
		}
		hexKey = string(b)
	}
	if hexKey == "" {
		return nil, fmt.Errorf("ledger %s: no signing key: set keyFile or %s", l.Name, env)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(hexKey), "0x"))
	if err != nil {
		return nil, fmt.Errorf("ledger %s: signing key: %w", l.Name, err)
	}
	return key, nil
}
