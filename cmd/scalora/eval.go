package main

import "github.com/spf13/cobra"

// newEvalCmd groups the offline evaluations of the stages' quality.
func newEvalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate the anomaly detector (NAB rules) on labelled traces",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEvalAnomalyCmd())
	return cmd
}
