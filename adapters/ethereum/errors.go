package ethereum

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum/registry"
)

// ErrOutcomeUnknown is wrapped by Write errors after a transaction may have
// reached the node: the write may or may not be applied. Resolve with
// Receipt or Read (or retry Write, which checks the chain first).
var ErrOutcomeUnknown = errors.New("ethereum: write outcome unknown")

// unavailable marks an error that happened before any transaction was
// sent, so the write was certainly not applied.
func unavailable(err error) error {
	if err == nil || errors.Is(err, adapters.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", adapters.ErrUnavailable, err)
}

// unknownOutcome wraps err in ErrOutcomeUnknown. It hides any
// ErrUnavailable in err (that promise no longer holds once a transaction
// may be on chain) but keeps context and ErrClosed causes visible.
func unknownOutcome(err error) error {
	if errors.Is(err, ErrOutcomeUnknown) {
		return err
	}
	return &outcomeError{cause: err}
}

type outcomeError struct{ cause error }

func (e *outcomeError) Error() string { return ErrOutcomeUnknown.Error() + ": " + e.cause.Error() }

func (e *outcomeError) Unwrap() []error {
	errs := []error{ErrOutcomeUnknown}
	for _, c := range []error{context.Canceled, context.DeadlineExceeded, adapters.ErrClosed} {
		if errors.Is(e.cause, c) {
			errs = append(errs, c)
		}
	}
	return errs
}

// revertData extracts the revert data of a failed call or estimate.
func revertData(err error) ([]byte, bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return nil, false
	}
	b, derr := hexutil.Decode(s)
	if derr != nil || len(b) < 4 {
		return nil, false
	}
	return b, true
}

// contractError decodes a registry custom error; nil if err carries none.
func (a *Adapter) contractError(err error) any {
	data, ok := revertData(err)
	if !ok {
		return nil
	}
	v, uerr := a.contract.UnpackError(data)
	if uerr != nil {
		return nil
	}
	return v
}

// rejectionOf maps a registry custom error to a rejection; nil if it is
// not one the caller cannot fix by retrying.
func rejectionOf(id string, cerr any) error {
	switch e := cerr.(type) {
	case *registry.RecordRegistrySupersedesNotHead:
		return adapters.Reject(adapters.ReasonConflict, fmt.Sprintf("record %s: the registry holds version %s; the record supersedes %q", id, digestOf(e.Head), digestOf(e.Supersedes)), nil)
	case *registry.RecordRegistryTypeMismatch:
		return adapters.Reject(adapters.ReasonConflict, fmt.Sprintf("record %s: the registry holds it as type %s", id, e.RecordType), nil)
	case *registry.RecordRegistryNotWriter:
		return adapters.Reject(adapters.ReasonForbidden, fmt.Sprintf("account %s may not write to the registry", e.Caller), nil)
	case *registry.RecordRegistryInvalidRecord:
		return adapters.Reject(adapters.ReasonInvalid, "record "+id+": "+e.Why, nil)
	case *registry.RecordRegistryInvalidDisclosure:
		return adapters.Reject(adapters.ReasonPolicy, fmt.Sprintf("record %s: disclosure %d", id, e.Disclosure), nil)
	}
	return nil
}

// sendClass is what a failed eth_sendRawTransaction tells about the
// transaction.
type sendClass int

const (
	sendNotApplied sendClass = iota // the node refused it, or it never left
	sendNonce                       // nonce already used: resync and resend
	sendKnown                       // the node already has this very transaction
	sendUnknown                     // it may have reached the node
)

func classifySend(err error) sendClass {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "already known"), strings.Contains(msg, "already imported"), strings.Contains(msg, "known transaction"):
		return sendKnown
	case strings.Contains(msg, "nonce too low"), strings.Contains(msg, "replacement transaction underpriced"),
		strings.Contains(msg, "nonce has already been used"), strings.Contains(msg, "replacement fee too low"):
		return sendNonce
	}
	var rerr rpc.Error
	if errors.As(err, &rerr) {
		return sendNotApplied // a JSON-RPC error answer: the node refused it
	}
	var herr rpc.HTTPError
	if errors.As(err, &herr) && herr.StatusCode >= 400 && herr.StatusCode < 500 && herr.StatusCode != http.StatusRequestTimeout {
		return sendNotApplied
	}
	if isConnRefused(err) {
		return sendNotApplied
	}
	return sendUnknown
}

// isConnRefused reports an error that proves the request never reached a
// node.
func isConnRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, rpc.ErrClientQuit)
}
