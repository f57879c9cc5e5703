package protocol

import (
	"encoding/json"
	"fmt"
	"time"
)

// This file holds the JSON shapes of the factomd v2 API subset that the
// embedded node serves and the adapter's client calls. Field names are
// factomd's.

// JSON-RPC error codes and messages factomd answers with.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternalError  = -32603
	CodeNotFound       = -32008 // "Block not found", "Entry not found", "Object not found"
	CodeMissingHead    = -32009 // "Missing Chain Head"
	CodeReceiptError   = -32010 // "Receipt creation error"
	CodeRepeatedCommit = -32011 // "Repeated Commit"
)

// Ack statuses, in the order an entry goes through them.
const (
	AckUnknown         = "Unknown"
	AckNotConfirmed    = "NotConfirmed"
	AckTransactionACK  = "TransactionACK"
	AckDBlockConfirmed = "DBlockConfirmed"
)

// RPCError is a JSON-RPC error object.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string {
	s := fmt.Sprintf("factomd error %d: %s", e.Code, e.Message)
	if len(e.Data) > 0 && string(e.Data) != "null" {
		s += ": " + string(e.Data)
	}
	return s
}

// NewRPCError returns an error with data marshalled to JSON (nil: none).
func NewRPCError(code int, message string, data any) *RPCError {
	e := &RPCError{Code: code, Message: message}
	if data != nil {
		e.Data, _ = json.Marshal(data)
	}
	return e
}

// Request and response bodies.
type (
	HashRequest struct {
		Hash string `json:"hash"`
	}
	ChainIDRequest struct {
		ChainID string `json:"chainid"`
	}
	MessageRequest struct {
		Message string `json:"message"`
	}
	EntryRequest struct {
		Entry string `json:"entry"`
	}
	AddressRequest struct {
		Address string `json:"address"`
	}
	KeyMRRequest struct {
		KeyMR string `json:"keymr"`
		NoRaw bool   `json:"noraw,omitempty"`
	}
	HeightRequest struct {
		Height int64 `json:"height"`
		NoRaw  bool  `json:"noraw,omitempty"`
	}
	ReceiptRequest struct {
		EntryHash       string `json:"hash"`
		IncludeRawEntry bool   `json:"includerawentry,omitempty"`
	}
	AckRequest struct {
		Hash            string `json:"hash,omitempty"`
		ChainID         string `json:"chainid,omitempty"`
		FullTransaction string `json:"fulltransaction,omitempty"`
	}
	TransactionRequest struct {
		Transaction string `json:"transaction"`
	}
)

// CommitResponse answers commit-chain and commit-entry.
type CommitResponse struct {
	Message     string `json:"message"`
	TxID        string `json:"txid"`
	EntryHash   string `json:"entryhash,omitempty"`
	ChainIDHash string `json:"chainidhash,omitempty"`
}

// RevealResponse answers reveal-chain and reveal-entry.
type RevealResponse struct {
	Message   string `json:"message"`
	EntryHash string `json:"entryhash"`
	ChainID   string `json:"chainid,omitempty"`
}

// RepeatedCommitData is the data of a Repeated Commit error.
type RepeatedCommitData struct {
	Information string `json:"info"`
	EntryHash   string `json:"entryhash"`
}

// HeightsResponse answers heights.
type HeightsResponse struct {
	DirectoryBlockHeight int64 `json:"directoryblockheight"`
	LeaderHeight         int64 `json:"leaderheight"`
	EntryBlockHeight     int64 `json:"entryblockheight"`
	EntryHeight          int64 `json:"entryheight"`
}

// PropertiesResponse answers properties.
type PropertiesResponse struct {
	FactomdVersion string `json:"factomdversion"`
	APIVersion     string `json:"factomdapiversion"`
}

// BalanceResponse answers entry-credit-balance and factoid-balance.
type BalanceResponse struct {
	Balance int64 `json:"balance"`
}

// RateResponse answers entry-credit-rate.
type RateResponse struct {
	Rate int64 `json:"rate"`
}

