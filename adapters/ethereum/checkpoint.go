package ethereum

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
)

// position is a decoded checkpoint: every registry log before log index
// Next of block Block (whose hash was Hash) has been delivered.
// Next == allLogs means the whole block was.
type position struct {
	Block uint64
	Next  uint64
	Hash  common.Hash
}

const allLogs = math.MaxUint64

const checkpointPrefix = "eth1:"

// Checkpoint encodes the position as an opaque, durable string:
// "eth1:<block>:<next log index or *>:<block hash>".
func (p position) Checkpoint() adapters.Checkpoint {
	next := "*"
	if p.Next != allLogs {
		next = strconv.FormatUint(p.Next, 10)
	}
	return adapters.Checkpoint(fmt.Sprintf("%s%d:%s:%s", checkpointPrefix, p.Block, next, p.Hash.Hex()))
}

// parseCheckpoint decodes a checkpoint; ok is false for the empty one.
func parseCheckpoint(cp adapters.Checkpoint) (p position, ok bool, err error) {
	if cp == "" {
		return position{}, false, nil
	}
	rest, found := strings.CutPrefix(string(cp), checkpointPrefix)
	parts := strings.Split(rest, ":")
	if !found || len(parts) != 3 {
		return position{}, false, fmt.Errorf("ethereum: checkpoint %q is not an ethereum adapter checkpoint", cp)
	}
	if p.Block, err = strconv.ParseUint(parts[0], 10, 64); err != nil {
		return position{}, false, fmt.Errorf("ethereum: checkpoint %q: block: %w", cp, err)
	}
	p.Next = allLogs
	if parts[1] != "*" {
		if p.Next, err = strconv.ParseUint(parts[1], 10, 32); err != nil {
			return position{}, false, fmt.Errorf("ethereum: checkpoint %q: log index: %w", cp, err)
		}
	}
	if !txHashRE.MatchString(parts[2]) {
		return position{}, false, fmt.Errorf("ethereum: checkpoint %q: malformed block hash", cp)
	}
	p.Hash = common.HexToHash(parts[2])
	return p, true, nil
}
