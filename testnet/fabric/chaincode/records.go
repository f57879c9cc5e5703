package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/ledgergate/ledgergate/schema"
)

// EventName is the name of the chaincode event every record write emits.
const EventName = "RecordWritten"

// Disclosure modes, as in ledgergate's adapters package.
const (
	DisclosureFull     = "full"
	DisclosureRedacted = "redacted"
	DisclosureDigest   = "digest"
)

// Composite-key object types of the world state (LevelDB; no CouchDB
// queries are needed).
const (
	keyHead    = "lg.head"    // [id] -> Head: the current version of a record
	keyVersion = "lg.version" // [id, digest] -> Version: one version, write-once
	keyIndex   = "lg.ti"      // [type, issuer, id] -> 0x00: query index
	keyBench   = "lg.bench"   // [key] -> value: trivial puts for raw throughput
)

// Error prefixes the adapter maps to its rejection reasons. Any other
// chaincode error is a bug or a transient fault.
const (
	errConflict = "LG_CONFLICT"
	errInvalid  = "LG_INVALID"
	errPolicy   = "LG_POLICY"
	errTooLarge = "LG_TOO_LARGE"
)

// MaxContent is the largest disclosed payload the chaincode stores.
const MaxContent = schema.DefaultMaxSize

// Version is one version of a record as the ledger holds it.
type Version struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Issuer     string `json:"issuer"`
	Digest     string `json:"digest"`
	Supersedes string `json:"supersedes,omitempty"`
	Disclosure string `json:"disclosure"`
	// Content is the canonical record (full), the canonical redacted
	// record (redacted) or empty (digest).
	Content string `json:"content,omitempty"`
	// TxID is the transaction that wrote this version; Time its
	// client timestamp (RFC 3339, UTC).
	TxID string `json:"txId"`
	Time string `json:"time"`
	// Creator is the MSP id of the submitting client.
	Creator string `json:"creator"`
}

// Head points at the current version of a record.
type Head struct {
	Digest string `json:"digest"`
	TxID   string `json:"txId"`
}

// Event is the payload of the RecordWritten chaincode event.
type Event struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Issuer     string `json:"issuer"`
	Digest     string `json:"digest"`
	Supersedes string `json:"supersedes,omitempty"`
	Disclosure string `json:"disclosure"`
}

// Lookup is the answer of Lookup: the current version of an id and the
// asked-for version, each nil when absent.
type Lookup struct {
	Head    *Version `json:"head"`
	Version *Version `json:"version"`
}

// QueryPage is one page of Query results.
type QueryPage struct {
	Records  []*Version `json:"records"`
	Bookmark string     `json:"bookmark"`
}

// RecordsContract is the ledgergate records chaincode.
type RecordsContract struct {
	contractapi.Contract
	reg *schema.Registry
}

// Put stores a version of a common-schema record and returns it (JSON).
//
// disclosure says what content is: "full" (the canonical record, which
// the chaincode validates with ledgergate's schema package, recomputing
// the digest and checking the envelope arguments against it), "redacted"
// (a canonical redacted record whose envelope fields must match) or
// "digest" (empty). A version the ledger already holds is returned as it
// is, without a write. A new digest for an existing id is refused unless
// supersedes names the current version's digest.
func (c *RecordsContract) Put(ctx contractapi.TransactionContextInterface, disclosure, id, typ, issuer, digest, supersedes, content string) (string, error) {
	if err := c.check(disclosure, id, typ, issuer, digest, supersedes, content); err != nil {
		return "", err
	}
	stub := ctx.GetStub()
	if old, err := getVersion(stub, id, digest); err != nil {
		return "", err
	} else if old != nil {
		return marshal(old) // same id and digest: nothing to write
	}
	head, err := getHead(stub, id)
	if err != nil {
		return "", err
	}
	switch {
	case head != nil && supersedes != head.Digest:
		return "", fmt.Errorf("%s: record %s is held with digest %s; a new version must supersede it (supersedes is %q)", errConflict, id, head.Digest, supersedes)
	case head == nil && supersedes != "":
		return "", fmt.Errorf("%s: record %s supersedes %s, but the ledger holds no version of it", errConflict, id, supersedes)
	}
	if head != nil {
		prev, err := getVersion(stub, id, head.Digest)
		if err != nil {
			return "", err
		}
		if prev != nil && prev.Type != typ {
			return "", fmt.Errorf("%s: record %s is held as type %s, not %s", errConflict, id, prev.Type, typ)
		}
	}
	ts, err := stub.GetTxTimestamp()
	if err != nil {
		return "", err
	}
	mspID, err := ctx.GetClientIdentity().GetMSPID()
	if err != nil {
		return "", err
	}
	v := &Version{
		ID: id, Type: typ, Issuer: issuer, Digest: digest, Supersedes: supersedes,
		Disclosure: disclosure, Content: content, TxID: stub.GetTxID(),
		Time: ts.AsTime().UTC().Format(time.RFC3339Nano), Creator: mspID,
	}
	if err := putJSON(stub, keyVersion, []string{id, digest}, v); err != nil {
		return "", err
	}
	if err := putJSON(stub, keyHead, []string{id}, &Head{Digest: digest, TxID: v.TxID}); err != nil {
		return "", err
	}
	if head == nil {
		k, err := stub.CreateCompositeKey(keyIndex, []string{typ, issuer, id})
		if err != nil {
			return "", err
		}
		if err := stub.PutState(k, []byte{0}); err != nil {
			return "", err
		}
	}
	ev, err := json.Marshal(Event{ID: id, Type: typ, Issuer: issuer, Digest: digest, Supersedes: supersedes, Disclosure: disclosure})
	if err != nil {
		return "", err
	}
	if err := stub.SetEvent(EventName, ev); err != nil {
		return "", err
	}
	return marshal(v)
}

