package reconcile

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"go.yaml.in/yaml/v3"
)

// Mapping describes a legacy system's export: which column holds the
// record id, and which JSON pointer of the common schema each other
// column corresponds to. It is read from YAML or JSON:
//
//	name: acs                # the legacy system (reports say legacy:acs)
//	format: csv              # csv or json (default: from the file name)
//	id: entry_no             # the column with the record id
//	idPrefix: "urn:uuid:"    # prepended to every id (optional)
//	type: SensorReading      # optional: gateway records of this type missing from the export are reported
//	columns:
//	  sensor: /sensorId
//	  reading: /value
//	  country: /location/countryCode
type Mapping struct {
	Name      string            `yaml:"name" json:"name"`
	Format    string            `yaml:"format" json:"format"`
	ID        string            `yaml:"id" json:"id"`
	IDPrefix  string            `yaml:"idPrefix" json:"idPrefix"`
	Type      string            `yaml:"type" json:"type"`
	Delimiter string            `yaml:"delimiter" json:"delimiter"` // CSV only (default ",")
	Columns   map[string]string `yaml:"columns" json:"columns"`
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(path string) (Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Mapping{}, err
	}
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, fmt.Errorf("mapping %s: %w", path, err)
	}
	return m, m.check()
}

func (m *Mapping) check() error {
	var errs []error
	if m.Name == "" {
		m.Name = "legacy"
	}
	if m.ID == "" {
		errs = append(errs, errors.New("mapping: id (the column with the record id) is required"))
	}
	if len(m.Columns) == 0 {
		errs = append(errs, errors.New("mapping: columns (column: JSON pointer) is required"))
	}
	for col, p := range m.Columns {
		if !strings.HasPrefix(p, "/") {
			errs = append(errs, fmt.Errorf("mapping: column %s: %q is not a JSON pointer (it starts with /)", col, p))
		}
	}
	switch m.Format {
	case "", "csv", "json":
	default:
		errs = append(errs, fmt.Errorf("mapping: format %q: want csv or json", m.Format))
	}
	if len(m.Delimiter) > 1 {
		errs = append(errs, fmt.Errorf("mapping: delimiter %q: one character", m.Delimiter))
	}
	return errors.Join(errs...)
}

// LegacyRow is one record of a legacy export, by JSON pointer.
type LegacyRow struct {
	ID     string
	Line   int                        // line (CSV) or index (JSON) in the export
	Values map[string]json.RawMessage // pointer -> value (CSV cells are JSON strings)
}

// ReadLegacy reads an export (CSV with a header row; or JSON: an array of
// objects or one object per line) with a mapping. format "" uses the
// mapping's, else name's extension.
func ReadLegacy(r io.Reader, name string, m Mapping) ([]LegacyRow, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	format := m.Format
	if format == "" {
		format = "csv"
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".json" || ext == ".jsonl" || ext == ".ndjson" {
			format = "json"
		}
	}
	if format == "json" {
		return readLegacyJSON(r, m)
	}
	return readLegacyCSV(r, m)
}

func readLegacyCSV(r io.Reader, m Mapping) ([]LegacyRow, error) {
	cr := csv.NewReader(r)
	if m.Delimiter != "" {
		cr.Comma = rune(m.Delimiter[0])
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("legacy CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	idCol, ok := col[m.ID]
	if !ok {
		return nil, fmt.Errorf("legacy CSV: no id column %q (columns: %v)", m.ID, header)
	}
	for c := range m.Columns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("legacy CSV: mapped column %q is not in the header (%v)", c, header)
		}
	}
	var out []LegacyRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("legacy CSV: %w", err)
		}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := LegacyRow{ID: m.IDPrefix + cell(idCol), Line: line, Values: map[string]json.RawMessage{}}
		if cell(idCol) == "" {
			return nil, fmt.Errorf("legacy CSV line %d: empty id", line)
		}
		for c, p := range m.Columns {
			s, _ := json.Marshal(cell(col[c]))
			row.Values[p] = s
		}
		out = append(out, row)
	}
}

