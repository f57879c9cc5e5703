package node

import "github.com/ledgergate/ledgergate/adapters/factom/protocol"

// factomd's error answers (wsapi/errors.go in factomd 6.13).
func errInvalidParams() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeInvalidParams, "Invalid params", nil)
}
func errInvalidParamsData(data string) *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeInvalidParams, "Invalid params", data)
}
func errInvalidHash() *protocol.RPCError        { return errInvalidParamsData("Invalid Hash") }
func errInvalidAddress() *protocol.RPCError     { return errInvalidParamsData("Invalid Address") }
func errInvalidEntry() *protocol.RPCError       { return errInvalidParamsData("Invalid Entry") }
func errInvalidCommitChain() *protocol.RPCError { return errInvalidParamsData("Invalid Commit Chain") }
func errInvalidCommitEntry() *protocol.RPCError { return errInvalidParamsData("Invalid Commit Entry") }
func errMethodNotFound() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeMethodNotFound, "Method not found", nil)
}
func errInvalidRequest() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeInvalidRequest, "Invalid Request", nil)
}
func errInternal(data string) *protocol.RPCError {
	var d any
	if data != "" {
		d = data
	}
	return protocol.NewRPCError(protocol.CodeInternalError, "Internal error", d)
}
func errBlockNotFound() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeNotFound, "Block not found", nil)
}
func errEntryNotFound() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeNotFound, "Entry not found", nil)
}
func errObjectNotFound() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeNotFound, "Object not found", nil)
}
func errMissingChainHead() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeMissingHead, "Missing Chain Head", nil)
}
func errReceipt() *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeReceiptError, "Receipt creation error", nil)
}
func errRepeatedCommit(eh protocol.Hash) *protocol.RPCError {
	return protocol.NewRPCError(protocol.CodeRepeatedCommit, "Repeated Commit",
		protocol.RepeatedCommitData{Information: "A commit with equal or greater payment already exists", EntryHash: eh.String()})
}
