package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/internal/config"
)

// Open connects read-only to the ledgers a configuration names — no keys,
// no store: Ethereum through its rpc and registry address, Factom through
// its url (or, for an embedded node, the v2 API it serves on
// embedded.listen), Fabric through a peer as the configured member
// identity (evaluations only). Memory ledgers live inside a gateway process and are
// skipped, as are kinds this package cannot check; skipped lists why.
func Open(ctx context.Context, ledgers []config.Ledger) (out []Ledger, skipped []string, closeAll func(), err error) {
	var closers []func()
	closeAll = func() {
		for _, c := range closers {
			c()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	for _, l := range ledgers {
		switch l.Kind {
		case "ethereum":
			if l.Registry == "" || !common.IsHexAddress(l.Registry) {
				skipped = append(skipped, fmt.Sprintf("%s: set ledgers[].registry to the contract address to verify against it", l.Name))
				continue
			}
			ec, err := ethclient.DialContext(ctx, l.RPC)
			if err != nil {
				return nil, nil, closeAll, fmt.Errorf("ledger %s: dial %s: %w", l.Name, l.RPC, err)
			}
			a, err := ethereum.New(ctx, ec, ethereum.WithRegistry(common.HexToAddress(l.Registry)), ethereum.WithLedgerName(l.Name), ethereum.WithConfirmations(max(l.Confirmations, 1)))
			if err != nil {
				ec.Close()
				return nil, nil, closeAll, fmt.Errorf("ledger %s: %w", l.Name, err)
			}
			closers = append(closers, func() { a.Close(); ec.Close() })
			out = append(out, Ledger{Name: l.Name, Kind: l.Kind, Adapter: a})
		case "factom":
			url := l.URL
			if url == "" && l.Embedded != nil {
				listen := l.Embedded.Listen
				if listen == "" {
					listen = "127.0.0.1:8088"
				}
				url = "http://" + listen
			}
			if !strings.Contains(url, "://") {
				url = "http://" + url
			}
			ns := l.Namespace
			if ns == "" {
				ns = "ledgergate"
			}
			// A throwaway entry-credit key: the adapter requires one, and
			// verification never writes.
			key, err := protocol.GenerateECKey()
			if err != nil {
				return nil, nil, closeAll, err
			}
			a, err := factom.New(ctx, client.New(url), factom.WithECKey(key), factom.WithNamespace(ns), factom.WithNetwork(l.Name))
			if err != nil {
				return nil, nil, closeAll, fmt.Errorf("ledger %s: %w", l.Name, err)
			}
			closers = append(closers, func() { a.Close() })
			out = append(out, Ledger{Name: l.Name, Kind: l.Kind, Adapter: a})
		case "fabric":
			// Fabric answers only members of the channel: verification uses
			// the configured identity, which only evaluates (qscc and the
			// chaincode's reads) and never submits.
			a, err := fabric.Dial(ctx, fabric.Config{Endpoint: l.Peer, TLSCACert: l.TLSCACert, ServerName: l.ServerName,
				MSPID: l.MSPID, CertPath: l.CertFile, KeyPath: l.KeyFile},
				fabric.WithChannel(l.Channel), fabric.WithChaincode(l.Chaincode), fabric.WithLedgerName(l.Name))
			if err != nil {
				return nil, nil, closeAll, fmt.Errorf("ledger %s: %w", l.Name, err)
			}
			closers = append(closers, func() { a.Close() })
			out = append(out, Ledger{Name: l.Name, Kind: l.Kind, Adapter: a})
		case "memory":
			skipped = append(skipped, l.Name+": a memory ledger lives inside the gateway process; use POST /v1/verify")
		default:
			skipped = append(skipped, fmt.Sprintf("%s: kind %s cannot be verified independently yet", l.Name, l.Kind))
		}
	}
	if len(out) == 0 {
		return nil, skipped, closeAll, errors.New("no ledger in the configuration can be verified independently (" + strings.Join(skipped, "; ") + ")")
	}
	return out, skipped, closeAll, nil
}
