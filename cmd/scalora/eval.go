package main

import "github.com/spf13/cobra"

// newEvalCmd groups the offline evaluations of the stages' quality.
func newEvalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate the forecaster against baselines, and the anomaly detector with NAB's rules",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEvalForecastCmd(), newEvalAnomalyCmd())
	return cmd
}