func readLegacyJSON(r io.Reader, m Mapping) ([]LegacyRow, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var objs []map[string]json.RawMessage
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(t, &objs); err != nil {
			return nil, fmt.Errorf("legacy JSON: %w", err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(b))
		for {
			var o map[string]json.RawMessage
			if err := dec.Decode(&o); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, fmt.Errorf("legacy JSON object %d: %w", len(objs)+1, err)
			}
			objs = append(objs, o)
		}
	}
	out := make([]LegacyRow, 0, len(objs))
	for i, o := range objs {
		var id any
		if err := json.Unmarshal(o[m.ID], &id); err != nil || id == nil || fmt.Sprint(id) == "" {
			return nil, fmt.Errorf("legacy JSON object %d: no id in %q", i+1, m.ID)
		}
		row := LegacyRow{ID: m.IDPrefix + fmt.Sprint(id), Line: i + 1, Values: map[string]json.RawMessage{}}
		for c, p := range m.Columns {
			v, ok := o[c]
			if !ok {
				v = json.RawMessage("null")
			}
			row.Values[p] = v
		}
		out = append(out, row)
	}
	return out, nil
}

// LegacyOptions tune CompareLegacy.
type LegacyOptions struct {
	// Ledgers also compares the export with every ledger copy that holds
	// content (full or redacted), on the fields that copy holds.
	Ledgers bool
	// MissingFromExport reports gateway records (of the mapping's type,
	// when set) that the export lacks. It scans every record.
	MissingFromExport bool
	Progress          func(done int)
}

