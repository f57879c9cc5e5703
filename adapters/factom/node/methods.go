package node

import (
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

type method func(n *Node, params json.RawMessage) (any, *protocol.RPCError)

var methods map[string]method

func init() {
	methods = map[string]method{
		"heights":              (*Node).apiHeights,
		"properties":           (*Node).apiProperties,
		"entry-credit-rate":    (*Node).apiECRate,
		"entry-credit-balance": (*Node).apiECBalance,
		"commit-chain":         (*Node).apiCommitChain,
		"commit-entry":         (*Node).apiCommitEntry,
		"reveal-chain":         (*Node).apiReveal,
		"reveal-entry":         (*Node).apiReveal,
		"entry":                (*Node).apiEntry,
		"chain-head":           (*Node).apiChainHead,
		"entry-block":          (*Node).apiEntryBlock,
		"directory-block":      (*Node).apiDirectoryBlock,
		"directory-block-head": (*Node).apiDirectoryBlockHead,
		"dblock-by-height":     (*Node).apiDBlockByHeight,
		"receipt":              (*Node).apiReceipt,
		"ack":                  (*Node).apiAck,
		"raw-data":             (*Node).apiRawData,
	}
}

func (n *Node) apiHeights(json.RawMessage) (any, *protocol.RPCError) {
	h := n.Height()
	return protocol.HeightsResponse{DirectoryBlockHeight: h, LeaderHeight: h + 1, EntryBlockHeight: h, EntryHeight: h}, nil
}

func (n *Node) apiProperties(json.RawMessage) (any, *protocol.RPCError) {
	return protocol.PropertiesResponse{FactomdVersion: n.o.version, APIVersion: "2.0"}, nil
}

func (n *Node) apiECRate(json.RawMessage) (any, *protocol.RPCError) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return protocol.RateResponse{Rate: int64(n.st.rate)}, nil
}

func (n *Node) apiECBalance(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.AddressRequest
	if err := decode(p, &req); err != nil {
		return nil, err
	}
	pub, err := protocol.ParseECAddress(req.Address)
	if err != nil {
		return nil, errInvalidAddress()
	}
	return protocol.BalanceResponse{Balance: n.ECBalance(pub)}, nil
}

func (n *Node) apiCommitChain(p json.RawMessage) (any, *protocol.RPCError) {
	return n.apiCommit(p, true)
}

func (n *Node) apiCommitEntry(p json.RawMessage) (any, *protocol.RPCError) {
	return n.apiCommit(p, false)
}

func (n *Node) apiCommit(p json.RawMessage, chain bool) (any, *protocol.RPCError) {
	var req protocol.MessageRequest
	if err := decode(p, &req); err != nil {
		return nil, err
	}
	msg, err := hex.DecodeString(req.Message)
	if err != nil {
		if chain {
			return nil, errInvalidCommitChain()
		}
		return nil, errInvalidCommitEntry()
	}
	r, e := n.submitCommit(msg, chain)
	if e != nil {
		return nil, e
	}
	return r, nil
}

func (n *Node) apiReveal(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.EntryRequest
	if err := decode(p, &req); err != nil {
		return nil, err
	}
	raw, err := hex.DecodeString(req.Entry)
	if err != nil {
		return nil, errInvalidEntry()
	}
	r, e := n.submitReveal(raw)
	if e != nil {
		return nil, e
	}
	return r, nil
}

// hashParam decodes a request whose hash field f names a hash.
func hashParam(p json.RawMessage, req any, f func() string) (protocol.Hash, *protocol.RPCError) {
	if err := decode(p, req); err != nil {
		return protocol.Hash{}, err
	}
	h, err := protocol.ParseHash(strings.ToLower(f()))
	if err != nil {
		return h, errInvalidHash()
	}
	return h, nil
}

func (n *Node) apiEntry(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.HashRequest
	h, e := hashParam(p, &req, func() string { return req.Hash })
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	r := n.st.entries[h]
	if r == nil {
		return nil, errEntryNotFound()
	}
	return entryResponse(r.entry), nil
}

func entryResponse(e *protocol.Entry) protocol.EntryResponse {
	out := protocol.EntryResponse{ChainID: e.ChainID.String(), Content: hex.EncodeToString(e.Content), ExtIDs: []string{}}
	for _, x := range e.ExtIDs {
		out.ExtIDs = append(out.ExtIDs, hex.EncodeToString(x))
	}
	if len(e.ExtIDs) == 0 {
		out.ExtIDs = nil // factomd writes null
	}
	return out
}

func (n *Node) apiChainHead(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.ChainIDRequest
	id, e := hashParam(p, &req, func() string { return req.ChainID })
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	r := protocol.ChainHeadResponse{}
	for _, rv := range n.st.pendingReveals {
		if rv.entry.ChainID == id {
			r.ChainInProcessList = true
			break
		}
	}
	head := n.st.chains[id]
	switch {
	case head != nil:
		r.ChainHead = head.keyMR.String()
	case !r.ChainInProcessList:
		return nil, errMissingChainHead()
	}
	return r, nil
}

