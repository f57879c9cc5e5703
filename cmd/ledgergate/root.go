package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // the input was checked and found invalid
	exitUsage   = 2 // bad flags or arguments, unreadable input, bad config
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// app holds what every command shares.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	configPath     string
	typeSchemas    []string
	maxSize        int
	url, apiKey    string // client commands
}

func asErr(err error, target **exitError) bool { return errors.As(err, target) }

// registry builds the schema registry from --config, --type-schema and
// --max-size.
func (a *app) registry() (*schema.Registry, error) {
	var sc config.Schema
	if a.configPath != "" {
		c, err := config.Load(a.configPath)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		sc = c.Schema
	} else {
		c := &config.Config{}
		if err := c.ApplyEnv(getenv); err != nil {
			return nil, usageErr("%v", err)
		}
		sc = c.Schema
	}
	sc.Types = append(sc.Types, a.typeSchemas...)
	if a.maxSize > 0 {
		sc.MaxSize = a.maxSize
	}
	reg, err := sc.Registry()
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return reg, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "ledgergate",
		Short:         "Cross-ledger interoperability gateway for customs and trade records",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "YAML configuration file")
	pf.StringArrayVar(&a.typeSchemas, "type-schema", nil, "JSON Schema file of a deployment-specific record type (repeatable)")
	pf.IntVar(&a.maxSize, "max-size", 0, "largest accepted record in bytes (default 1 MiB)")

	pf.StringVar(&a.url, "url", "", "gateway URL for client commands (default $LEDGERGATE_URL or http://127.0.0.1:8080)")
	pf.StringVar(&a.apiKey, "api-key", "", "API key for client commands (default $LEDGERGATE_API_KEY)")

	root.AddCommand(a.schemaCmd(), a.versionCmd(), a.serveCmd(), a.configCmd(), a.keysCmd(),
		a.submitCmd(), a.getCmd(), a.listCmd(), a.demoCmd(), a.benchCmd(),
		a.reconcileCmd(), a.verifyCmd(), a.storeCmd())

	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "ledgergate:", ee.err)
		}
		return ee.code
	}
	// Cobra's own argument errors (unknown command, wrong arg count).
	fmt.Fprintln(stderr, "ledgergate:", err)
	return exitUsage
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := "(devel)"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
				v = bi.Main.Version
			}
			fmt.Fprintf(a.stdout, "ledgergate %s (schema v1)\n", v)
			return nil
		},
	}
}
