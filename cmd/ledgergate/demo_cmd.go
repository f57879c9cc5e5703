package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/ledgergate/ledgergate/internal/demo"
	"github.com/spf13/cobra"
)

func (a *app) demoCmd() *cobra.Command {
	var o demo.Options
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a self-contained gateway with sample partners, records and ledgers",
		Long: `Start a gateway on SQLite with an in-process Ethereum chain (JSON-RPC on
127.0.0.1) and an in-process customs archive ledger; three sample partners
submit sample records of every type; then print where to look and what to
try. Nothing needs to be installed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			tuneGC()
			return demo.Run(ctx, o, a.stdout)
		},
	}
	cmd.Flags().StringVar(&o.Dir, "dir", "", "directory for the demo's SQLite store (default: a new temporary directory)")
	cmd.Flags().StringVar(&o.Listen, "listen", "127.0.0.1:8080", "API address")
	cmd.Flags().StringVar(&o.RPCAddr, "rpc", "127.0.0.1:8545", "Ethereum JSON-RPC address (127.0.0.1:0 picks a free port)")
	cmd.Flags().StringVar(&o.FactomAddr, "factom", "127.0.0.1:8088", "embedded Factom node API address (127.0.0.1:0 picks a free port)")
	cmd.Flags().StringVar(&o.FabricConnection, "fabric-connection", "", "testnet/fabric connection file (default: where testnet/fabric/up.sh writes it)")
	cmd.Flags().BoolVar(&o.NoFabric, "no-fabric", false, "leave Fabric out even when its test network is up")
	cmd.Flags().BoolVar(&o.Exit, "exit", false, "exit once every record is confirmed instead of serving")
	cmd.Flags().DurationVar(&o.BlockTime, "block-time", 0, "Ethereum block time (default 1s)")
	return cmd
}
