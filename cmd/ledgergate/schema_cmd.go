package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/ledgergate/ledgergate/schema"
	"github.com/spf13/cobra"
)

func (a *app) schemaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Validate records and work with the common customs-data schema",
	}
	cmd.AddCommand(a.schemaValidateCmd(), a.schemaListCmd(), a.schemaExportCmd(), a.schemaDigestCmd(), a.schemaRulesCmd())
	return cmd
}

// fileResult is the --json form of one validated input.
type fileResult struct {
	File       string             `json:"file"`
	Valid      bool               `json:"valid"`
	Type       string             `json:"type,omitempty"`
	ID         string             `json:"id,omitempty"`
	Digest     string             `json:"digest,omitempty"`
	Error      string             `json:"error,omitempty"` // kind of failure
	Violations []schema.Violation `json:"violations,omitempty"`
}

type input struct {
	name string
	data []byte
}

// readInputs reads FILE arguments ("-" is standard input), refusing any
// larger than limit before reading it whole.
func (a *app) readInputs(args []string, limit int) ([]input, error) {
	var out []input
	for _, name := range args {
		var r io.Reader
		if name == "-" {
			r = a.stdin
		} else {
			f, err := os.Open(name)
			if err != nil {
				return nil, usageErr("%v", err)
			}
			defer f.Close()
			r = f
		}
		// Read one byte past the limit so Validate reports the size.
		data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
		if err != nil {
			return nil, usageErr("%s: %v", name, err)
		}
		out = append(out, input{name: name, data: data})
	}
	return out, nil
}

func (a *app) schemaValidateCmd() *cobra.Command {
	var asJSON, examples bool
	cmd := &cobra.Command{
		Use:   "validate FILE...|-",
		Short: "Validate records (exit 0 all valid, 1 some invalid, 2 usage error)",
		Long: `Validate one or more records against the schema of the type each names.
"-" reads a record from standard input. --examples validates the shipped examples.
Every violation is reported with its JSON pointer, rule id and a message.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !examples {
				return usageErr("validate needs FILE arguments, - for standard input, or --examples")
			}
			reg, err := a.registry()
			if err != nil {
				return err
			}
			inputs, err := a.readInputs(args, reg.MaxSize())
			if err != nil {
				return err
			}
			if examples {
				for _, ex := range schema.Examples() {
					inputs = append(inputs, input{name: "examples/v1/" + ex.File, data: ex.Data})
				}
			}
			results := make([]fileResult, 0, len(inputs))
			invalid := 0
			for _, in := range inputs {
				res := fileResult{File: in.name}
				rec, err := reg.Validate(in.data)
				var ve *schema.ValidationError
				switch {
				case err == nil:
					res.Valid, res.Type, res.ID, res.Digest = true, rec.Type, rec.ID, string(rec.Digest)
				case errors.As(err, &ve):
					invalid++
					res.Error, res.Violations = ve.Kind.Error(), ve.Violations
				default:
					return err
				}
				results = append(results, res)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"valid": invalid == 0, "files": results}); err != nil {
					return err
				}
			} else {
				a.printResults(results, invalid)
			}
			if invalid > 0 {
				return &exitError{code: exitInvalid, err: errors.New("")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")
	cmd.Flags().BoolVar(&examples, "examples", false, "also validate the shipped example records")
	return cmd
}

func (a *app) printResults(results []fileResult, invalid int) {
	for _, r := range results {
		if r.Valid {
			fmt.Fprintf(a.stdout, "ok    %s  %s %s  %s\n", r.File, r.Type, r.ID, r.Digest)
			continue
		}
		fmt.Fprintf(a.stdout, "FAIL  %s  %s (%d)\n", r.File, r.Error, len(r.Violations))
		for _, v := range r.Violations {
			p := v.Pointer
			if p == "" {
				p = "/"
			}
			fmt.Fprintf(a.stdout, "      %s: %s [%s]\n", p, v.Message, v.Rule)
		}
	}
	fmt.Fprintf(a.stdout, "%d valid, %d invalid\n", len(results)-invalid, invalid)
}

func (a *app) schemaListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registered record types",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg, err := a.registry()
			if err != nil {
				return err
			}
			types := reg.Types()
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(types)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tVERSION\tSOURCE\tSCHEMA")
			for _, t := range types {
				src := "custom"
				if t.Builtin {
					src = "built-in"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Version, src, t.SchemaURL)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")
	return cmd
}

func (a *app) schemaExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "export DIR",
		Short: "Write every JSON Schema file (and the examples) into DIR",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := a.registry()
			if err != nil {
				return err
			}
			names, err := reg.Export(args[0])
			if err != nil {
				return usageErr("export: %v", err)
			}
			exDir := args[0] + "/examples"
			if err := os.MkdirAll(exDir, 0o755); err != nil {
				return usageErr("export: %v", err)
			}
			for _, ex := range schema.Examples() {
				if err := os.WriteFile(exDir+"/"+ex.File, ex.Data, 0o644); err != nil {
					return usageErr("export: %v", err)
				}
			}
			fmt.Fprintf(a.stdout, "wrote %d schema files and %d examples to %s\n", len(names), len(schema.Examples()), args[0])
			return nil
		},
	}
}

func (a *app) schemaDigestCmd() *cobra.Command {
	var raw bool
	cmd := &cobra.Command{
		Use:   "digest FILE|-",
		Short: "Print the sha256 digest of a record's RFC 8785 canonical form",
		Long: `Validate the record and print its digest (sha256:<hex> of the RFC 8785 form).
--raw canonicalises any JSON text without schema validation; --canonical
also prints the canonical bytes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := a.registry()
			if err != nil {
				return err
			}
			inputs, err := a.readInputs(args, reg.MaxSize())
			if err != nil {
				return err
			}
			var canon []byte
			if raw {
				canon, err = schema.Canonicalize(inputs[0].data)
			} else {
				var rec *schema.Record
				if rec, err = reg.Validate(inputs[0].data); err == nil {
					canon = rec.Canonical
				}
			}
			if err != nil {
				return &exitError{code: exitInvalid, err: fmt.Errorf("%s: %w", inputs[0].name, err)}
			}
			if showCanonical, _ := cmd.Flags().GetBool("canonical"); showCanonical {
				fmt.Fprintf(a.stdout, "%s\n", canon)
			}
			fmt.Fprintln(a.stdout, schema.DigestOf(canon))
			return nil
		},
	}
	cmd.Flags().BoolVar(&raw, "raw", false, "canonicalise any JSON text, without schema validation")
	cmd.Flags().Bool("canonical", false, "also print the canonical bytes")
	return cmd
}

func (a *app) schemaRulesCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every validation rule id",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules := schema.Rules()
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(rules)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			for _, r := range rules {
				fmt.Fprintf(tw, "%s\t%s\n", r.ID, r.Summary)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")
	return cmd
}
