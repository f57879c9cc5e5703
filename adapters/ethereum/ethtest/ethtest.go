// Package ethtest holds connections to an Ethereum node for tests of what
// the adapter and its callers do when the connection misbehaves. The node
// behind them is real; only the answers the caller hears are changed.
package ethtest

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/ledgergate/ledgergate/adapters/ethereum"
)

// LostReplies is a connection to the node that loses the node's answer to
// every transaction sent through it: the node takes the transaction, and
// the caller hears an error, as after a timeout or a dropped connection.
type LostReplies struct {
	ethereum.Backend
	sent atomic.Int64
}

var _ ethereum.Backend = (*LostReplies)(nil)

// ErrReplyLost is what a send through LostReplies returns once the node
// has taken the transaction.
var ErrReplyLost = errors.New("read tcp 127.0.0.1:8545: connection reset by peer")

// SendTransaction sends tx to the node, and reports ErrReplyLost if the
// node took it (the node's own refusals are passed on).
func (l *LostReplies) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := l.Backend.SendTransaction(ctx, tx); err != nil {
		return err
	}
	l.sent.Add(1)
	return ErrReplyLost
}

// Sent returns how many transactions the node took through l.
func (l *LostReplies) Sent() int64 { return l.sent.Load() }
