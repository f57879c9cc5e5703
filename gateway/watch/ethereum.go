package watch

import (
	"context"
	"encoding/hex"
	"fmt"
	"iter"
	"math/big"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/internal/ctxtime"
)

// EthClient is what an Ethereum source needs from a node
// (*ethclient.Client and the simulated backend's client have it).
type EthClient interface {
	BlockNumber(ctx context.Context) (uint64, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
}

// EthereumSource watches one event of one contract.
type EthereumSource struct {
	c             EthClient
	name          string
	network       string
	address       common.Address
	event         abi.Event
	from          uint64
	confirmations uint64
	poll          time.Duration
	logRange      uint64
}

// EthereumConfig configures an EthereumSource.
type EthereumConfig struct {
	Name     string
	Network  string // e.g. the chain id, for provenance
	Contract string // address
	// ABI is the contract's ABI JSON (at least the event); Event its
	// name ("OriginCertified") or signature
	// ("OriginCertified(bytes32,string,uint64)").
	ABI   []byte
	Event string
	// FromBlock is where an unwatched source starts.
	FromBlock uint64
	// Confirmations: only blocks this deep are read, so events are not
	// taken from blocks a reorganisation may remove (default 0: the tip,
	// for chains with instant finality).
	Confirmations uint64
	Poll          time.Duration // default 1 s
	LogRange      uint64        // blocks per log query (default 2000)
}

// LoadABI reads an ABI file: a JSON array, or a solc/Hardhat artifact
// with an "abi" member.
func LoadABI(path string) ([]byte, error) {
	return os.ReadFile(path)
}

// NewEthereumSource returns the source.
func NewEthereumSource(c EthClient, cfg EthereumConfig) (*EthereumSource, error) {
	raw := strings.TrimSpace(string(cfg.ABI))
	if strings.HasPrefix(raw, "{") { // an artifact
		var art struct {
			ABI any `json:"abi"`
		}
		if err := jsonUnmarshal([]byte(raw), &art); err != nil || art.ABI == nil {
			return nil, fmt.Errorf("source %s: abi: not an ABI array or an artifact with an abi member", cfg.Name)
		}
		b, _ := jsonMarshal(art.ABI)
		raw = string(b)
	}
	parsed, err := abi.JSON(strings.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("source %s: abi: %w", cfg.Name, err)
	}
	var ev *abi.Event
	for _, e := range parsed.Events {
		if e.Name == cfg.Event || e.Sig == strings.ReplaceAll(cfg.Event, " ", "") {
			e := e
			ev = &e
			break
		}
	}
	if ev == nil {
		return nil, fmt.Errorf("source %s: the ABI has no event %q", cfg.Name, cfg.Event)
	}
	if !common.IsHexAddress(cfg.Contract) {
		return nil, fmt.Errorf("source %s: contract %q is not an address", cfg.Name, cfg.Contract)
	}
	s := &EthereumSource{c: c, name: cfg.Name, network: cfg.Network, address: common.HexToAddress(cfg.Contract), event: *ev,
		from: cfg.FromBlock, confirmations: cfg.Confirmations, poll: cfg.Poll, logRange: cfg.LogRange}
	if s.poll <= 0 {
		s.poll = time.Second
	}
	if s.logRange == 0 {
		s.logRange = 2000
	}
	return s, nil
}

// Kind implements Source.
func (s *EthereumSource) Kind() string { return "ethereum" }

// Checkpoints: "eth:<block>:<log index>" (that log done) or
// "eth:<block>:*" (the whole block done).
func ethCheckpoint(block uint64, idx int64) adapters.Checkpoint {
	i := "*"
	if idx >= 0 {
		i = strconv.FormatInt(idx, 10)
	}
	return adapters.Checkpoint(fmt.Sprintf("eth:%d:%s", block, i))
}

func parseEthCheckpoint(cp adapters.Checkpoint) (block uint64, idx int64, ok bool, err error) {
	if cp == "" {
		return 0, 0, false, nil
	}
	parts := strings.Split(string(cp), ":")
	if len(parts) != 3 || parts[0] != "eth" {
		return 0, 0, false, fmt.Errorf("checkpoint %q is not an ethereum source checkpoint", cp)
	}
	if block, err = strconv.ParseUint(parts[1], 10, 64); err != nil {
		return 0, 0, false, fmt.Errorf("checkpoint %q: %w", cp, err)
	}
	idx = -1
	if parts[2] != "*" {
		if idx, err = strconv.ParseInt(parts[2], 10, 32); err != nil {
			return 0, 0, false, fmt.Errorf("checkpoint %q: %w", cp, err)
		}
	}
	return block, idx, true, nil
}

// Watch implements Source.
func (s *EthereumSource) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[Native, error] {
	return func(yield func(Native, error) bool) {
		next := s.from
		skipBlock, skipIdx := uint64(0), int64(-1)
		if b, idx, ok, err := parseEthCheckpoint(from); err != nil {
			yield(Native{}, err)
			return
		} else if ok {
			if idx < 0 {
				next = b + 1
			} else {
				next, skipBlock, skipIdx = b, b, idx
			}
		}
		wait := s.poll
		for ctx.Err() == nil {
			head, err := s.c.BlockNumber(ctx)
			if err != nil {
				wait = min(wait*2, 30*time.Second)
				ctxtime.Sleep(ctx, wait)
				continue
			}
			if head < s.confirmations || next > head-s.confirmations {
				wait = s.poll
				ctxtime.Sleep(ctx, wait)
				continue
			}
			to := min(head-s.confirmations, next+s.logRange-1)
			logs, err := s.c.FilterLogs(ctx, ethereum.FilterQuery{
				FromBlock: new(big.Int).SetUint64(next), ToBlock: new(big.Int).SetUint64(to),
				Addresses: []common.Address{s.address}, Topics: [][]common.Hash{{s.event.ID}},
			})
			if err != nil {
				wait = min(wait*2, 30*time.Second)
				ctxtime.Sleep(ctx, wait)
				continue
			}
			wait = s.poll
			for _, lg := range logs {
				if lg.Removed || (lg.BlockNumber == skipBlock && int64(lg.Index) <= skipIdx) {
					continue
				}
				if !yield(s.native(lg), nil) {
					return
				}
			}
			if !yield(Native{Checkpoint: ethCheckpoint(to, -1)}, nil) {
				return
			}
			next, skipIdx = to+1, -1
		}
	}
}

func (s *EthereumSource) native(lg types.Log) Native {
	n := Native{
		Key: fmt.Sprintf("%s:%d", lg.TxHash.Hex(), lg.Index),
		Provenance: Provenance{Source: s.name, Ledger: "ethereum", Network: s.network, Contract: s.address.Hex(), Event: s.event.Sig,
			TxID: lg.TxHash.Hex(), Block: lg.BlockNumber, BlockHash: lg.BlockHash.Hex(), Index: uint64(lg.Index)},
		Checkpoint: ethCheckpoint(lg.BlockNumber, int64(lg.Index)),
	}
	args, err := s.decode(lg)
	if err != nil {
		topics := make([]string, len(lg.Topics))
		for i, t := range lg.Topics {
			topics[i] = t.Hex()
		}
		n.Err, n.Raw = err, map[string]any{"topics": topics, "data": "0x" + hex.EncodeToString(lg.Data)}
		return n
	}
	n.Payload = args
	return n
}

func (s *EthereumSource) decode(lg types.Log) (map[string]any, error) {
	m := map[string]any{}
	if len(lg.Data) > 0 || len(s.event.Inputs.NonIndexed()) > 0 {
		if err := s.event.Inputs.NonIndexed().UnpackIntoMap(m, lg.Data); err != nil {
			return nil, fmt.Errorf("decode %s data: %w", s.event.Name, err)
		}
	}
	var indexed abi.Arguments
	for _, a := range s.event.Inputs {
		if a.Indexed {
			indexed = append(indexed, a)
		}
	}
	if len(lg.Topics) != len(indexed)+1 {
		return nil, fmt.Errorf("decode %s: %d topics, want %d", s.event.Name, len(lg.Topics), len(indexed)+1)
	}
	if err := abi.ParseTopicsIntoMap(m, indexed, lg.Topics[1:]); err != nil {
		return nil, fmt.Errorf("decode %s topics: %w", s.event.Name, err)
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = plain(reflect.ValueOf(v))
	}
	return out, nil
}

// plain converts ABI values to JSON-friendly ones: big integers become
// decimal strings, addresses checksummed hex, byte arrays 0x-hex, Go
// integers numbers, slices arrays, tuples objects.
func plain(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch x := v.Interface().(type) {
	case *big.Int:
		if x == nil {
			return nil
		}
		return x.String()
	case common.Address:
		return x.Hex()
	case common.Hash:
		return x.Hex()
	case []byte:
		return "0x" + hex.EncodeToString(x)
	case string, bool:
		return x
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if u := v.Uint(); u > 1<<53 {
			return strconv.FormatUint(u, 10)
		}
		return v.Uint()
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return "0x" + hex.EncodeToString(b)
		}
		fallthrough
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plain(v.Index(i))
		}
		return out
	case reflect.Struct:
		out := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			name := f.Tag.Get("json")
			if name == "" {
				name = f.Name
			}
			out[name] = plain(v.Field(i))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return plain(v.Elem())
	}
	return fmt.Sprint(v.Interface())
}
