package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalora/scalora/pipeline/app"
	"github.com/scalora/scalora/pipeline/store"
	"github.com/scalora/scalora/pipeline/store/migrate"
)

// storeOptions are the flags naming the store a tool command opens.
type storeOptions struct {
	config  string
	dataDir string
}

func (o *storeOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.config, "config", "", "YAML configuration file naming the store (default: the embedded chDB under --data-dir)")
	f.StringVar(&o.dataDir, "data-dir", "", "data folder, overriding data_dir of the config (default scalora-data)")
}

// open loads the configuration as "scalora run" does and opens its store
// (not migrated).
func (o storeOptions) open(ctx context.Context) (store.Store, app.Config, error) {
	var (
		cfg app.Config
		err error
	)
	if o.config != "" {
		if cfg, err = app.Load(o.config); err != nil {
			return nil, cfg, err
		}
	}
	if o.dataDir != "" {
		cfg.DataDir = o.dataDir
		cfg.Store.Path = ""
	}
	cfg.SetDefaults()

	s, err := app.OpenStore(ctx, cfg.Store)
	if err != nil {
		return nil, cfg, fmt.Errorf("open store: %w", err)
	}
	return s, cfg, nil
}

// migrator is implemented by both store backends.
type migrator interface {
	MigrationEngine() migrate.Engine
}

type migrateOptions struct {
	storeOptions
	stepsTTL time.Duration
}

// newMigrateCmd is "scalora migrate": apply the schema to the configured
// store and print what ran.
func newMigrateCmd() *cobra.Command {
	var o migrateOptions
	cmd := &cobra.Command{
		Use:   "migrate [--config FILE] [--steps-ttl 2160h]",
		Short: "Create or update the ClickHouse tables and views",
		Long: `Apply the numbered schema files that the store's schema_migrations table
does not record yet, in order, and record them. Running it again does
nothing. "scalora run" does the same at start; this command lets a
deployment migrate before the pipeline starts, or see the state.

It refuses to run when a file recorded as applied has changed since.

--steps-ttl changes how long raw steps are kept (default 2160h, 90 days;
whole days). The change is kept in the table and survives later migrations.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMigrate(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	o.addFlags(cmd)
	cmd.Flags().DurationVar(&o.stepsTTL, "steps-ttl", 0, "set how long raw steps are kept, e.g. 720h (default: leave as is)")
	return cmd
}

func runMigrate(ctx context.Context, o migrateOptions, out io.Writer) error {
	s, cfg, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()

	m, ok := s.(migrator)
	if !ok {
		return errors.New("migrate: this store backend cannot report migrations")
	}
	db := cfg.Store.Database
	rep, err := migrate.Apply(ctx, m.MigrationEngine(), db)
	if err != nil {
		return err
	}

	for _, f := range rep.Applied {
		fmt.Fprintf(out, "applied  %s\n", f.Name)
	}
	for _, name := range rep.Unknown {
		fmt.Fprintf(out, "unknown  %s (applied by a newer release; left alone)\n", name)
	}
	fmt.Fprintf(out, "database %s (%s): %d applied, %d already up to date\n",
		db, cfg.Store.Backend, len(rep.Applied), len(rep.Skipped))

	if o.stepsTTL != 0 {
		if err := migrate.SetStepsTTL(ctx, m.MigrationEngine(), db, o.stepsTTL); err != nil {
			return err
		}
		fmt.Fprintf(out, "steps are kept %d days\n", int(o.stepsTTL/(24*time.Hour)))
	}
	return nil
}