// check validates Put's arguments without touching the ledger.
func (c *RecordsContract) check(disclosure, id, typ, issuer, digest, supersedes, content string) error {
	if id == "" || typ == "" || issuer == "" {
		return fmt.Errorf("%s: id, type and issuer are required", errInvalid)
	}
	if _, err := schema.ParseDigest(digest); err != nil {
		return fmt.Errorf("%s: digest: %v", errInvalid, err)
	}
	if supersedes != "" {
		if _, err := schema.ParseDigest(supersedes); err != nil {
			return fmt.Errorf("%s: supersedes: %v", errInvalid, err)
		}
	}
	if len(content) > MaxContent {
		return fmt.Errorf("%s: content is %d bytes; limit %d", errTooLarge, len(content), MaxContent)
	}
	switch disclosure {
	case DisclosureFull:
		rec, err := c.reg.Validate([]byte(content))
		if err != nil {
			return fmt.Errorf("%s: record %s: %v", errInvalid, id, err)
		}
		if string(rec.Canonical) != content {
			return fmt.Errorf("%s: record %s: content is not in canonical form", errInvalid, id)
		}
		if string(rec.Digest) != digest {
			return fmt.Errorf("%s: record %s: digest %s does not match the content (%s)", errInvalid, id, digest, rec.Digest)
		}
		return checkEnvelope(id, typ, issuer, supersedes, rec.ID, rec.Type, rec.Issuer.ID, string(rec.Supersedes))
	case DisclosureRedacted:
		canon, err := schema.Canonicalize([]byte(content))
		if err != nil || string(canon) != content {
			return fmt.Errorf("%s: record %s: redacted content is not canonical JSON", errInvalid, id)
		}
		var env struct {
			ID         string              `json:"id"`
			Type       string              `json:"type"`
			Issuer     struct{ ID string } `json:"issuer"`
			Supersedes string              `json:"supersedes"`
		}
		if err := json.Unmarshal(canon, &env); err != nil {
			return fmt.Errorf("%s: record %s: redacted content: %v", errInvalid, id, err)
		}
		if _, ok := c.reg.Lookup(typ); !ok {
			return fmt.Errorf("%s: record %s: unknown type %q", errInvalid, id, typ)
		}
		return checkEnvelope(id, typ, issuer, supersedes, env.ID, env.Type, env.Issuer.ID, env.Supersedes)
	case DisclosureDigest:
		if content != "" {
			return fmt.Errorf("%s: record %s: digest-only disclosure with content", errPolicy, id)
		}
		if _, ok := c.reg.Lookup(typ); !ok {
			return fmt.Errorf("%s: record %s: unknown type %q", errInvalid, id, typ)
		}
		return nil
	default:
		return fmt.Errorf("%s: unknown disclosure %q (want full, redacted or digest)", errPolicy, disclosure)
	}
}

func checkEnvelope(id, typ, issuer, supersedes, cid, ctyp, cissuer, csupersedes string) error {
	if id != cid || typ != ctyp || issuer != cissuer || supersedes != csupersedes {
		return fmt.Errorf("%s: record %s: the envelope arguments (id %q type %q issuer %q supersedes %q) do not match the content (%q %q %q %q)",
			errInvalid, id, id, typ, issuer, supersedes, cid, ctyp, cissuer, csupersedes)
	}
	return nil
}

// Get returns the current version of a record (JSON), or "" when the
// ledger holds none.
func (c *RecordsContract) Get(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	v, err := current(ctx.GetStub(), id)
	if err != nil || v == nil {
		return "", err
	}
	return marshal(v)
}

// GetVersion returns one version of a record (JSON), or "" when the
// ledger does not hold it.
func (c *RecordsContract) GetVersion(ctx contractapi.TransactionContextInterface, id, digest string) (string, error) {
	v, err := getVersion(ctx.GetStub(), id, digest)
	if err != nil || v == nil {
		return "", err
	}
	return marshal(v)
}

