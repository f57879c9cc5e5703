package protocol

import (
	"encoding/binary"
	"fmt"
	"time"
)

// TxOutput is a factoid transaction input or output: an amount in
// factoshis and a 32-byte address (an RCD hash, or an EC public key for
// entry-credit outputs).
type TxOutput struct {
	Amount  uint64
	Address Hash
}

// Transaction is a factoid transaction with type-1 RCDs (one ed25519 key
// per input).
type Transaction struct {
	MilliTime uint64
	Inputs    []TxOutput
	Outputs   []TxOutput
	ECOutputs []TxOutput
	RCDs      [][]byte   // one per input: 0x01 || public key
	Sigs      [][64]byte // one per RCD
}

// BuyEntryCredits returns a signed transaction that spends from's factoids
// to credit ec with credits entry credits at rate factoshis per credit,
// paying the standard fee.
func BuyEntryCredits(from FactoidKey, ec ECPublic, credits, rate uint64, t time.Time) *Transaction {
	tx := &Transaction{
		MilliTime: uint64(t.UnixMilli()),
		ECOutputs: []TxOutput{{Amount: credits * rate, Address: Hash(ec)}},
		RCDs:      [][]byte{from.RCD()},
	}
	tx.Inputs = []TxOutput{{Amount: credits * rate, Address: from.RCDHash()}}
	tx.Sigs = [][64]byte{{}}
	tx.Inputs[0].Amount += tx.Fee(rate)
	tx.Sigs[0] = from.Sign(tx.SignedBytes())
	return tx
}

// Fee returns the fee factomd requires at rate factoshis per credit: one
// credit per started KiB, ten per output and one per signature.
func (tx *Transaction) Fee(rate uint64) uint64 {
	n := uint64(len(tx.MarshalBinary()))
	fee := (n + 1023) / 1024
	fee += 10 * uint64(len(tx.Outputs)+len(tx.ECOutputs))
	fee += uint64(len(tx.RCDs))
	return fee * rate
}

// SignedBytes returns the part the input signatures cover: version (varint
// 2) | 6-byte millisecond time | counts | inputs | outputs | EC outputs.
func (tx *Transaction) SignedBytes() []byte {
	b := AppendVarInt(nil, 2)
	b = appendMilli(b, tx.MilliTime)
	b = append(b, byte(len(tx.Inputs)), byte(len(tx.Outputs)), byte(len(tx.ECOutputs)))
	for _, list := range [][]TxOutput{tx.Inputs, tx.Outputs, tx.ECOutputs} {
		for _, o := range list {
			b = AppendVarInt(b, o.Amount)
			b = append(b, o.Address[:]...)
		}
	}
	return b
}

// MarshalBinary returns the signed part followed by each RCD and its
// signature.
func (tx *Transaction) MarshalBinary() []byte {
	b := tx.SignedBytes()
	for i, r := range tx.RCDs {
		b = append(b, r...)
		if i < len(tx.Sigs) {
			b = append(b, tx.Sigs[i][:]...)
		}
	}
	return b
}

// TxID returns SHA256 of the signed part (what factoid-submit answers).
func (tx *Transaction) TxID() Hash { return Sha(tx.SignedBytes()) }

// FullHash returns SHA256 of the whole transaction (a factoid block leaf).
func (tx *Transaction) FullHash() Hash { return Sha(tx.MarshalBinary()) }

// ReadTransaction parses one transaction from the start of b and returns
// the rest.
func ReadTransaction(b []byte) (*Transaction, []byte, error) {
	v, b, err := ReadVarInt(b)
	if err != nil {
		return nil, nil, err
	}
	if v != 2 || len(b) < 9 {
		return nil, nil, fmt.Errorf("%w: factoid transaction version %d", ErrMalformed, v)
	}
	tx := &Transaction{MilliTime: readMilli(b)}
	counts := [3]int{int(b[6]), int(b[7]), int(b[8])}
	b = b[9:]
	lists := [3]*[]TxOutput{&tx.Inputs, &tx.Outputs, &tx.ECOutputs}
	for k, n := range counts {
		for range n {
			var o TxOutput
			if o.Amount, b, err = ReadVarInt(b); err != nil {
				return nil, nil, err
			}
			if len(b) < 32 {
				return nil, nil, fmt.Errorf("%w: truncated transaction address", ErrMalformed)
			}
			o.Address, b = Hash(b[:32]), b[32:]
			*lists[k] = append(*lists[k], o)
		}
	}
	for range tx.Inputs {
		if len(b) < 33+64 || b[0] != 1 {
			return nil, nil, fmt.Errorf("%w: only type-1 RCDs are supported", ErrMalformed)
		}
		tx.RCDs = append(tx.RCDs, append([]byte(nil), b[:33]...))
		tx.Sigs = append(tx.Sigs, [64]byte(b[33:97]))
		b = b[97:]
	}
	return tx, b, nil
}

// FBlock is a factoid block. The embedded node writes factoid blocks with
// no transactions (it has no factoid ledger); a parsed factomd block keeps
// its transactions.
type FBlock struct {
	PrevKeyMR       Hash
	PrevLedgerKeyMR Hash
	ExchRate        uint64 // factoshis per entry credit
	DBHeight        uint32
	// Items is the body in order: a nil item is an end-of-minute marker.
	Items []*Transaction
}

