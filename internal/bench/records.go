package bench

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"

	"github.com/ledgergate/ledgergate/schema"
)

// records makes distinct certificates by rewriting, in place, the id of
// the complete example (ids have a fixed length) and the digits of its HS
// codes.
type records struct {
	tmpl []byte
	at   int
	hs   []hsSpan // the HS code values in tmpl
	n    atomic.Uint64
	salt string
	// sequential: ids in increasing order instead of scattered.
	sequential bool
	// sameCodes: every record keeps the example's HS codes.
	sameCodes bool
}

// hsSpan is where an HS code sits in the template, and the pool its
// replacements come from: codes 0, step, 2·step... (pool of them).
type hsSpan struct {
	at, n      int
	pool, step uint64
}

// hsPool is how many distinct codes of each length the records draw from:
// about the number of HS subheadings (6 digits) and of tariff lines in a
// national schedule such as the US HTS (8 and 10 digits).
var hsPool = map[int]uint64{6: 5600, 8: 12000, 10: 19000}

func newRecords() (*records, error) {
	b, err := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	if err != nil {
		return nil, err
	}
	// Drop the supersedes link: every record is a first version.
	rec, err := schema.Default().Validate(b)
	if err != nil {
		return nil, err
	}
	doc := rec.Fields()
	delete(doc, "supersedes")
	canon, err := schema.Canonicalize(mustJSON(doc))
	if err != nil {
		return nil, err
	}
	i := bytes.Index(canon, []byte(rec.ID))
	var hs []hsSpan
	member := []byte(`"hsCode":"`)
	for j := 0; ; {
		k := bytes.Index(canon[j:], member)
		if k < 0 {
			break
		}
		start := j + k + len(member)
		end := start + bytes.IndexByte(canon[start:], '"')
		n := end - start
		pool := hsPool[n]
		if pool == 0 {
			return nil, fmt.Errorf("bench: template HS code %q: no pool of %d-digit codes", canon[start:end], n)
		}
		space := uint64(1)
		for range n {
			space *= 10
		}
		hs = append(hs, hsSpan{at: start, n: n, pool: pool, step: space / pool})
		j = end
	}
	var salt [2]byte
	_, _ = rand.Read(salt[:])
	return &records{tmpl: canon, at: i, hs: hs, salt: hex.EncodeToString(salt[:])}, nil
}

const idLen = len("urn:uuid:3f0c6a1e-8b1d-4c53-9a7e-2d5b8f9c1a01")

// next returns a fresh record body, its id and its HS codes.
func (r *records) next() (string, []byte, []string) {
	seq := r.n.Add(1)
	n := uint32(seq)
	if !r.sequential {
		// Partners' ids are random (UUID v4), so their index entries land
		// anywhere in the B-tree: multiplying by an odd constant modulo
		// 2^32 scatters consecutive numbers and never repeats one.
		n *= 0x9E3779B1
	}
	b := bytes.Clone(r.tmpl)
	// urn:uuid:xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx: rewrite the last group.
	copy(b[r.at+len("urn:uuid:3f0c6a1e-8b1d-4c53-9a7e-"):], fmt.Sprintf("%s%08x", r.salt, n))
	hs := make([]string, len(r.hs))
	for k, sp := range r.hs {
		if !r.sameCodes {
			// Records name many different goods: draw each code from a
			// pool of realistic size, spread over the whole code space.
			code := splitmix(seq*uint64(len(r.hs))+uint64(k)) % sp.pool
			copy(b[sp.at:], fmt.Sprintf("%0*d", sp.n, code*sp.step))
		}
		hs[k] = string(b[sp.at : sp.at+sp.n])
	}
	return string(b[r.at : r.at+idLen]), b, hs
}

// splitmix is SplitMix64's output function: a fixed scramble of x.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

func (r *records) body() []byte {
	_, b, _ := r.next()
	return b
}
