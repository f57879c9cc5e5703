package fabric

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters"
)

const checkpointPrefix = "fabric1:"

// position is a decoded checkpoint in fabric-gateway's terms: the block in
// which the next event is expected and the last delivered transaction of
// that block ("" when none was). It implements client.Checkpoint, so the
// Gateway resumes just after that transaction.
type position struct {
	block uint64
	txID  string
}

var _ client.Checkpoint = position{}

func (p position) BlockNumber() uint64   { return p.block }
func (p position) TransactionID() string { return p.txID }

// Checkpoint encodes the position: "fabric1:<block>:<transaction id>".
func (p position) Checkpoint() adapters.Checkpoint {
	return adapters.Checkpoint(fmt.Sprintf("%s%d:%s", checkpointPrefix, p.block, p.txID))
}

var txIDRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// parseCheckpoint decodes a checkpoint; ok is false for the empty one.
func parseCheckpoint(cp adapters.Checkpoint) (p position, ok bool, err error) {
	if cp == "" {
		return position{}, false, nil
	}
	rest, found := strings.CutPrefix(string(cp), checkpointPrefix)
	num, txID, found2 := strings.Cut(rest, ":")
	if !found || !found2 {
		return position{}, false, fmt.Errorf("fabric: checkpoint %q is not a fabric adapter checkpoint", cp)
	}
	if p.block, err = strconv.ParseUint(num, 10, 64); err != nil {
		return position{}, false, fmt.Errorf("fabric: checkpoint %q: block: %w", cp, err)
	}
	if txID != "" && !txIDRE.MatchString(txID) {
		return position{}, false, fmt.Errorf("fabric: checkpoint %q: malformed transaction id", cp)
	}
	p.txID = txID
	return p, true, nil
}