func (n *Node) apiEntryBlock(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.KeyMRRequest
	k, e := hashParam(p, &req, func() string { return req.KeyMR })
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	eb := n.st.eblocks[k]
	if eb == nil {
		return nil, errBlockNotFound()
	}
	return entryBlockResponse(eb), nil
}

func entryBlockResponse(r *eblockRec) protocol.EntryBlockResponse {
	var out protocol.EntryBlockResponse
	h := r.eb.Header
	out.Header.BlockSequenceNumber = int64(h.EBSequence)
	out.Header.ChainID = h.ChainID.String()
	out.Header.PrevKeyMR = h.PrevKeyMR.String()
	out.Header.DBHeight = int64(h.DBHeight)
	out.Header.Timestamp = int64(r.db.db.Header.Timestamp) * 60
	out.EntryList = []protocol.EntryAddr{}
	var stack []protocol.EntryAddr
	for _, x := range r.eb.Body {
		if m, ok := protocol.IsMinuteMarker(x); ok {
			for _, a := range stack {
				a.Timestamp = out.Header.Timestamp + 60*int64(m)
				out.EntryList = append(out.EntryList, a)
			}
			stack = stack[:0]
			continue
		}
		stack = append(stack, protocol.EntryAddr{EntryHash: x.String()})
	}
	return out
}

func (n *Node) apiDirectoryBlock(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.KeyMRRequest
	k, e := hashParam(p, &req, func() string { return req.KeyMR })
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	b := n.st.byKeyMR[k]
	if b == nil {
		return nil, errBlockNotFound()
	}
	var out protocol.DirectoryBlockResponse
	out.Header.PrevBlockKeyMR = b.db.Header.PrevKeyMR.String()
	out.Header.SequenceNumber = int64(b.db.Header.DBHeight)
	out.Header.Timestamp = int64(b.db.Header.Timestamp) * 60
	for _, x := range b.db.Entries {
		out.EntryBlockList = append(out.EntryBlockList, protocol.EBlockAddr{ChainID: x.ChainID.String(), KeyMR: x.KeyMR.String()})
	}
	return out, nil
}

func (n *Node) apiDirectoryBlockHead(json.RawMessage) (any, *protocol.RPCError) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return struct {
		KeyMR string `json:"keymr"`
	}{n.st.head().keyMR.String()}, nil
}

func (n *Node) apiDBlockByHeight(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.HeightRequest
	if err := decode(p, &req); err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	h := int64(uint32(req.Height)) // factomd converts to uint32
	if h >= int64(len(n.st.dblocks)) {
		return nil, errBlockNotFound()
	}
	b := n.st.dblocks[h]
	out := protocol.DBlockByHeightResponse{DBlock: dblockJSON(b)}
	if !req.NoRaw {
		out.RawData = hex.EncodeToString(b.db.MarshalBinary())
	}
	return out, nil
}

func dblockJSON(b *dblockRec) *protocol.DBlockJSON {
	j := &protocol.DBlockJSON{DBHash: b.fullHash.String(), KeyMR: b.keyMR.String(), HeaderHash: b.db.HeaderHash().String()}
	h := b.db.Header
	j.Header.Version = int(h.Version)
	j.Header.NetworkID = h.NetworkID
	j.Header.BodyMR = h.BodyMR.String()
	j.Header.PrevKeyMR = h.PrevKeyMR.String()
	j.Header.PrevFullHash = h.PrevFullHash.String()
	j.Header.Timestamp = h.Timestamp
	j.Header.DBHeight = h.DBHeight
	j.Header.BlockCount = h.BlockCount
	j.Header.ChainID = protocol.DBlockChainID.String()
	for _, x := range b.db.Entries {
		j.DBEntries = append(j.DBEntries, protocol.EBlockAddr{ChainID: x.ChainID.String(), KeyMR: x.KeyMR.String()})
	}
	return j
}

func (n *Node) apiReceipt(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.ReceiptRequest
	h, e := hashParam(p, &req, func() string { return req.EntryHash })
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	r := n.st.entries[h]
	if r == nil || r.eb == nil {
		return nil, errReceipt()
	}
	rc, err := protocol.BuildReceipt(h, r.eb.eb, r.eb.db.db)
	if err != nil {
		return nil, errReceipt()
	}
	if req.IncludeRawEntry {
		rc.Entry.Raw = hex.EncodeToString(r.raw)
	}
	return protocol.ReceiptResponse{Receipt: rc}, nil
}

func (n *Node) apiRawData(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.HashRequest
	h, e := hashParam(p, &req, func() string { return req.Hash })
	if e != nil {
		return nil, e
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	var raw []byte
	switch {
	case n.st.byKeyMR[h] != nil:
		raw = n.st.byKeyMR[h].db.MarshalBinary()
	case n.st.eblocks[h] != nil:
		raw = n.st.eblocks[h].eb.MarshalBinary()
	case n.st.entries[h] != nil && n.st.entries[h].eb != nil:
		raw = n.st.entries[h].raw
	default:
		return nil, errObjectNotFound()
	}
	return struct {
		Data string `json:"data"`
	}{hex.EncodeToString(raw)}, nil
}
