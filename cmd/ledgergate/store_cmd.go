package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/internal/config"
)

func (a *app) storeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "store", Short: "Work with the gateway's store"}
	check := &cobra.Command{
		Use:   "check --config FILE",
		Short: "Check the relations between the store's records, versions, index codes, deliveries and audit entries",
		Long: `Opens the configured store (migrating it if it is older) and checks that
every version has its record, every record's head is its latest version,
and every index code, delivery and audit entry belongs to a stored
version or record. The store keeps these relations itself (the databases
do not enforce them; see docs/operations.md). It reads every row: run it
after restoring a backup or when in doubt, not on a schedule under load.
Exit status 1 when a relation is broken.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.configPath == "" {
				return usageErr("store check needs --config FILE")
			}
			cfg, err := config.Load(a.configPath)
			if err != nil {
				return usageErr("%v", err)
			}
			cfg.Defaults()
			s, err := server.OpenStore(cmd.Context(), cfg.Store)
			if err != nil {
				return usageErr("%v", err)
			}
			defer s.Close()
			if err := s.CheckIntegrity(cmd.Context()); err != nil {
				if errors.Is(err, sqlstore.ErrIntegrity) {
					return &exitError{code: exitInvalid, err: err}
				}
				return err
			}
			fmt.Fprintf(a.stdout, "%s store: ok\n", cfg.Store.Driver)
			return nil
		},
	}
	cmd.AddCommand(check)
	return cmd
}
