// Command bodydict writes a dictionary for compressing stored record
// bodies (sqlstore/body.go): the canonical skeletons of the schema's
// shipped examples, every string emptied and every number zeroed, so
// that it holds the member names and the structure every record of a
// type shares and none of the examples' values. It made
// bodydict-v1.s2dict:
//
//	go run ./gateway/store/sqlstore/internal/bodydict -o gateway/store/sqlstore/bodydict-v1.s2dict
//
// A dictionary in use never changes (stored bodies need it to be read):
// a new one gets a new file, body tag and name.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/klauspost/compress/s2"
	"github.com/ledgergate/ledgergate/schema"
)

func main() {
	out := flag.String("o", "", "file to write the dictionary to")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "bodydict: -o FILE is required")
		os.Exit(2)
	}
	var data []byte
	for _, e := range schema.Examples() {
		var doc any
		if err := json.Unmarshal(e.Data, &doc); err != nil {
			fail(fmt.Errorf("%s: %w", e.File, err))
		}
		b, err := json.Marshal(skeleton(doc))
		if err != nil {
			fail(err)
		}
		c, err := schema.Canonicalize(b)
		if err != nil {
			fail(fmt.Errorf("%s: %w", e.File, err))
		}
		data = append(data, c...)
	}
	// Every canonical record starts with `{"`: the encoder's first repeat
	// offset points at its last occurrence.
	d := s2.MakeDict(data, []byte(`{"`))
	if d == nil {
		fail(fmt.Errorf("%d bytes of skeletons make no dictionary (%d to %d bytes)", len(data), s2.MinDictSize, s2.MaxDictSize))
	}
	if err := os.WriteFile(*out, d.Bytes(), 0o644); err != nil {
		fail(err)
	}
}

// skeleton empties the strings and zeroes the numbers of a decoded JSON
// document.
func skeleton(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = skeleton(e)
		}
	case []any:
		for i, e := range x {
			x[i] = skeleton(e)
		}
	case string:
		return ""
	case float64:
		return 0
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bodydict:", err)
	os.Exit(1)
}
