package reconcile

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Report files WriteReport writes.
const (
	ReportJSON = "reconcile.json"
	ReportCSV  = "reconcile.csv"
	ReportHTML = "reconcile.html"
)

// WriteReport writes the report as JSON, CSV (one row per field
// difference, or per finding without one) and one self-contained HTML page
// (inline CSS and SVG, no external assets) into dir, creating it.
func WriteReport(dir string, rep *Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []string
	for name, write := range map[string]func(io.Writer, *Report) error{ReportJSON: WriteJSON, ReportCSV: WriteCSV, ReportHTML: WriteHTML} {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return out, err
		}
		bw := bufio.NewWriter(f)
		err = write(bw, rep)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, path)
	}
	slices.Sort(out)
	return out, nil
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteCSV writes one row per field difference (or per finding without
// field differences).
func WriteCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"record_id", "ledger", "verdict", "version", "expected_digest", "found_digest", "disclosure", "pointer", "expected_value", "found_value", "reason"})
	for _, f := range rep.Findings {
		base := []string{f.RecordID, f.Ledger, string(f.Verdict), f.Version, string(f.Expected), string(f.Found), string(f.Disclosure)}
		if len(f.Fields) == 0 {
			_ = cw.Write(append(base, "", "", "", f.Reason))
			continue
		}
		for _, d := range f.Fields {
			_ = cw.Write(append(slices.Clone(base), d.Pointer, string(d.Expected), string(d.Found), f.Reason))
		}
	}
	cw.Flush()
	return cw.Error()
}

// verdictColors colours the chart.
var verdictColors = map[Verdict]string{Consistent: "#2e7d32", Pending: "#90a4ae", Unverifiable: "#f9a825", Missing: "#ef6c00", Divergent: "#c62828"}

var verdictOrder = []Verdict{Consistent, Pending, Unverifiable, Missing, Divergent}

type bar struct {
	Label string
	Y     int
	Segs  []seg
	Total int
}

type seg struct {
	X, W  float64
	Color string
	Title string
}

// chart lays out one horizontal stacked bar per ledger (and one for all
// records) by verdict.
func chart(rep *Report) (bars []bar, height int) {
	const width = 560.0
	add := func(label string, counts map[Verdict]int) {
		total := 0
		for _, n := range counts {
			total += n
		}
		b := bar{Label: label, Y: 10 + len(bars)*34, Total: total}
		x := 0.0
		for _, v := range verdictOrder {
			n := counts[v]
			if n == 0 || total == 0 {
				continue
			}
			w := width * float64(n) / float64(total)
			b.Segs = append(b.Segs, seg{X: x, W: max(w, 1), Color: verdictColors[v], Title: fmt.Sprintf("%s: %d %s", label, n, v)})
			x += w
		}
		bars = append(bars, b)
	}
	add("all records", rep.RecordVerdicts)
	names := make([]string, 0, len(rep.Ledgers))
	for n := range rep.Ledgers {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		add(n, rep.Ledgers[n])
	}
	return bars, 20 + len(bars)*34
}

// htmlLimit caps the findings listed in the HTML page (the JSON and CSV
// have all of them).
const htmlLimit = 2000

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"count": func(m map[Verdict]int, v Verdict) int { return m[v] },
	"str":   func(b []byte) string { return string(b) },
	"color": func(v Verdict) string { return verdictColors[v] },
	"num":   func(n int) string { return strconv.Itoa(n) },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ledgergate reconciliation — {{.R.Mode}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}code{font-size:12px;word-break:break-all}.v{color:#fff;padding:0 .4em;border-radius:3px}
.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
</style></head><body>
<h1>Reconciliation report</h1>
<p>Mode <b>{{.R.Mode}}</b>, started {{.R.Started.Format "2006-01-02 15:04:05Z07:00"}}, finished {{.R.Finished.Format "2006-01-02 15:04:05Z07:00"}}.
{{.R.Records}} records, {{.R.Checks}} record × ledger checks. Discrepancies opened {{.R.Opened}}, resolved {{.R.Resolved}}.</p>
<table><tr><th>verdict</th><th>records</th><th>checks</th></tr>
{{range .Order}}<tr><td><span class="v" style="background:{{color .}}">{{.}}</span></td><td>{{count $.R.RecordVerdicts .}}</td><td>{{count $.R.CheckVerdicts .}}</td></tr>
{{end}}</table>
<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{{.Height}}" role="img" aria-label="verdicts per ledger">
{{range .Bars}}<text x="0" y="{{.Y}}" dy="17" font-size="13">{{.Label}}</text>
<g transform="translate(180,{{.Y}})">{{range .Segs}}<rect x="{{.X}}" y="0" width="{{.W}}" height="24" fill="{{.Color}}"><title>{{.Title}}</title></rect>{{end}}</g>
<text x="748" y="{{.Y}}" dy="17" font-size="12" text-anchor="end">{{num .Total}}</text>
{{end}}</svg>
<p class="legend">{{range .Order}}<span><i style="background:{{color .}}"></i>{{.}}</span>{{end}}</p>
<h2>Findings{{if .Truncated}} (first {{.Limit}} of {{len .R.Findings}}; see reconcile.json){{end}}</h2>
{{if not .Findings}}<p>None: every checked copy is consistent.</p>{{else}}
<table><tr><th>record</th><th>ledger</th><th>verdict</th><th>digests</th><th>fields (expected → found)</th><th>reason</th></tr>
{{range .Findings}}<tr><td><code>{{.RecordID}}</code></td><td>{{.Ledger}}</td><td><span class="v" style="background:{{color .Verdict}}">{{.Verdict}}</span>{{if .Version}}<br>{{.Version}} version{{end}}</td>
<td><code>expected {{.Expected}}</code>{{if .Found}}<br><code>found {{.Found}}</code>{{end}}</td>
<td>{{range .Fields}}<code>{{.Pointer}}</code>: <code>{{str .Expected}}</code> → <code>{{str .Found}}</code><br>{{end}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`))

// WriteHTML writes the self-contained HTML page.
func WriteHTML(w io.Writer, rep *Report) error {
	bars, height := chart(rep)
	fs := rep.Findings
	if len(fs) > htmlLimit {
		fs = fs[:htmlLimit]
	}
	return page.Execute(w, map[string]any{
		"R": rep, "Order": verdictOrder, "Bars": bars, "Height": height,
		"Findings": fs, "Truncated": len(rep.Findings) > htmlLimit, "Limit": htmlLimit,
	})
}

// Summary is a one-paragraph text summary for terminals and logs.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s reconciliation: %d records, %d checks in %v", r.Mode, r.Records, r.Checks, r.Finished.Sub(r.Started).Round(1e6))
	for _, v := range verdictOrder {
		if n := r.RecordVerdicts[v]; n > 0 {
			fmt.Fprintf(&b, "; %d %s", n, v)
		}
	}
	if r.Opened+r.Resolved > 0 {
		fmt.Fprintf(&b, "; discrepancies opened %d, resolved %d", r.Opened, r.Resolved)
	}
	return b.String()
}
