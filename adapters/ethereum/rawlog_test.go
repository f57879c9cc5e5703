package ethereum_test

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/internal/anvil"
	"github.com/ledgergate/ledgergate/schema"
)

// TestRawEventLogAnvil writes records through the adapter, then reads the
// registry's event log with plain JSON-RPC (eth_getLogs on an rpc.Client,
// decoded with the committed ABI file, no adapter code) and checks that
// the digest on chain is the schema digest of each record.
func TestRawEventLogAnvil(t *testing.T) {
	n := startAnvil(t, anvil.Options{})
	ctx := testCtx(t, time.Minute)
	c := dialAnvil(t, n)
	a, err := ethereum.New(ctx, c, anvilRegistry(t, ctx, n, c)...)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m := newMaker(t)
	recs := map[string]*schema.Record{}
	policies := map[string]adapters.Disclosure{}
	for _, p := range []adapters.Policy{full, redacted, digest} {
		rec := m.make()
		if _, err := a.Write(ctx, rec, p); err != nil {
			t.Fatal(err)
		}
		recs[rec.ID], policies[rec.ID] = rec, p.Disclosure
	}
	registryAddr := a.Registry()
	a.Close() // from here on, no adapter code

	abiJSON, err := os.ReadFile("registry/RecordRegistry.abi")
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := abi.JSON(strings.NewReader(string(abiJSON)))
	if err != nil {
		t.Fatal(err)
	}
	event := parsed.Events["RecordWritten"]
	rc, err := rpc.DialContext(ctx, n.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	for id, rec := range recs {
		idHash := crypto.Keccak256Hash([]byte(id))
		var logs []types.Log
		err := rc.CallContext(ctx, &logs, "eth_getLogs", map[string]any{
			"fromBlock": "0x0", "toBlock": "latest",
			"address": registryAddr,
			"topics":  []any{event.ID, idHash},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(logs) != 1 {
			t.Fatalf("%s: %d RecordWritten logs, want 1", id, len(logs))
		}
		lg := logs[0]
		fields := map[string]any{}
		if err := event.Inputs.NonIndexed().UnpackIntoMap(fields, lg.Data); err != nil {
			t.Fatal(err)
		}
		onChain := "sha256:" + hex.EncodeToString(lg.Topics[2].Bytes())
		// The schema digest, recomputed from the canonical bytes.
		want := schema.DigestOf(rec.Canonical)
		if onChain != string(want) || want != rec.Digest {
			t.Fatalf("%s: on-chain digest %s, schema digest %s (record says %s)", id, onChain, want, rec.Digest)
		}
		if fields["id"] != id || fields["recordType"] != rec.Type || fields["issuer"] != rec.Issuer.ID {
			t.Fatalf("%s: event fields %v", id, fields)
		}
		wantCode := map[adapters.Disclosure]uint8{adapters.DisclosureFull: 1, adapters.DisclosureRedacted: 2, adapters.DisclosureDigest: 3}[policies[id]]
		if fields["disclosure"] != wantCode {
			t.Fatalf("%s: disclosure %v, want %d", id, fields["disclosure"], wantCode)
		}
		if fields["supersedes"] != [32]byte{} {
			t.Fatalf("%s: supersedes %x, want zero", id, fields["supersedes"])
		}
		// The block the log names is canonical.
		var blk struct{ Hash common.Hash }
		if err := rc.CallContext(ctx, &blk, "eth_getBlockByNumber", hexutil.EncodeUint64(lg.BlockNumber), false); err != nil {
			t.Fatal(err)
		}
		if blk.Hash != lg.BlockHash {
			t.Fatalf("%s: log block %s is not canonical (%s)", id, lg.BlockHash, blk.Hash)
		}
	}
}
