package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/spf13/cobra"
)

// client talks to a running gateway.
type client struct {
	base string
	key  string
	http *http.Client
}

func (a *app) client() (*client, error) {
	base := a.url
	if base == "" {
		base = getenv("LEDGERGATE_URL")
	}
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	key := a.apiKey
	if key == "" {
		key = getenv("LEDGERGATE_API_KEY")
	}
	if key == "" {
		return nil, usageErr("no API key: set --api-key or LEDGERGATE_API_KEY")
	}
	return &client{base: strings.TrimSuffix(base, "/"), key: key, http: &http.Client{Timeout: time.Minute}}, nil
}

// do sends a request and returns the status and body; a problem+json
// answer becomes an error that prints its violations.
//
// A 503 answer with Retry-After (the gateway was overloaded and accepted
// nothing) is sent again after that delay, up to overloadRetries times:
// submissions are idempotent (the same record again is answered 200), so
// sending again is always safe.
func (c *client) do(method, path string, body []byte) (int, []byte, error) {
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
		if err != nil {
			return 0, nil, usageErr("%v", err)
		}
		req.Header.Set("Authorization", "Bearer "+c.key)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := c.http.Do(req)
		if err != nil {
			return 0, nil, &exitError{code: exitUsage, err: fmt.Errorf("gateway at %s: %w", c.base, err)}
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return 0, nil, err
		}
		if wait, ok := retryAfter(res); ok && attempt < overloadRetries {
			time.Sleep(wait)
			continue
		}
		return answer(res, b)
	}
}

// overloadRetries bounds how often do sends a request again after a 503
// with Retry-After.
const overloadRetries = 5

