package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newQueryCmd() *cobra.Command {
	var o storeOptions
	cmd := &cobra.Command{
		Use:   `query [--data-dir DIR | --config FILE] "SQL"`,
		Short: "Run one SQL statement on the store and print the result",
		Long: `Run one read-only SQL statement on Scalora's store (the embedded ClickHouse
engine under --data-dir by default, or the store the config names) and print
the result as a table. The tables live in the database "scalora"; read them
with FINAL so that replayed rows count once, e.g.

  scalora query --data-dir scalora-data \
    "SELECT action, count() FROM scalora.decisions FINAL GROUP BY action"

The embedded engine holds one data folder per process: stop "scalora run"
on that folder first.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()

			res, err := st.Query(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("query: %w", err)
			}
			printResult(cmd.OutOrStdout(), res)
			return nil
		},
	}
	o.addFlags(cmd)
	return cmd
}