// CompareLegacy compares a legacy export with the gateway's current
// versions (side "gateway") and, with opts.Ledgers, with each ledger's
// copy. A finding's Fields carry the legacy value as Expected and the
// gateway's or ledger's as Found; Ledger names the side compared. Legacy
// findings are reported, not persisted.
func (e *Engine) CompareLegacy(ctx context.Context, rows []LegacyRow, m Mapping, opts LegacyOptions) (*Report, error) {
	rep := newReport("legacy:"+m.Name, e.cfg.Now().UTC())
	ids := map[string]bool{}
	for i, row := range rows {
		if ids[row.ID] {
			rep.add([]Finding{{RecordID: row.ID, Ledger: "gateway", Verdict: Unverifiable, Reason: fmt.Sprintf("the export repeats id %s (line %d)", row.ID, row.Line)}}, false)
			continue
		}
		ids[row.ID] = true
		it, err := e.cfg.Source.Item(ctx, row.ID)
		var fs []Finding
		switch {
		case errors.Is(err, store.ErrNotFound):
			fs = []Finding{{RecordID: row.ID, Ledger: "gateway", Verdict: Missing, Reason: fmt.Sprintf("in the %s export (line %d), not in the gateway", m.Name, row.Line)}}
		case err != nil:
			return rep, err
		default:
			f := Finding{RecordID: row.ID, Ledger: "gateway", Partner: it.Version.Partner, Expected: it.Version.Digest, Found: it.Version.Digest}
			f.Fields = compareLegacy(row, it.Version.Canonical, false)
			f.Verdict = Consistent
			if len(f.Fields) > 0 {
				f.Verdict, f.Reason = Divergent, fmt.Sprintf("%d mapped field(s) differ from the %s export (line %d)", len(f.Fields), m.Name, row.Line)
			}
			fs = append(fs, f)
			if opts.Ledgers {
				fs = append(fs, e.legacyLedgers(ctx, row, it, m)...)
			}
		}
		rep.add(fs, false)
		if opts.Progress != nil && (i+1)%1000 == 0 {
			opts.Progress(i + 1)
		}
	}
	if opts.MissingFromExport {
		err := e.cfg.Source.Scan(ctx, 0, func(items []Item) error {
			for _, it := range items {
				if ids[it.Version.RecordID] || (m.Type != "" && it.Version.Type != m.Type) {
					continue
				}
				rep.add([]Finding{{RecordID: it.Version.RecordID, Ledger: "gateway", Partner: it.Version.Partner, Expected: it.Version.Digest, Found: it.Version.Digest,
					Verdict: Missing, Reason: "in the gateway, not in the " + m.Name + " export"}}, false)
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	if opts.Progress != nil {
		opts.Progress(len(rows))
	}
	rep.Finished = e.cfg.Now().UTC()
	return rep, nil
}

func (e *Engine) legacyLedgers(ctx context.Context, row LegacyRow, it Item, m Mapping) []Finding {
	var out []Finding
	for _, d := range it.Deliveries {
		a, ok := e.cfg.Ledgers[d.Ledger]
		if !ok || d.Policy.Disclosure == adapters.DisclosureDigest {
			continue
		}
		f := Finding{RecordID: row.ID, Ledger: d.Ledger, Partner: it.Version.Partner, Expected: it.Version.Digest, Disclosure: d.Policy.Disclosure}
		entry, err := a.Read(ctx, row.ID)
		switch {
		case errors.Is(err, adapters.ErrNotFound):
			f.Verdict, f.Reason = Missing, "the ledger holds no version"
		case err != nil:
			f.Verdict, f.Reason = Unverifiable, "reading the ledger: "+err.Error()
		case len(entry.Content) == 0:
			continue
		default:
			f.Found, f.Disclosure = entry.Digest, entry.Disclosure
			f.Fields = compareLegacy(row, entry.Content, entry.Disclosure != adapters.DisclosureFull)
			f.Verdict = Consistent
			if len(f.Fields) > 0 {
				f.Verdict, f.Reason = Divergent, fmt.Sprintf("%d mapped field(s) on the ledger differ from the %s export (line %d)", len(f.Fields), m.Name, row.Line)
			}
		}
		out = append(out, f)
	}
	return out
}

// compareLegacy compares a row's mapped values with a document. With
// onlyPresent, pointers the document lacks are skipped (redacted copies).
func compareLegacy(row LegacyRow, doc []byte, onlyPresent bool) []store.FieldDiff {
	var root any
	if decode(doc, &root) != nil {
		return []store.FieldDiff{{Pointer: "", Found: raw(doc)}}
	}
	ptrs := make([]string, 0, len(row.Values))
	for p := range row.Values {
		ptrs = append(ptrs, p)
	}
	slices.Sort(ptrs)
	var out []store.FieldDiff
	for _, p := range ptrs {
		want := row.Values[p]
		got, ok := lookup(root, p)
		if !ok && onlyPresent {
			continue
		}
		var w any
		if decode(want, &w) != nil {
			w = string(want)
		}
		if ok && legacyEqual(w, got) {
			continue
		}
		if !ok && (w == nil || w == "") {
			continue // empty cell, absent field
		}
		d := store.FieldDiff{Pointer: p, Expected: want}
		if ok {
			d.Found = marshal(got)
		}
		out = append(out, d)
	}
	return out
}

// legacyEqual compares a legacy value with a record's: exactly, or as
// text when one side is a string (CSV cells are strings), numbers by value.
func legacyEqual(legacy, v any) bool {
	if scalarEqual(legacy, v) {
		return true
	}
	ls, isStr := legacy.(string)
	if !isStr {
		// A legacy number or boolean against a record's string (the
		// schema writes exact decimals as strings).
		vs, ok := v.(string)
		switch l := legacy.(type) {
		case json.Number:
			return ok && scalarEqual(l, json.Number(vs))
		case bool:
			return ok && vs == strconv.FormatBool(l)
		}
		return false
	}
	switch x := v.(type) {
	case string:
		return ls == x
	case json.Number:
		return scalarEqual(json.Number(ls), x)
	case bool:
		return ls == strconv.FormatBool(x)
	case nil:
		return ls == ""
	}
	return false
}

// lookup resolves an RFC 6901 JSON pointer.
func lookup(root any, ptr string) (any, bool) {
	if ptr == "" {
		return root, true
	}
	cur := root
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
