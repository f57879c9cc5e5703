package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

func example(t *testing.T) *schema.Record {
	t.Helper()
	b, err := schema.ExampleOf(schema.TypeSensorReading, "complete")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "supersedes")
	b, _ = json.Marshal(doc)
	rec, err := schema.Default().Validate(b)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestCheck covers Put's argument checks, which run before any state is
// read: what the chaincode accepts and refuses under each disclosure.
func TestCheck(t *testing.T) {
	c := &RecordsContract{reg: schema.Default()}
	rec := example(t)
	id, typ, iss, d := rec.ID, rec.Type, rec.Issuer.ID, string(rec.Digest)
	redacted, err := schema.Canonicalize([]byte(`{"id":"` + id + `","issuer":{"id":"` + iss + `","role":"x"},"type":"` + typ + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	ok := [][]string{
		{"full", id, typ, iss, d, "", string(rec.Canonical)},
		{"redacted", id, typ, iss, d, "", string(redacted)},
		{"digest", id, typ, iss, d, "", ""},
	}
	for _, a := range ok {
		if err := c.check(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); err != nil {
			t.Errorf("check(%s) = %v", a[0], err)
		}
	}
	other := string(schema.DigestOf([]byte("x")))
	bad := map[string]struct {
		args []string
		code string
	}{
		"digest mismatch":       {[]string{"full", id, typ, iss, other, "", string(rec.Canonical)}, errInvalid},
		"envelope mismatch":     {[]string{"full", "urn:uuid:other", typ, iss, d, "", string(rec.Canonical)}, errInvalid},
		"supersedes mismatch":   {[]string{"full", id, typ, iss, d, other, string(rec.Canonical)}, errInvalid},
		"not canonical":         {[]string{"full", id, typ, iss, d, "", string(rec.Canonical) + " "}, errInvalid},
		"redacted not canon":    {[]string{"redacted", id, typ, iss, d, "", " " + string(redacted)}, errInvalid},
		"redacted other issuer": {[]string{"redacted", id, typ, "urn:other", d, "", string(redacted)}, errInvalid},
		"digest with content":   {[]string{"digest", id, typ, iss, d, "", "{}"}, errPolicy},
		"unknown type":          {[]string{"digest", id, "Nope", iss, d, "", ""}, errInvalid},
		"malformed digest":      {[]string{"digest", id, typ, iss, "sha256:XYZ", "", ""}, errInvalid},
		"missing issuer":        {[]string{"digest", id, typ, "", d, "", ""}, errInvalid},
		"unknown disclosure":    {[]string{"all", id, typ, iss, d, "", ""}, errPolicy},
		"too large":             {[]string{"full", id, typ, iss, d, "", strings.Repeat(" ", MaxContent+1)}, errTooLarge},
	}
	for name, b := range bad {
		a := b.args
		err := c.check(a[0], a[1], a[2], a[3], a[4], a[5], a[6])
		if err == nil || !strings.HasPrefix(err.Error(), b.code+":") {
			t.Errorf("%s: check = %v, want %s", name, err, b.code)
		}
	}
}
