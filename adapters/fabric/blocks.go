package fabric

import (
	"context"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// blockInfo is what the adapter keeps of a decoded block.
type blockInfo struct {
	Number   uint64
	Hash     string // hex SHA-256 of the ASN.1 block header, as Fabric hashes it
	DataHash string
	Txs      map[string]*txInfo
}

// txInfo is one transaction of a block.
type txInfo struct {
	Index     uint64
	Code      peer.TxValidationCode
	Creator   string   // MSP id of the submitter
	Endorsers []string // MSP ids of the endorsing peers
	Chaincode string   // chaincode of the event, if any
	Event     string   // event name, if any
	Payload   []byte   // event payload
}

// blockCache keeps recently decoded blocks and the position of their
// transactions; concurrent lookups of one block share one fetch.
type blockCache struct {
	mu       sync.Mutex
	max      int
	byNum    map[uint64]*blockInfo
	order    []uint64
	txBlock  map[string]uint64
	inflight map[uint64]chan struct{}
}

func newBlockCache(n int) *blockCache {
	return &blockCache{max: n, byNum: map[uint64]*blockInfo{}, txBlock: map[string]uint64{}, inflight: map[uint64]chan struct{}{}}
}

func (c *blockCache) add(b *blockInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byNum[b.Number]; ok {
		return
	}
	c.byNum[b.Number] = b
	c.order = append(c.order, b.Number)
	for id := range b.Txs {
		c.txBlock[id] = b.Number
	}
	for len(c.order) > c.max {
		old := c.byNum[c.order[0]]
		delete(c.byNum, c.order[0])
		for id := range old.Txs {
			if c.txBlock[id] == old.Number {
				delete(c.txBlock, id)
			}
		}
		c.order = c.order[1:]
	}
}

func (c *blockCache) byTx(txID string) *blockInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.txBlock[txID]; ok {
		return c.byNum[n]
	}
	return nil
}