// NewEmptyFBlock returns a factoid block with no transactions and its ten
// minute markers.
func NewEmptyFBlock(prevKeyMR, prevLedgerKeyMR Hash, rate uint64, height uint32) *FBlock {
	return &FBlock{PrevKeyMR: prevKeyMR, PrevLedgerKeyMR: prevLedgerKeyMR, ExchRate: rate, DBHeight: height, Items: make([]*Transaction, 10)}
}

var markerLeaf = Sha([]byte{0})

// leaves returns the body Merkle leaves the way factomd orders them: a
// minute marker before the first transaction is moved, with every marker
// after it, to the end.
func (b *FBlock) leaves(hash func(*Transaction) Hash) []Hash {
	var txs, out []Hash
	lagging := len(b.Items) > 0 && b.Items[0] == nil
	markers := 0
	for _, it := range b.Items {
		switch {
		case it != nil:
			txs = append(txs, hash(it))
			out = append(out, hash(it))
		case lagging:
			markers++
		default:
			out = append(out, markerLeaf)
		}
	}
	if lagging {
		out = txs
		for range markers {
			out = append(out, markerLeaf)
		}
	}
	return out
}

// BodyMR returns the Merkle root over transaction full hashes and markers.
func (b *FBlock) BodyMR() Hash { return MerkleRoot(b.leaves((*Transaction).FullHash)) }

// LedgerMR returns the Merkle root over transaction ids and markers.
func (b *FBlock) LedgerMR() Hash { return MerkleRoot(b.leaves((*Transaction).TxID)) }

func (b *FBlock) marshalBody() ([]byte, int) {
	var body []byte
	n := 0
	for _, it := range b.Items {
		if it == nil {
			body = append(body, 0)
			continue
		}
		n++
		body = append(body, it.MarshalBinary()...)
	}
	return body, n
}

// MarshalHeader returns the header: factoid chain id | BodyMR | PrevKeyMR |
// PrevLedgerKeyMR | exchange rate | height | expansion (empty) |
// transaction count | body size.
func (b *FBlock) MarshalHeader() []byte {
	body, n := b.marshalBody()
	mr := b.BodyMR()
	out := make([]byte, 0, 150)
	out = append(out, FactoidChainID[:]...)
	out = append(out, mr[:]...)
	out = append(out, b.PrevKeyMR[:]...)
	out = append(out, b.PrevLedgerKeyMR[:]...)
	out = binary.BigEndian.AppendUint64(out, b.ExchRate)
	out = binary.BigEndian.AppendUint32(out, b.DBHeight)
	out = AppendVarInt(out, 0)
	out = binary.BigEndian.AppendUint32(out, uint32(n))
	return binary.BigEndian.AppendUint32(out, uint32(len(body)))
}

// MarshalBinary returns header || body.
func (b *FBlock) MarshalBinary() []byte {
	body, _ := b.marshalBody()
	return append(b.MarshalHeader(), body...)
}

// KeyMR returns SHA256(SHA256(header) || BodyMR): its key in a directory
// block.
func (b *FBlock) KeyMR() Hash { return MerkleParent(Sha(b.MarshalHeader()), b.BodyMR()) }

// LedgerKeyMR returns SHA256(LedgerMR || SHA256(header)).
func (b *FBlock) LedgerKeyMR() Hash { return MerkleParent(b.LedgerMR(), Sha(b.MarshalHeader())) }

// UnmarshalFBlock parses a factoid block.
func UnmarshalFBlock(raw []byte) (*FBlock, error) {
	const fixed = 32*4 + 8 + 4
	if len(raw) < fixed+9 || !FactoidChainID.equal(raw[:32]) {
		return nil, fmt.Errorf("%w: not a factoid block", ErrMalformed)
	}
	b := &FBlock{ExchRate: binary.BigEndian.Uint64(raw[128:]), DBHeight: binary.BigEndian.Uint32(raw[136:])}
	copy(b.PrevKeyMR[:], raw[64:96])
	copy(b.PrevLedgerKeyMR[:], raw[96:128])
	x, rest, err := ReadVarInt(raw[fixed:])
	if err != nil || x != 0 || len(rest) < 8 {
		return nil, fmt.Errorf("%w: factoid block header", ErrMalformed)
	}
	count := binary.BigEndian.Uint32(rest)
	size := binary.BigEndian.Uint32(rest[4:])
	body := rest[8:]
	if uint32(len(body)) != size {
		return nil, fmt.Errorf("%w: factoid body is %d bytes; header says %d", ErrMalformed, len(body), size)
	}
	n := uint32(0)
	for len(body) > 0 {
		if body[0] == 0 {
			b.Items = append(b.Items, nil)
			body = body[1:]
			continue
		}
		var tx *Transaction
		if tx, body, err = ReadTransaction(body); err != nil {
			return nil, err
		}
		b.Items = append(b.Items, tx)
		n++
	}
	if n != count {
		return nil, fmt.Errorf("%w: factoid block says %d transactions, holds %d", ErrMalformed, count, n)
	}
	if mr := Hash(raw[32:64]); mr != b.BodyMR() {
		return nil, fmt.Errorf("%w: factoid block BodyMR %s does not match its body (%s)", ErrMalformed, mr, b.BodyMR())
	}
	return b, nil
}
