package fabric

import (
	"context"
	"errors"
	"fmt"
	"strings"

	gwproto "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ledgergate/ledgergate/adapters"
)

// ErrOutcomeUnknown is wrapped by Write errors after the transaction may
// have reached the orderer: the write may or may not be applied. Resolve
// with Receipt or Read, or call Write again, which looks first.
var ErrOutcomeUnknown = errors.New("fabric: write outcome unknown")

// unavailable marks an error after which the write was certainly not
// applied (nothing was sent to the orderer).
func unavailable(err error) error {
	if err == nil || errors.Is(err, adapters.ErrUnavailable) || errors.Is(err, adapters.ErrRejected) || errors.Is(err, adapters.ErrClosed) {
		return err
	}
	return fmt.Errorf("%w: %w", adapters.ErrUnavailable, err)
}

// unknownOutcome wraps err in ErrOutcomeUnknown. It hides any
// ErrUnavailable in err, but keeps context and ErrClosed causes visible.
func unknownOutcome(txID string, err error) error {
	return &outcomeError{txID: txID, cause: err}
}

type outcomeError struct {
	txID  string
	cause error
}

func (e *outcomeError) Error() string {
	return fmt.Sprintf("%s (transaction %s): %s", ErrOutcomeUnknown, e.txID, describe(e.cause))
}

func (e *outcomeError) Unwrap() []error {
	errs := []error{ErrOutcomeUnknown}
	for _, c := range []error{context.Canceled, context.DeadlineExceeded, adapters.ErrClosed} {
		if errors.Is(e.cause, c) {
			errs = append(errs, c)
		}
	}
	return errs
}

// describe flattens a Gateway error with the per-peer or per-orderer
// details the Gateway attaches to it.
func describe(err error) string {
	msg := err.Error()
	if st, ok := status.FromError(err); ok {
		for _, d := range st.Details() {
			if ed, ok := d.(*gwproto.ErrorDetail); ok {
				msg += fmt.Sprintf("; %s (%s): %s", ed.Address, ed.MspId, ed.Message)
			}
		}
	}
	return msg
}

// Prefixes of the chaincode's refusals and the rejection reasons they map
// to.
var chaincodeRefusals = []struct{ prefix, reason string }{
	{"LG_CONFLICT", adapters.ReasonConflict},
	{"LG_INVALID", adapters.ReasonInvalid},
	{"LG_POLICY", adapters.ReasonPolicy},
	{"LG_TOO_LARGE", adapters.ReasonTooLarge},
}

// Fragments of peer messages that refuse the client itself.
var forbiddenFragments = []string{"access denied", "creator org unknown", "creator is malformed", "signature validation failed", "failed evaluating policy"}

// endorseError maps a failed endorsement (or evaluation), after which
// nothing was sent to the orderer: a refusal by the chaincode or the peers
// is a rejection, anything else is ErrUnavailable.
func endorseError(id string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.Canceled || status.Code(err) == codes.DeadlineExceeded {
		return unavailable(fmt.Errorf("endorse %s: %s", id, describe(err)))
	}
	if rej := refusal(id, err); rej != nil {
		return rej
	}
	return unavailable(fmt.Errorf("endorse %s: %w", id, &gatewayError{err}))
}

// refusal returns the rejection a chaincode or peer refusal in err stands
// for, or nil.
func refusal(id string, err error) error {
	msg := describe(err)
	for _, r := range chaincodeRefusals {
		if i := strings.Index(msg, r.prefix+":"); i >= 0 {
			detail := msg[i+len(r.prefix)+1:]
			if j := strings.Index(detail, ";"); j >= 0 {
				detail = detail[:j]
			}
			return adapters.Reject(r.reason, "chaincode refused "+id+":"+detail, nil)
		}
	}
	low := strings.ToLower(msg)
	for _, f := range forbiddenFragments {
		if strings.Contains(low, f) {
			return adapters.Reject(adapters.ReasonForbidden, "the peers refused the client for "+id, &gatewayError{err})
		}
	}
	return nil
}

// gatewayError keeps a Gateway error's details in its message.
type gatewayError struct{ err error }

func (e *gatewayError) Error() string { return describe(e.err) }
func (e *gatewayError) Unwrap() error { return e.err }

// submitOutcome says what a failed send to the orderer means.
type submitOutcome int

const (
	submitUnknown submitOutcome = iota // the orderer may have it
	submitNotSent                      // the Gateway never sent it
	submitRefused                      // the orderer refused it (4xx): not applied, do not retry
)

// classifySubmit reads a SubmitError. The Gateway answers InvalidArgument
// and FailedPrecondition before sending; "no orderer nodes available"
// means it had nobody to send to; Aborted carries an orderer's 4xx status
// (the orderer refused it). Anything else (Unavailable after a broken
// broadcast, DeadlineExceeded, transport errors) leaves the fate open.
func classifySubmit(err error) submitOutcome {
	st, ok := status.FromError(err)
	if !ok {
		return submitUnknown
	}
	switch {
	case st.Code() == codes.InvalidArgument, st.Code() == codes.FailedPrecondition:
		return submitNotSent
	case st.Code() == codes.Unavailable && strings.Contains(st.Message(), "no orderer nodes available"):
		return submitNotSent
	case st.Code() == codes.Aborted && strings.Contains(st.Message(), "received unsuccessful response from orderer"):
		return submitRefused
	}
	return submitUnknown
}

// commitRejection maps a validation code that will not change on retry.
func commitRejection(id string, code peer.TxValidationCode, txID string) error {
	switch code {
	case peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, peer.TxValidationCode_BAD_CREATOR_SIGNATURE,
		peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, peer.TxValidationCode_UNKNOWN_TX_TYPE:
		return adapters.Reject(adapters.ReasonForbidden, fmt.Sprintf("record %s: transaction %s invalidated by the peers (%s)", id, txID, code), nil)
	}
	return nil
}

// isNotFound reports a qscc "not found" answer.
func isNotFound(err error) bool {
	low := strings.ToLower(describe(err))
	return strings.Contains(low, "not found") || strings.Contains(low, "no such transaction")
}

// endorsersDisagree reports an endorsement the Gateway could not assemble
// because the peers' results differed (typically one had not committed the
// latest block yet). Nothing was sent to the orderer.
func endorsersDisagree(err error) bool {
	return strings.Contains(describe(err), "ProposalResponsePayloads do not match")
}

// isConflictCode reports validation codes after which endorsing again may
// succeed: another transaction changed what this one read.
func isConflictCode(code peer.TxValidationCode) bool {
	return code == peer.TxValidationCode_MVCC_READ_CONFLICT || code == peer.TxValidationCode_PHANTOM_READ_CONFLICT
}
