package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ledgergate/ledgergate/gateway/verify"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
	"github.com/spf13/cobra"
)

func (a *app) verifyCmd() *cobra.Command {
	var (
		digest, id string
		asJSON     bool
	)
	cmd := &cobra.Command{
		Use:   "verify --config FILE (RECORD-OR-PROOF-FILE | --id ID --digest D)",
		Short: "Check a record or proof directly against the ledger nodes (exit 0 verified, 1 not verified, 2 usage)",
		Long: `Verify checks, without the gateway or its store, that the ledgers hold a
record version: it connects read-only to the ledger nodes the configuration
names (Ethereum: rpc and registry; Factom: url, or an embedded node's
listen address) and checks the proof against each node — the RecordWritten
log in its canonical block on Ethereum, the entry and its Merkle receipt up
to the directory block KeyMR on Factom.

FILE is a record (its digest is computed), a receipt, a 'ledgergate get'
(GET /v1/records/{id}) answer whose receipts are checked as given, or
{"id": ..., "digest": ...}. See docs/verification.md.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.configPath == "" {
				return usageErr("verify needs --config FILE (for the ledger endpoints)")
			}
			var req verify.Request
			switch {
			case len(args) == 1 && (digest != "" || id != ""):
				return usageErr("give a FILE or --id and --digest, not both")
			case len(args) == 1:
				b, err := os.ReadFile(args[0])
				if err != nil {
					return usageErr("%v", err)
				}
				if req, err = verify.ParseFile(b); err != nil {
					return usageErr("%s: %v", args[0], err)
				}
			case digest != "" && id != "":
				if _, err := schema.ParseDigest(digest); err != nil {
					return usageErr("--digest: %v", err)
				}
				req = verify.Request{ID: id, Digest: schema.Digest(digest)}
			default:
				return usageErr("give a FILE, or --id ID and --digest sha256:...")
			}
			cfg, err := config.Load(a.configPath)
			if err != nil {
				return usageErr("%v", err)
			}
			ls, skipped, closeAll, err := verify.Open(cmd.Context(), cfg.Ledgers)
			defer closeAll()
			if err != nil {
				return usageErr("%v", err)
			}
			res, err := verify.Check(cmd.Context(), ls, req)
			if errors.Is(err, verify.ErrBadRequest) {
				return usageErr("%v", err)
			}
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				_ = enc.Encode(res)
			} else {
				fmt.Fprintln(a.stdout, res.Summary)
				for _, l := range res.Ledgers {
					mark := "✗"
					if l.Verified {
						mark = "✓"
					}
					fmt.Fprintf(a.stdout, "  %s %s (%s): %s\n", mark, l.Ledger, l.Kind, l.Detail)
				}
				for _, s := range skipped {
					fmt.Fprintf(a.stdout, "  - skipped %s\n", s)
				}
			}
			if !res.Verified {
				return &exitError{code: exitInvalid, err: fmt.Errorf("")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&digest, "digest", "", "the record version's digest (sha256:...)")
	cmd.Flags().StringVar(&id, "id", "", "the record id (with --digest)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