// retryAfter returns the delay a 503 answer asks for (Retry-After in
// seconds, at most a minute).
func retryAfter(res *http.Response) (time.Duration, bool) {
	if res.StatusCode != http.StatusServiceUnavailable {
		return 0, false
	}
	n, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || n < 0 || n > 60 {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// answer returns the status and body of a final answer; a problem+json
// body becomes an error that prints its violations.
func answer(res *http.Response, b []byte) (int, []byte, error) {
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		var p api.Problem
		if json.Unmarshal(b, &p) == nil {
			return res.StatusCode, b, problemError(p)
		}
	}
	return res.StatusCode, b, nil
}

func problemError(p api.Problem) error {
	var s strings.Builder
	fmt.Fprintf(&s, "%d %s", p.Status, p.Title)
	if p.Detail != "" {
		fmt.Fprintf(&s, ": %s", p.Detail)
	}
	for _, v := range p.Violations {
		ptr := v.Pointer
		if ptr == "" {
			ptr = "/"
		}
		fmt.Fprintf(&s, "\n  %s: %s [%s]", ptr, v.Message, v.Rule)
	}
	code := exitInvalid
	if p.Status == http.StatusUnauthorized || p.Status >= 500 {
		code = exitUsage
	}
	return &exitError{code: code, err: fmt.Errorf("%s", s.String())}
}

func (a *app) printJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		_, err = a.stdout.Write(b)
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) submitCmd() *cobra.Command {
	var asJSON bool
	var batchSize int
	cmd := &cobra.Command{
		Use:   "submit FILE...|-",
		Short: "Submit records to a running gateway",
		Long: `Submit records to a running gateway. Several files go in batches of up to
--batch records per request (POST /v1/records:batch); each record still gets its
own outcome. --batch 1 sends one request per record (POST /v1/records).
Exit 0 when every record was accepted or already stored, 1 when some were refused.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			if batchSize < 1 || batchSize > api.MaxBatchItems {
				return usageErr("--batch must be between 1 and %d", api.MaxBatchItems)
			}
			inputs, err := a.readInputs(args, 16<<20)
			if err != nil {
				return err
			}
			failed := 0
			// Inputs that are not JSON at all go alone, so the gateway's
			// answer names their problem; the rest in batches.
			var single, batched []input
			for _, in := range inputs {
				if len(inputs) > 1 && batchSize > 1 && json.Valid(in.data) {
					batched = append(batched, in)
				} else {
					single = append(single, in)
				}
			}
			for len(batched) > 0 {
				chunk := batched[:min(batchSize, len(batched))]
				batched = batched[len(chunk):]
				n, err := a.submitBatch(c, chunk, asJSON)
				if err != nil {
					return err
				}
				failed += n
			}
			for _, in := range single {
				code, b, err := c.do("POST", "/v1/records", in.data)
				if err != nil {
					var ee *exitError
					if asErr(err, &ee) && ee.code == exitUsage {
						return err
					}
					failed++
					fmt.Fprintf(a.stderr, "%s: %v\n", in.name, err)
					continue
				}
				if asJSON {
					if err := a.printJSON(b); err != nil {
						return err
					}
					continue
				}
				var acc api.AcceptedView
				_ = json.Unmarshal(b, &acc)
				a.printAccepted(in.name, code == http.StatusOK, acc.Status, acc.ID, string(acc.Digest), acc.Ledgers)
			}
			if failed > 0 {
				return &exitError{code: exitInvalid, err: fmt.Errorf("%d of %d records refused", failed, len(inputs))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the gateway's JSON answers")
	cmd.Flags().IntVar(&batchSize, "batch", 500, "records per request when submitting several files (1: one request each)")
	return cmd
}

func (a *app) printAccepted(name string, existing bool, status, id, digest string, ledgers []string) {
	verb := "accepted"
	if existing {
		verb = "already stored (" + status + ")"
	}
	fmt.Fprintf(a.stdout, "%s: %s %s %s -> %s\n", name, verb, id, digest, strings.Join(ledgers, ", "))
}

// submitBatch sends inputs as one batch and prints each one's outcome;
// it returns how many were refused.
func (a *app) submitBatch(c *client, inputs []input, asJSON bool) (int, error) {
	body := []byte{'['}
	for i, in := range inputs {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, in.data...)
	}
	body = append(body, ']')
	_, b, err := c.do("POST", "/v1/records:batch", body)
	if err != nil {
		return 0, err // the whole batch was refused: a usage or server problem
	}
	var view api.BatchView
	if err := json.Unmarshal(b, &view); err != nil || len(view.Results) != len(inputs) {
		return 0, &exitError{code: exitUsage, err: fmt.Errorf("gateway answered the batch with %d results for %d records (%v)", len(view.Results), len(inputs), err)}
	}
	if asJSON {
		if err := a.printJSON(b); err != nil {
			return 0, err
		}
		return view.Rejected, nil
	}
	for i, res := range view.Results {
		name := inputs[i].name
		if res.Problem != nil {
			fmt.Fprintf(a.stderr, "%s: %v\n", name, problemError(*res.Problem))
			continue
		}
		a.printAccepted(name, res.Existing, res.Status, res.ID, string(res.Digest), res.Ledgers)
	}
	return view.Rejected, nil
}

func (a *app) getCmd() *cobra.Command {
	var asJSON, audit bool
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show a record with its status, provenance per ledger and history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			_, b, err := c.do("GET", "/v1/records/"+url.PathEscape(args[0]), nil)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(b)
			}
			var v api.RecordView
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s  %s  %s\nissuer  %s (partner %s)\ndigest  %s\nissued  %s   accepted %s\n",
				v.ID, v.Type, strings.ToUpper(v.Status), v.Issuer, v.Partner, v.Digest, v.IssuedAt.Format(time.RFC3339), v.AcceptedAt.Format(time.RFC3339))
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "\nLEDGER\tSTATE\tDISCLOSURE\tTX\tBLOCK\tCONFIRMATIONS\tERROR")
			for _, l := range v.Ledgers {
				tx, block := "-", "-"
				if l.Receipt != nil {
					tx, block = l.Receipt.TxID, fmt.Sprint(l.Receipt.Block)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", l.Ledger, l.State, l.Disclosure, tx, block, l.Confirmations, l.Error)
			}
			tw.Flush()
			fmt.Fprintln(a.stdout, "\nhistory:")
			for _, h := range v.History {
				cur := ""
				if h.Current {
					cur = "  (current)"
				}
				fmt.Fprintf(a.stdout, "  %s  %s%s\n", h.AcceptedAt.Format(time.RFC3339), h.Digest, cur)
			}
			if !audit {
				return nil
			}
			_, b, err = c.do("GET", "/v1/records/"+url.PathEscape(args[0])+"/audit?limit=1000", nil)
			if err != nil {
				return err
			}
			var av api.AuditView
			if err := json.Unmarshal(b, &av); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "\naudit (oldest first):")
			tw = tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			for _, e := range slices.Backward(av.Items) {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", e.Time.Format(time.RFC3339Nano), e.Actor, e.Action, e.Detail)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the gateway's JSON answer")
	cmd.Flags().BoolVar(&audit, "audit", false, "also print the record's audit trail (submitter, officers and admins)")
	return cmd
}

func (a *app) listCmd() *cobra.Command {
	var asJSON bool
	var filters = map[string]*string{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List records (filters: --type --issuer --hs-code --country --from --to --status)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			q := url.Values{}
			for name, v := range filters {
				if *v != "" {
					q.Set(name, *v)
				}
			}
			_, b, err := c.do("GET", "/v1/records?"+q.Encode(), nil)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(b)
			}
			var l api.ListView
			if err := json.Unmarshal(b, &l); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTYPE\tISSUER\tSTATUS\tISSUED")
			for _, it := range l.Items {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.ID, it.Type, it.Issuer, it.Status, it.IssuedAt.Format(time.RFC3339))
			}
			tw.Flush()
			if l.Next != "" {
				fmt.Fprintf(a.stdout, "more: --cursor %s\n", l.Next)
			}
			return nil
		},
	}
	for flag, param := range map[string]string{"type": "type", "issuer": "issuer", "hs-code": "hsCode", "country": "country", "from": "from", "to": "to", "status": "status", "cursor": "cursor", "limit": "limit"} {
		filters[param] = cmd.Flags().String(flag, "", "filter: "+param)
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the gateway's JSON answer")
	return cmd
}
