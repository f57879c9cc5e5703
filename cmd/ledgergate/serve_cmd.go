package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/spf13/cobra"
)

func (a *app) serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve --config FILE",
		Short: "Run the gateway: HTTP API and relay",
		Long: `Run the gateway as --config describes (see 'ledgergate config init').
Environment variables override the file (docs/operations.md). SIGINT or
SIGTERM shuts it down gracefully.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.configPath == "" {
				return usageErr("serve needs --config FILE (write one with 'ledgergate config init')")
			}
			cfg, err := config.Load(a.configPath)
			if err != nil {
				return usageErr("%v", err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			tuneGC()
			g, err := server.New(ctx, cfg)
			if err != nil {
				return usageErr("%v", err)
			}
			return g.Run(ctx)
		},
	}
}

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Work with the configuration file"}
	var force bool
	initCmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write an annotated example configuration (default ledgergate.yaml)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "ledgergate.yaml"
			if len(args) == 1 {
				path = args[0]
			}
			if path == "-" {
				_, err := a.stdout.Write(config.Example())
				return err
			}
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(path, flag, 0o600)
			if err != nil {
				return usageErr("%v (use --force to overwrite)", err)
			}
			defer f.Close()
			if _, err := f.Write(config.Example()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote %s; edit it, then: ledgergate serve --config %s\n", path, path)
			return nil
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	checkCmd := &cobra.Command{
		Use:   "check --config FILE",
		Short: "Load and validate a configuration, reporting every problem",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.configPath == "" {
				return usageErr("check needs --config FILE")
			}
			cfg, err := config.Load(a.configPath)
			if err != nil {
				return &exitError{code: exitInvalid, err: err}
			}
			cfg.Defaults()
			if err := cfg.Validate(); err != nil {
				return &exitError{code: exitInvalid, err: err}
			}
			if _, err := cfg.Schema.Registry(); err != nil {
				return &exitError{code: exitInvalid, err: err}
			}
			if _, err := auth.New(cfg.Accounts); err != nil {
				return &exitError{code: exitInvalid, err: err}
			}
			fmt.Fprintf(a.stdout, "%s: ok (%d ledgers, %d routes, %d accounts, %d sources)\n", a.configPath, len(cfg.Ledgers), len(cfg.Routes), len(cfg.Accounts), len(cfg.Sources))
			return nil
		},
	}
	cmd.AddCommand(initCmd, checkCmd)
	return cmd
}

func (a *app) keysCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "API keys"}
	cmd.AddCommand(&cobra.Command{
		Use:   "new",
		Short: "Create an API key: give the key to the partner, put the hash in accounts[].apiKeyHashes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, hash := auth.NewKey()
			fmt.Fprintf(a.stdout, "key:  %s\nhash: %s\n", key, hash)
			return nil
		},
	})
	return cmd
}
