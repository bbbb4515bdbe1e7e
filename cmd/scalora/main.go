// Command scalora is Scalora's single binary: the pipeline (run), the
// embedded demo, a trace replayer (produce), model training (train).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signalContext()
	defer stop()

	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "scalora:", err)
		os.Exit(1)
	}
}

// signalContext returns a context cancelled by the first SIGINT or SIGTERM,
// which starts a graceful shutdown (flush, commit, within the configured
// shutdown_timeout). After that first signal the default handling is back,
// so a second one ends the process at once, mid-shutdown.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "scalora",
		Short: "Predictive cloud optimisation: forecast CPU, detect anomalies, decide scaling, count the savings",
		Long: `Scalora reads CPU samples from Kafka, forecasts each host with an LSTM,
scores anomalies with an Isolation Forest, decides scale up / down / maintain
per instance group ahead of need, and prices every decision. Results go to
ClickHouse and to Kafka topics.

Start with "scalora demo": it runs the whole pipeline in-process on a bundled
real CPU trace.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newRunCmd(),
		newDemoCmd(),
		newBenchCmd(),
		newProduceCmd(),
		newAgentCmd(),
		newAnalyzeCmd(),
		newMigrateCmd(),
		newReportCmd(),
		newQueryCmd(),
		newEvalCmd(),
		newTrainCmd(),
		newVersionCmd(),
	)
	return root
}
