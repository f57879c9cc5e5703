package server

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
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
		ec, err := ethclient.DialContext(ctx, l.RPC)
		if err != nil {
			return nil, nil, fmt.Errorf("ledger %s: dial %s: %w", l.Name, l.RPC, err)
		}
		opts := []ethereum.Option{ethereum.WithKey(key), ethereum.WithLedgerName(l.Name), ethereum.WithConfirmations(l.Confirmations)}
		var a *ethereum.Adapter
		if l.Registry != "" {
			if !common.IsHexAddress(l.Registry) {
				ec.Close()
				return nil, nil, fmt.Errorf("ledger %s: registry %q is not an address", l.Name, l.Registry)
			}
			a, err = ethereum.New(ctx, ec, append(opts, ethereum.WithRegistry(common.HexToAddress(l.Registry)))...)
		} else {
			a, err = ethereum.Deploy(ctx, ec, opts...)
		}
		if err != nil {
			ec.Close()
			return nil, nil, fmt.Errorf("ledger %s: %w", l.Name, err)
		}
		return a, ec.Close, nil
	case "factom":
		return openFactom(ctx, l, reg, getenv)
	case "fabric":
		a, err := fabric.Dial(ctx, fabric.Config{Endpoint: l.Peer, TLSCACert: l.TLSCACert, ServerName: l.ServerName,
			MSPID: l.MSPID, CertPath: l.CertFile, KeyPath: l.KeyFile},
			fabric.WithChannel(l.Channel), fabric.WithChaincode(l.Chaincode), fabric.WithLedgerName(l.Name), fabric.WithSchema(reg))
		if err != nil {
			return nil, nil, fmt.Errorf("ledger %s: %w", l.Name, err)
		}
		return a, func() {}, nil
	}
	return nil, nil, fmt.Errorf("ledger %s: unknown kind %q", l.Name, l.Kind)
}

// openFactom connects to a Factom v2 API, starting the embedded node first
// when the ledger asks for it. The embedded node pre-funds its
// development entry-credit key, which then pays for entries unless a key
// is configured.
func openFactom(ctx context.Context, l config.Ledger, reg *schema.Registry, getenv func(string) string) (adapters.Adapter, func(), error) {
	url := l.URL
	stop := func() {}
	key, err := factomKey(l, getenv)
	if err != nil {
		return nil, nil, err
	}
	if e := l.Embedded; e != nil {
		bt := e.BlockTime
		if bt <= 0 {
			bt = 2 * time.Second
		}
		opts := []node.Option{node.WithBlockTime(bt), node.WithDevKey()}
		if !key.IsZero() {
			opts = append(opts, node.WithFunds(key.Public(), 1_000_000_000))
		} else {
			key = node.DevKey()
		}
		n, err := node.New(e.DataDir, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("ledger %s: embedded node: %w", l.Name, err)
		}
		listen := e.Listen
		if listen == "" {
			listen = "127.0.0.1:8088"
		}
		if url, stop, err = n.Start(listen); err != nil {
			n.Close()
			return nil, nil, fmt.Errorf("ledger %s: embedded node: %w", l.Name, err)
		}
	} else if key.IsZero() {
		return nil, nil, fmt.Errorf("ledger %s: no entry-credit key: set keyFile or LEDGERGATE_LEDGER_%s_KEY", l.Name, envName(l.Name))
	}
	ns := l.Namespace
	if ns == "" {
		ns = "ledgergate"
	}
	a, err := factom.New(ctx, client.New(url), factom.WithECKey(key), factom.WithNamespace(ns), factom.WithNetwork(l.Name), factom.WithRegistry(reg))
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("ledger %s: %w", l.Name, err)
	}
	return a, stop, nil
}

func envName(ledger string) string {
	return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(ledger))
}

// factomKey reads an Es... entry-credit secret; the zero key when none.
func factomKey(l config.Ledger, getenv func(string) string) (protocol.ECKey, error) {
	secret := getenv("LEDGERGATE_LEDGER_" + envName(l.Name) + "_KEY")
	if secret == "" && l.KeyFile != "" {
		b, err := os.ReadFile(l.KeyFile)
		if err != nil {
			return protocol.ECKey{}, fmt.Errorf("ledger %s: key file: %w", l.Name, err)
		}
		secret = strings.TrimSpace(string(b))
	}
	if secret == "" {
		return protocol.ECKey{}, nil
	}
	k, err := protocol.ParseECSecret(secret)
	if err != nil {
		return protocol.ECKey{}, fmt.Errorf("ledger %s: entry-credit key: %w", l.Name, err)
	}
	return k, nil
}

// ledgerKey reads the signing key from LEDGERGATE_LEDGER_<NAME>_KEY or the
// key file (hex, optional 0x).
func ledgerKey(l config.Ledger, getenv func(string) string) (*ecdsa.PrivateKey, error) {
	env := "LEDGERGATE_LEDGER_" + envName(l.Name) + "_KEY"
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