// block returns block n, decoded, from the cache or the ledger.
func (a *Adapter) block(ctx context.Context, n uint64) (*blockInfo, error) {
	c := a.blocks
	for {
		c.mu.Lock()
		if b, ok := c.byNum[n]; ok {
			c.mu.Unlock()
			return b, nil
		}
		wait, busy := c.inflight[n]
		if !busy {
			done := make(chan struct{})
			c.inflight[n] = done
			c.mu.Unlock()
			b, err := a.fetchBlock(ctx, "GetBlockByNumber", strconv.FormatUint(n, 10))
			c.mu.Lock()
			delete(c.inflight, n)
			close(done)
			c.mu.Unlock()
			if err != nil {
				return nil, err
			}
			c.add(b)
			return b, nil
		}
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// blockOfTx returns the block holding transaction txID, from the cache or
// the ledger; errNoTx if the ledger has no such transaction.
func (a *Adapter) blockOfTx(ctx context.Context, txID string) (*blockInfo, error) {
	if b := a.blocks.byTx(txID); b != nil {
		return b, nil
	}
	b, err := a.fetchBlock(ctx, "GetBlockByTxID", txID)
	if err != nil {
		return nil, err
	}
	a.blocks.add(b)
	return b, nil
}

var errNoTx = errors.New("no such transaction on the channel")

// fetchBlock evaluates a qscc block query (GetBlockByNumber, GetBlockByTxID)
// on the query organizations' peers and decodes the block.
func (a *Adapter) fetchBlock(ctx context.Context, fn, arg string) (*blockInfo, error) {
	raw, err := a.qscc.EvaluateWithContext(ctx, fn,
		client.WithArguments(a.cfg.channel, arg),
		client.WithEndorsingOrganizations(a.cfg.queryOrgs...))
	if err != nil {
		if fn == "GetBlockByTxID" && isNotFound(err) {
			return nil, fmt.Errorf("%w: %s", errNoTx, arg)
		}
		return nil, fmt.Errorf("qscc %s(%s): %w", fn, arg, err)
	}
	var blk common.Block
	if err := proto.Unmarshal(raw, &blk); err != nil {
		return nil, fmt.Errorf("qscc %s(%s): decode block: %w", fn, arg, err)
	}
	return decodeBlock(&blk)
}

// decodeBlock extracts the header hash and every transaction's id,
// position, validation code, creator, endorsers and chaincode event.
func decodeBlock(blk *common.Block) (*blockInfo, error) {
	h := blk.GetHeader()
	if h == nil || blk.GetData() == nil {
		return nil, errors.New("block without header or data")
	}
	b := &blockInfo{Number: h.Number, Hash: hex.EncodeToString(BlockHeaderHash(h)), DataHash: hex.EncodeToString(h.DataHash), Txs: map[string]*txInfo{}}
	var flags []byte
	if md := blk.GetMetadata().GetMetadata(); len(md) > int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		flags = md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	}
	for i, data := range blk.Data.Data {
		tx, txID, err := decodeTx(data)
		if err != nil || txID == "" {
			continue // not an endorser transaction we can read (config block)
		}
		tx.Index = uint64(i)
		tx.Code = peer.TxValidationCode_NOT_VALIDATED
		if i < len(flags) {
			tx.Code = peer.TxValidationCode(flags[i])
		}
		if _, dup := b.Txs[txID]; !dup { // a duplicate id is invalid; keep the first
			b.Txs[txID] = tx
		}
	}
	return b, nil
}

func decodeTx(data []byte) (*txInfo, string, error) {
	var env common.Envelope
	if err := proto.Unmarshal(data, &env); err != nil {
		return nil, "", err
	}
	var pl common.Payload
	if err := proto.Unmarshal(env.Payload, &pl); err != nil {
		return nil, "", err
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(pl.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, "", err
	}
	tx := &txInfo{}
	var sh common.SignatureHeader
	if proto.Unmarshal(pl.GetHeader().GetSignatureHeader(), &sh) == nil {
		tx.Creator = mspOf(sh.Creator)
	}
	if common.HeaderType(ch.Type) != common.HeaderType_ENDORSER_TRANSACTION {
		return tx, ch.TxId, nil
	}
	var t peer.Transaction
	if err := proto.Unmarshal(pl.Data, &t); err != nil || len(t.Actions) == 0 {
		return tx, ch.TxId, nil
	}
	var cap peer.ChaincodeActionPayload
	if err := proto.Unmarshal(t.Actions[0].Payload, &cap); err != nil {
		return tx, ch.TxId, nil
	}
	for _, e := range cap.GetAction().GetEndorsements() {
		tx.Endorsers = append(tx.Endorsers, mspOf(e.Endorser))
	}
	var prp peer.ProposalResponsePayload
	if err := proto.Unmarshal(cap.GetAction().GetProposalResponsePayload(), &prp); err != nil {
		return tx, ch.TxId, nil
	}
	var ca peer.ChaincodeAction
	if err := proto.Unmarshal(prp.Extension, &ca); err != nil {
		return tx, ch.TxId, nil
	}
	var ev peer.ChaincodeEvent
	if len(ca.Events) > 0 && proto.Unmarshal(ca.Events, &ev) == nil {
		tx.Chaincode, tx.Event, tx.Payload = ev.ChaincodeId, ev.EventName, ev.Payload
	}
	return tx, ch.TxId, nil
}

func mspOf(serialized []byte) string {
	var id msp.SerializedIdentity
	if proto.Unmarshal(serialized, &id) != nil {
		return ""
	}
	return id.Mspid
}

// BlockHeaderHash is Fabric's block hash: SHA-256 of the ASN.1 DER
// encoding of (number, previous hash, data hash), as in Fabric's
// protoutil.BlockHeaderHash. A block's successor carries it as its
// PreviousHash.
func BlockHeaderHash(h *common.BlockHeader) []byte {
	der, err := asn1.Marshal(struct {
		Number       *big.Int
		PreviousHash []byte
		DataHash     []byte
	}{new(big.Int).SetUint64(h.Number), h.PreviousHash, h.DataHash})
	if err != nil {
		panic(err) // cannot happen for these types
	}
	sum := sha256.Sum256(der)
	return sum[:]
}