// EntryResponse answers entry: hex chain id, content and ExtIDs.
type EntryResponse struct {
	ChainID string   `json:"chainid"`
	Content string   `json:"content"`
	ExtIDs  []string `json:"extids"`
}

// ChainHeadResponse answers chain-head.
type ChainHeadResponse struct {
	ChainHead          string `json:"chainhead"`
	ChainInProcessList bool   `json:"chaininprocesslist"`
}

// EntryAddr is an entry-block entry with its time (seconds).
type EntryAddr struct {
	EntryHash string `json:"entryhash"`
	Timestamp int64  `json:"timestamp"`
}

// EntryBlockResponse answers entry-block.
type EntryBlockResponse struct {
	Header struct {
		BlockSequenceNumber int64  `json:"blocksequencenumber"`
		ChainID             string `json:"chainid"`
		PrevKeyMR           string `json:"prevkeymr"`
		Timestamp           int64  `json:"timestamp"`
		DBHeight            int64  `json:"dbheight"`
	} `json:"header"`
	EntryList []EntryAddr `json:"entrylist"`
}

// EBlockAddr names an entry block in a directory-block answer.
type EBlockAddr struct {
	ChainID string `json:"chainid"`
	KeyMR   string `json:"keymr"`
}

// DirectoryBlockResponse answers directory-block.
type DirectoryBlockResponse struct {
	Header struct {
		PrevBlockKeyMR string `json:"prevblockkeymr"`
		SequenceNumber int64  `json:"sequencenumber"`
		Timestamp      int64  `json:"timestamp"`
	} `json:"header"`
	EntryBlockList []EBlockAddr `json:"entryblocklist"`
}

// DBlockJSON is a directory block as dblock-by-height writes it.
type DBlockJSON struct {
	DBHash     string `json:"dbhash"`
	KeyMR      string `json:"keymr"`
	HeaderHash string `json:"headerhash"`
	Header     struct {
		Version      int    `json:"version"`
		NetworkID    uint32 `json:"networkid"`
		BodyMR       string `json:"bodymr"`
		PrevKeyMR    string `json:"prevkeymr"`
		PrevFullHash string `json:"prevfullhash"`
		Timestamp    uint32 `json:"timestamp"`
		DBHeight     uint32 `json:"dbheight"`
		BlockCount   uint32 `json:"blockcount"`
		ChainID      string `json:"chainid"`
	} `json:"header"`
	DBEntries []EBlockAddr `json:"dbentries"`
}

// DBlockByHeightResponse answers dblock-by-height.
type DBlockByHeightResponse struct {
	DBlock  *DBlockJSON `json:"dblock"`
	RawData string      `json:"rawdata,omitempty"`
}

// ReceiptResponse answers receipt.
type ReceiptResponse struct {
	Receipt *Receipt `json:"receipt"`
}

// TransactionData is one half of an ack answer. Dates are Unix seconds or
// milliseconds depending on the state factomd found the transaction in;
// AckTime reads both.
type TransactionData struct {
	TransactionDate       int64  `json:"transactiondate,omitempty"`
	TransactionDateString string `json:"transactiondatestring,omitempty"`
	BlockDate             int64  `json:"blockdate,omitempty"`
	BlockDateString       string `json:"blockdatestring,omitempty"`
	Status                string `json:"status"`
}

// EntryStatus answers ack for an entry hash or a commit transaction id.
type EntryStatus struct {
	CommitTxID string          `json:"committxid"`
	EntryHash  string          `json:"entryhash"`
	CommitData TransactionData `json:"commitdata"`
	EntryData  TransactionData `json:"entrydata"`
}

// FactoidSubmitResponse answers factoid-submit.
type FactoidSubmitResponse struct {
	Message string `json:"message"`
	TxID    string `json:"txid"`
}

// AckTime converts an ack date to a time: factomd writes seconds in some
// states and milliseconds in others. Values above 10^11 are milliseconds
// (10^11 seconds is the year 5138).
func AckTime(v int64) time.Time {
	switch {
	case v <= 0:
		return time.Time{}
	case v > 1e11:
		return time.UnixMilli(v).UTC()
	default:
		return time.Unix(v, 0).UTC()
	}
}
