package fabric

import (
	"context"
	"errors"
	"strings"
	"testing"

	gwproto "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ledgergate/ledgergate/adapters"
)

func TestCheckpointRoundTrip(t *testing.T) {
	tx := strings.Repeat("ab", 32)
	for _, p := range []position{{block: 0}, {block: 7, txID: tx}, {block: 1 << 40, txID: tx}} {
		got, ok, err := parseCheckpoint(p.Checkpoint())
		if err != nil || !ok || got != p {
			t.Errorf("parse(%s) = %+v, %v, %v", p.Checkpoint(), got, ok, err)
		}
	}
	if _, ok, err := parseCheckpoint(""); ok || err != nil {
		t.Errorf("empty checkpoint: %v %v", ok, err)
	}
	for _, bad := range []adapters.Checkpoint{"eth1:1:*:0x00", "fabric1:x:", "fabric1:1", "fabric1:1:" + adapters.Checkpoint(strings.Repeat("Z", 64))} {
		if _, _, err := parseCheckpoint(bad); err == nil {
			t.Errorf("parse(%q) accepted", bad)
		}
	}
}

func withDetail(code codes.Code, msg, detail string) error {
	st := status.New(code, msg)
	st, _ = st.WithDetails(&gwproto.ErrorDetail{Address: "127.0.0.1:7051", MspId: "CustomsMSP", Message: detail})
	return st.Err()
}

func TestEndorseErrorMapping(t *testing.T) {
	cases := []struct {
		err    error
		reason string // "" = ErrUnavailable
	}{
		{withDetail(codes.Aborted, "failed to endorse transaction", "chaincode response 500, LG_CONFLICT: record x is held with digest y"), adapters.ReasonConflict},
		{withDetail(codes.Aborted, "failed to endorse transaction", "chaincode response 500, LG_INVALID: bad"), adapters.ReasonInvalid},
		{withDetail(codes.Unknown, "evaluate call to endorser returned error", "chaincode response 500, LG_TOO_LARGE: big"), adapters.ReasonTooLarge},
		{withDetail(codes.Aborted, "failed to endorse", "error validating proposal: access denied: channel [c] creator org unknown"), adapters.ReasonForbidden},
		{withDetail(codes.Unavailable, "failed to collect enough transaction endorsements", "connection refused"), ""},
		{status.Error(codes.DeadlineExceeded, "endorse timeout"), ""},
		{context.Canceled, ""},
	}
	for _, c := range cases {
		err := endorseError("x", c.err)
		var rej *adapters.RejectedError
		switch {
		case c.reason == "" && !errors.Is(err, adapters.ErrUnavailable):
			t.Errorf("%v -> %v, want ErrUnavailable", c.err, err)
		case c.reason != "" && (!errors.As(err, &rej) || rej.Reason != c.reason):
			t.Errorf("%v -> %v, want rejection %s", c.err, err, c.reason)
		}
	}
}

func TestSubmitClassification(t *testing.T) {
	cases := []struct {
		err  error
		want submitOutcome
	}{
		{status.Error(codes.Unavailable, "no orderer nodes available"), submitNotSent},
		{status.Error(codes.FailedPrecondition, "channel not found"), submitNotSent},
		{status.Error(codes.Aborted, "received unsuccessful response from orderer: status=FORBIDDEN, info=x"), submitRefused},
		{withDetail(codes.Unavailable, "no orderers could successfully process transaction", "EOF"), submitUnknown},
		{status.Error(codes.DeadlineExceeded, "submit timeout expired while broadcasting to ordering service"), submitUnknown},
		{errors.New("transport is closing"), submitUnknown},
	}
	for _, c := range cases {
		if got := classifySubmit(c.err); got != c.want {
			t.Errorf("classifySubmit(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	err := unknownOutcome("tx1", context.DeadlineExceeded)
	if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, adapters.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("unknownOutcome: %v", err)
	}
	if !endorsersDisagree(withDetail(codes.Aborted, "failed to collect enough transaction endorsements, see attached details for more info", "ProposalResponsePayloads do not match")) {
		t.Error("endorsersDisagree")
	}
	if !isConflictCode(peer.TxValidationCode_MVCC_READ_CONFLICT) || isConflictCode(peer.TxValidationCode_VALID) {
		t.Error("isConflictCode")
	}
}
