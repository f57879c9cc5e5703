package node

import (
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// tsString formats a time as factomd's Timestamp.String does.
func tsString(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }

// apiAck answers ack. Like factomd 6.13, dates are Unix seconds except a
// confirmed entry's commit date, which is milliseconds.
func (n *Node) apiAck(p json.RawMessage) (any, *protocol.RPCError) {
	var req protocol.AckRequest
	if err := decode(p, &req); err != nil {
		return nil, err
	}
	if req.ChainID == "c" || req.ChainID == "f" {
		req.ChainID = "000000000000000000000000000000000000000000000000000000000000000" + req.ChainID
	}
	chain, err := protocol.ParseHash(req.ChainID)
	if err != nil {
		return nil, errInvalidParamsData("ChainID must be 64 hex encoded characters")
	}
	if req.Hash == "" && req.FullTransaction != "" {
		req.Hash = hashOfTransaction(req.FullTransaction, chain == protocol.ECChainID)
	}
	h, err := protocol.ParseHash(req.Hash)
	if err != nil {
		return nil, errInvalidParamsData("Hash must be 64 hex encoded characters")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch chain {
	case protocol.ECChainID:
		return n.st.ackCommit(h), nil
	case protocol.FactoidChainID:
		// No factoid ledger here: every factoid transaction is unknown.
		return struct {
			TxID   string `json:"txid"`
			Status string `json:"status"`
		}{h.String(), protocol.AckUnknown}, nil
	case protocol.AdminChainID:
		return nil, errInvalidParamsData("ChainID cannot be admin chain")
	}
	return n.st.ackEntry(h), nil
}

// hashOfTransaction returns the commit tx id (commits) or the entry hash
// of a hex-coded message, or "".
func hashOfTransaction(full string, commit bool) string {
	b, err := hex.DecodeString(full)
	if err != nil {
		return ""
	}
	if c, err := parseCommit(b, len(b) == protocol.CommitChainSize); err == nil && (len(b) == protocol.CommitChainSize || len(b) == protocol.CommitEntrySize) {
		if commit {
			return c.txID.String()
		}
		return c.entryHash.String()
	}
	if e, err := protocol.UnmarshalEntry(b); err == nil {
		return e.Hash().String()
	}
	return ""
}

func (r *entryRec) status() string {
	if r.eb != nil {
		return protocol.AckDBlockConfirmed
	}
	return protocol.AckTransactionACK
}

func (c *commitRec) status() string {
	if c.ec != nil {
		return protocol.AckDBlockConfirmed
	}
	return protocol.AckTransactionACK
}

func (c *commitRec) time() time.Time { return time.UnixMilli(int64(c.milli)) }

func (s *state) ackCommit(tx protocol.Hash) protocol.EntryStatus {
	a := protocol.EntryStatus{CommitTxID: tx.String()}
	c := s.commitsByTx[tx]
	if c == nil {
		a.CommitData.Status = protocol.AckUnknown
		a.EntryData.Status = protocol.AckUnknown
		return a
	}
	a.CommitData.Status = c.status()
	a.CommitData.TransactionDate = c.time().Unix()
	a.CommitData.TransactionDateString = tsString(c.time())
	if c.ec != nil {
		bt := c.ec.db.Time()
		a.CommitData.BlockDate, a.CommitData.BlockDateString = bt.Unix(), tsString(bt)
	}
	a.EntryData.Status = protocol.AckUnknown
	if r := c.revealed; r != nil {
		a.EntryHash = r.hash.String()
		a.EntryData.Status = r.status()
		if r.eb != nil {
			bt := r.eb.db.db.Time()
			a.EntryData.BlockDate, a.EntryData.BlockDateString = bt.Unix(), tsString(bt)
		}
	}
	return a
}

func (s *state) ackEntry(eh protocol.Hash) protocol.EntryStatus {
	a := protocol.EntryStatus{EntryHash: eh.String()}
	a.EntryData.Status, a.CommitData.Status = protocol.AckUnknown, protocol.AckUnknown
	if r := s.entries[eh]; r != nil {
		a.EntryData.Status = r.status()
		c := r.commit
		a.CommitTxID = c.txID.String()
		if r.eb != nil {
			bt := r.eb.db.db.Time()
			a.EntryData.BlockDate, a.EntryData.BlockDateString = bt.Unix(), tsString(bt)
			a.CommitData.Status = protocol.AckDBlockConfirmed
			a.CommitData.TransactionDate = c.time().UnixMilli() // factomd: milliseconds here
		} else {
			a.CommitData.Status = c.status()
			a.CommitData.TransactionDate = c.time().Unix()
		}
		a.CommitData.TransactionDateString = tsString(c.time())
		return a
	}
	if c := s.commits[eh]; c != nil {
		a.CommitTxID = c.txID.String()
		a.CommitData.Status = c.status()
		a.CommitData.TransactionDate = c.time().Unix()
		a.CommitData.TransactionDateString = tsString(c.time())
	}
	return a
}
