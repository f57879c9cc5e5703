// Command factomd-testnet builds and runs a real factomd 6.13 on 127.0.0.1
// for ledgergate's compatibility work.
//
//	factomd-testnet build                 # build (cached) and print the binary's path
//	factomd-testnet up [-blktime 2]       # start, fund an EC key, print URL and key, run until ^C
//	factomd-testnet capture -out FILE     # record golden vectors (adapters/factom/golden)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/golden"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/testnet/factomd/capture"
	"github.com/ledgergate/ledgergate/testnet/factomd/realnode"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "factomd-testnet:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: factomd-testnet build | up [-blktime N] [-credits N] | capture -out FILE")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fs := flag.NewFlagSet(args[0], flag.ExitOnError)
	blk := fs.Int("blktime", 2, "directory block time in seconds")
	credits := fs.Uint64("credits", 100000, "entry credits to buy for the printed key")
	out := fs.String("out", golden.DefaultPath, "where capture writes the vectors")
	_ = fs.Parse(args[1:])

	bctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	bin, err := realnode.Build(bctx)
	if err != nil {
		return err
	}
	if args[0] == "build" {
		fmt.Println(bin)
		return nil
	}
	n, err := realnode.Start(bctx, bin, realnode.Options{BlockTime: *blk})
	if err != nil {
		return err
	}
	defer n.Stop()
	switch args[0] {
	case "up":
		key, err := protocol.GenerateECKey()
		if err != nil {
			return err
		}
		if _, err := n.FundEC(bctx, key.Public(), *credits); err != nil {
			return err
		}
		fmt.Printf("factomd %s\nAPI:       %s\nEC key:    %s (%s), %d credits\nhome:      %s\nlog:       %s\n^C stops it.\n",
			realnode.Version, n.URL, key.Secret(), key.Public(), *credits, n.Home, n.Log)
		<-ctx.Done()
		return nil
	case "capture":
		v, err := capture.Capture(bctx, n)
		if err != nil {
			return err
		}
		if err := golden.Check(v); err != nil {
			fmt.Fprintln(os.Stderr, "the captured vectors disagree with the protocol package:\n", err)
		}
		return v.Save(*out)
	}
	return fmt.Errorf("unknown command %q", args[0])
}