// Lookup returns the current version of a record and the version with
// the given digest (either may be null), in one call: what a writer
// checks before submitting.
func (c *RecordsContract) Lookup(ctx contractapi.TransactionContextInterface, id, digest string) (string, error) {
	stub := ctx.GetStub()
	var l Lookup
	var err error
	if l.Head, err = current(stub, id); err != nil {
		return "", err
	}
	if l.Head != nil && l.Head.Digest == digest {
		l.Version = l.Head
	} else if digest != "" {
		if l.Version, err = getVersion(stub, id, digest); err != nil {
			return "", err
		}
	}
	return marshal(&l)
}

// History returns every version of a record in ledger order (JSON array,
// oldest first), from the ledger's history of the record's head key.
func (c *RecordsContract) History(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	stub := ctx.GetStub()
	k, err := stub.CreateCompositeKey(keyHead, []string{id})
	if err != nil {
		return "", err
	}
	it, err := stub.GetHistoryForKey(k)
	if err != nil {
		return "", err
	}
	defer it.Close()
	out := []*Version{}
	for it.HasNext() {
		m, err := it.Next()
		if err != nil {
			return "", err
		}
		if m.IsDelete {
			continue
		}
		var h Head
		if err := json.Unmarshal(m.Value, &h); err != nil {
			return "", err
		}
		v, err := getVersion(stub, id, h.Digest)
		if err != nil {
			return "", err
		}
		if v != nil {
			out = append(out, v)
		}
	}
	// GetHistoryForKey yields newest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return marshal(out)
}

// Query returns the current versions of the records of a type, optionally
// of one issuer, a page at a time (pageSize 1 to 1000; bookmark "" for the
// first page, then the bookmark of the previous page).
func (c *RecordsContract) Query(ctx contractapi.TransactionContextInterface, typ, issuer string, pageSize int, bookmark string) (string, error) {
	if typ == "" {
		return "", fmt.Errorf("%s: type is required", errInvalid)
	}
	if pageSize < 1 || pageSize > 1000 {
		pageSize = 100
	}
	attrs := []string{typ}
	if issuer != "" {
		attrs = append(attrs, issuer)
	}
	stub := ctx.GetStub()
	it, meta, err := stub.GetStateByPartialCompositeKeyWithPagination(keyIndex, attrs, int32(pageSize), bookmark)
	if err != nil {
		return "", err
	}
	defer it.Close()
	page := QueryPage{Records: []*Version{}, Bookmark: meta.GetBookmark()}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return "", err
		}
		_, parts, err := stub.SplitCompositeKey(kv.Key)
		if err != nil || len(parts) != 3 {
			return "", fmt.Errorf("index key %q: %v", kv.Key, err)
		}
		v, err := current(stub, parts[2])
		if err != nil {
			return "", err
		}
		if v != nil {
			page.Records = append(page.Records, v)
		}
	}
	return marshal(&page)
}

// BenchPut stores value under key with nothing else: the raw cost of one
// transaction, for comparing the adapter's overhead against.
func (c *RecordsContract) BenchPut(ctx contractapi.TransactionContextInterface, key, value string) error {
	k, err := ctx.GetStub().CreateCompositeKey(keyBench, []string{key})
	if err != nil {
		return err
	}
	return ctx.GetStub().PutState(k, []byte(value))
}

func current(stub shim.ChaincodeStubInterface, id string) (*Version, error) {
	h, err := getHead(stub, id)
	if err != nil || h == nil {
		return nil, err
	}
	v, err := getVersion(stub, id, h.Digest)
	if err == nil && v == nil {
		err = fmt.Errorf("record %s: head %s has no version entry", id, h.Digest)
	}
	return v, err
}

func getHead(stub shim.ChaincodeStubInterface, id string) (*Head, error) {
	var h Head
	ok, err := getJSON(stub, keyHead, []string{id}, &h)
	if !ok {
		return nil, err
	}
	return &h, nil
}

func getVersion(stub shim.ChaincodeStubInterface, id, digest string) (*Version, error) {
	var v Version
	ok, err := getJSON(stub, keyVersion, []string{id, digest}, &v)
	if !ok {
		return nil, err
	}
	return &v, nil
}

func getJSON(stub shim.ChaincodeStubInterface, kind string, attrs []string, v any) (bool, error) {
	k, err := stub.CreateCompositeKey(kind, attrs)
	if err != nil {
		return false, err
	}
	b, err := stub.GetState(k)
	if err != nil || b == nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("state %q: %w", k, err)
	}
	return true, nil
}

func putJSON(stub shim.ChaincodeStubInterface, kind string, attrs []string, v any) error {
	k, err := stub.CreateCompositeKey(kind, attrs)
	if err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return stub.PutState(k, b)
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", errors.New("marshal: " + err.Error())
	}
	return string(b), nil
}
