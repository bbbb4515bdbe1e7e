package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/scalora/scalora/pipeline/store/migrate"
	"github.com/scalora/scalora/pipeline/store/rollup"
	"github.com/scalora/scalora/stages/anomaly"
	"github.com/scalora/scalora/stages/forecast"
	"github.com/scalora/scalora/stages/window"

	"github.com/scalora/scalora/pipeline"
	"github.com/scalora/scalora/pipeline/api"
	"github.com/scalora/scalora/stages/decision"
)

// Config is the whole of a Scalora process's configuration, as read from
// the YAML file given to "scalora run --config". The zero value, after
// SetDefaults, is the embedded default: in-process Kafka and chDB under
// DataDir. deploy/scalora.example.yaml shows every field.
type Config struct {
	// DataDir holds the embedded broker's log and the chDB database.
	// Default "scalora-data" in the working directory.
	DataDir string `yaml:"data_dir"`

	Kafka    KafkaConfig           `yaml:"kafka"`
	Topics   pipeline.Topics       `yaml:"topics"`
	Store    StoreConfig           `yaml:"store"`
	Window   WindowConfig          `yaml:"window"`
	Forecast ForecastConfig        `yaml:"forecast"`
	Anomaly  AnomalyConfig         `yaml:"anomaly"`
	Decision decision.Config       `yaml:"decision"`
	Outbox   pipeline.OutboxConfig `yaml:"outbox"`
	HTTP     HTTPConfig            `yaml:"http"`
	API      api.Config            `yaml:"api"`
	Limits   LimitsConfig          `yaml:"limits"`

	// Prices is an optional price catalog file replacing the built-in one
	// (same YAML shape as stages/cost/prices.yaml).
	Prices string `yaml:"prices"`

	// ShutdownTimeout bounds the flush and commit on SIGTERM. Default 30s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// KafkaConfig says where the samples come from and the results go.
type KafkaConfig struct {
	// Brokers are the seed brokers. Empty (the default) starts an in-process
	// broker persisted under DataDir/kafka.
	Brokers []string `yaml:"brokers"`
	// EmbeddedPort is the port of the in-process broker on 127.0.0.1, so
	// that producers find it at the same address after a restart. Default
	// 19092; -1 picks a free port.
	EmbeddedPort int `yaml:"embedded_port"`
	// ClientID is sent to the brokers. Default "scalora".
	ClientID string `yaml:"client_id"`
	// ConsumerGroup of the pipeline. Default "scalora".
	ConsumerGroup string `yaml:"consumer_group"`
	// Partitions of the topics Scalora creates. Default 4.
	Partitions int32 `yaml:"partitions"`
	// CommitInterval is how often consumed offsets are committed, after the
	// results of the records below them are written. Default 1s.
	CommitInterval time.Duration `yaml:"commit_interval"`
	// InstanceID, when set, makes this process a static member of the
	// consumer group (KIP-345): restarted with the same ID within
	// session_timeout, it gets its partitions back at once, without a
	// rebalance. Give each process of a group its own. Default empty
	// (dynamic membership: a process killed without leaving holds its
	// partitions until session_timeout passes).
	InstanceID string `yaml:"instance_id"`
	// SessionTimeout is how long the group waits for a silent member
	// before giving its partitions to others. Default 45s; the broker
	// bounds it (6s to 30m by default).
	SessionTimeout time.Duration `yaml:"session_timeout"`

	TLS  TLSConfig  `yaml:"tls"`
	SASL SASLConfig `yaml:"sasl"`
}

// TLSConfig turns on TLS to the brokers.
type TLSConfig struct {
	Enabled            bool   `yaml:"enabled"`
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// SASLConfig turns on SASL authentication: mechanism PLAIN, SCRAM-SHA-256
// or SCRAM-SHA-512. The password may be given as ${ENV_VAR}.
type SASLConfig struct {
	Mechanism string `yaml:"mechanism"`
	Username  string `yaml:"username"`
	Password  string `yaml:"password"`
}

// StoreConfig chooses where results are stored.
type StoreConfig struct {
	// Backend is "chdb" (default: the embedded ClickHouse engine) or
	// "clickhouse" (a ClickHouse server over the native protocol).
	Backend string `yaml:"backend"`
	// StepsTTL is how long raw steps are kept, in whole days. Default 2160h
	// (90 days); hourly and daily rollups are kept 2 years.
	StepsTTL time.Duration `yaml:"steps_ttl"`
	// Rollup is how often the stored hourly and daily rollups are
	// recomputed from recent steps (every 5m, the last 48h by default).
	Rollup rollup.Config `yaml:"rollup"`
	// Database holds the tables. Default "scalora".
	Database string `yaml:"database"`
	// Path is chDB's data folder. Default DataDir/chdb.
	Path string `yaml:"path"`
	// ClickHouse server connection, for backend "clickhouse".
	Addr     []string `yaml:"addr"`
	Username string   `yaml:"username"`
	Password string   `yaml:"password"`
	TLS      bool     `yaml:"tls"`
}

// WindowConfig shapes the hosts' windows.
type WindowConfig struct {
	// Step of the aligned grid. Default 1m.
	Step time.Duration `yaml:"step"`
	// Size of a full window in steps. Default 24.
	Size int `yaml:"size"`
	// Aggregate of several samples in one step: "mean" (default) or "max".
	Aggregate string `yaml:"aggregate"`
	// MaxGapSteps is the longest gap filled by interpolation. Default 5.
	MaxGapSteps int `yaml:"max_gap_steps"`
	// AllowedLateness is how far behind a host's latest sample a sample may
	// be and still be placed in its step; later ones go to the dead-letter
	// topic with reason "late". A step closes (and is forecast) once the
	// host's samples pass its end by this much. Default one step; a
	// negative value means none (a step closes on the first sample of a
	// later step). At most size steps.
	AllowedLateness time.Duration `yaml:"allowed_lateness"`
	// IdleTimeout, when positive, closes (and forecasts) a host's open
	// steps once none of its samples has arrived for this long, by the
	// process's clock; a sample that arrives later for such a step is
	// late. Default 0: off, because a consumer that stalls for longer
	// (the store down, a long replay) would close steps early.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// MaxHosts tracked per input partition (each partition's hosts have
	// windows of their own). Default 1,000,000.
	MaxHosts int `yaml:"max_hosts"`
}

// ForecastConfig chooses the model.
type ForecastConfig struct {
	// Model is a model file written by "scalora train". Empty (the default)
	// uses the model built into the binary.
	Model string `yaml:"model"`

	// Blend is "host" (default) to blend each host's LSTM forecasts with
	// its last value by how the model has fared on that host's recent
	// steps, or "off" for the model's forecasts as they are (see
	// forecast.Config.Blend).
	Blend string `yaml:"blend"`
}

// AnomalyConfig tunes the anomaly detector; zero fields keep its defaults.
type AnomalyConfig struct {
	// Scope is "group" (default: one forest per instance group and input
	// partition, about 120 bytes per host) or "host" (a forest per host,
	// about 370 KB per host: better on heterogeneous groups, only for
	// small fleets).
	Scope       string  `yaml:"scope"`
	Threshold   float64 `yaml:"threshold"`
	MinHistory  int     `yaml:"min_history"`
	RefitEvery  int     `yaml:"refit_every"`
	HistorySize int     `yaml:"history_size"`
	Seed        uint64  `yaml:"seed"`
}

// HTTPConfig is the health and metrics endpoint, and the API under /v1
// (configured in the api section).
type HTTPConfig struct {
	// Addr to listen on. Default "127.0.0.1:8080"; empty string after
	// defaults is not possible, use "off" to disable. Any address other
	// than localhost needs api.keys.
	Addr string `yaml:"addr"`
}

// LimitsConfig bounds the input accepted.
type LimitsConfig struct {
	// MaxMessageBytes is the largest sample message. Default 4096.
	MaxMessageBytes int `yaml:"max_message_bytes"`
	// MaxCPU is the largest CPU percent accepted. Default 200.
	MaxCPU float64 `yaml:"max_cpu"`
	// MaxPast is how old a sample may be. Default 2160h (90 days, the
	// retention of stored steps).
	MaxPast time.Duration `yaml:"max_past"`
	// MaxFuture is how far ahead of the clock a sample may be. Default one
	// window step: a sample further ahead would move its host's watermark
	// past steps whose samples are still to come, and those would be late.
	MaxFuture time.Duration `yaml:"max_future"`
}

// Load reads a YAML configuration file. Unknown fields are an error, so a
// typo does not silently fall back to a default. ${VAR} is replaced by the
// environment variable VAR.
func Load(path string) (Config, error) {
	c, err := Read(path)
	if err != nil {
		return c, err
	}
	return c, c.Finish(path)
}

// Finish fills c's defaults and validates it. path, when not empty, is
// the file c was read from, named in the error.
func (c *Config) Finish(path string) error {
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		if path != "" {
			return fmt.Errorf("config %s: %w", path, err)
		}
		return err
	}
	return nil
}

// Read parses the configuration file at path without filling defaults or
// validating: for a command that overrides some fields first (run's
// --step), so that the defaults derived from them (allowed lateness,
// max_future and decision.step are one window step) follow the override.
// Call Finish after.
func Read(path string) (Config, error) {
	var c Config
	raw, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("read config: %w", err)
	}

	dec := yaml.NewDecoder(bytes.NewReader([]byte(os.ExpandEnv(string(raw)))))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("parse config %s: %w", path, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("parse config %s: one YAML document expected, found more", path)
	}
	return c, nil
}

// SetDefaults fills every zero field with its documented default.
func (c *Config) SetDefaults() {
	if c.DataDir == "" {
		c.DataDir = "scalora-data"
	}
	if c.Kafka.EmbeddedPort == 0 {
		c.Kafka.EmbeddedPort = 19092
	}
	if c.Kafka.ClientID == "" {
		c.Kafka.ClientID = "scalora"
	}
	if c.Kafka.ConsumerGroup == "" {
		c.Kafka.ConsumerGroup = "scalora"
	}
	if c.Kafka.Partitions == 0 {
		c.Kafka.Partitions = 4
	}
	if c.Kafka.SessionTimeout == 0 {
		c.Kafka.SessionTimeout = 45 * time.Second
	}
	if c.Kafka.CommitInterval == 0 {
		c.Kafka.CommitInterval = time.Second
	}
	c.Topics.SetDefaults()

	if c.Store.Backend == "" {
		c.Store.Backend = "chdb"
	}
	if c.Store.StepsTTL == 0 {
		c.Store.StepsTTL = migrate.DefaultStepsTTL
	}
	c.Store.Rollup.SetDefaults()
	if c.Store.Database == "" {
		c.Store.Database = "scalora"
	}
	if c.Store.Path == "" {
		c.Store.Path = filepath.Join(c.DataDir, "chdb")
	}

	if c.Window.Step == 0 {
		c.Window.Step = time.Minute
	}
	if c.Window.AllowedLateness == 0 {
		c.Window.AllowedLateness = c.Window.Step
	}
	if c.Decision.Step == 0 {
		c.Decision.Step = c.Window.Step
	}
	c.Decision.SetDefaults()
	c.Outbox.SetDefaults()

	if c.HTTP.Addr == "" {
		c.HTTP.Addr = "127.0.0.1:8080"
	}
	// Always, since the command may override http.addr after Load.
	c.API.Addr = c.HTTP.Addr
	c.API.SetDefaults()
	if c.Limits.MaxMessageBytes == 0 {
		c.Limits.MaxMessageBytes = 4096
	}
	if c.Limits.MaxCPU == 0 {
		c.Limits.MaxCPU = 200
	}
	if c.Limits.MaxPast == 0 {
		c.Limits.MaxPast = 90 * 24 * time.Hour
	}
	if c.Limits.MaxFuture == 0 {
		c.Limits.MaxFuture = c.Window.Step
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
}

// Validate checks fields and the relationships between them.
func (c Config) Validate() error {
	if err := c.Topics.Validate(); err != nil {
		return err
	}
	if c.Kafka.EmbeddedPort < -1 || c.Kafka.EmbeddedPort > 65535 {
		return fmt.Errorf("kafka.embedded_port %d is not a port (or -1 for any)", c.Kafka.EmbeddedPort)
	}
	if c.Kafka.Partitions < 1 {
		return fmt.Errorf("kafka.partitions must be at least 1, got %d", c.Kafka.Partitions)
	}
	switch c.Store.Backend {
	case "chdb":
	case "clickhouse":
		if len(c.Store.Addr) == 0 {
			return errors.New("store.addr is required with backend clickhouse")
		}
	default:
		return fmt.Errorf("store.backend %q is not chdb or clickhouse", c.Store.Backend)
	}
	if c.Store.StepsTTL < 24*time.Hour || c.Store.StepsTTL%(24*time.Hour) != 0 {
		return fmt.Errorf("store.steps_ttl %s must be whole days, at least 24h", c.Store.StepsTTL)
	}
	if err := c.Store.Rollup.Validate(); err != nil {
		return fmt.Errorf("store.rollup: %w", err)
	}
	if b := c.Forecast.Blend; b != "" && b != forecast.BlendHost && b != forecast.BlendOff {
		return fmt.Errorf("forecast.blend %q: want %q or %q", b, forecast.BlendHost, forecast.BlendOff)
	}
	if c.Decision.Step != c.Window.Step {
		return fmt.Errorf("decision.step (%s) must equal window.step (%s)", c.Decision.Step, c.Window.Step)
	}
	if err := c.Decision.Validate(); err != nil {
		return err
	}
	if err := c.Outbox.Validate(); err != nil {
		return err
	}
	if c.Limits.MaxMessageBytes < 64 || !(c.Limits.MaxCPU > 0) || math.IsInf(c.Limits.MaxCPU, 0) ||
		c.Limits.MaxPast < 0 || c.Limits.MaxFuture < 0 {
		return errors.New("limits: max_message_bytes must be at least 64, max_cpu a positive finite number, max_past and max_future not negative")
	}
	if c.HTTP.Addr != "off" {
		if err := c.API.Validate(); err != nil {
			return err
		}
	}
	if c.ShutdownTimeout <= 0 || c.Kafka.CommitInterval <= 0 {
		return errors.New("shutdown_timeout and kafka.commit_interval must be positive")
	}

	// Check the stages' own rules now, before anything is opened.
	if err := c.windowConfig().Validate(); err != nil {
		return fmt.Errorf("window: %w", err)
	}
	acfg := c.anomalyConfig()
	acfg.SetDefaults()
	if err := acfg.Validate(); err != nil {
		return fmt.Errorf("anomaly: %w", err)
	}
	return nil
}

// windowConfig is the window stage's configuration, defaults filled.
func (c Config) windowConfig() window.Config {
	w := window.Config{
		Step:        c.Window.Step,
		Size:        c.Window.Size,
		Aggregate:   window.Aggregate(c.Window.Aggregate),
		MaxGapSteps: c.Window.MaxGapSteps,
		// Negative means none here; the window stage has 0 for that.
		AllowedLateness: max(c.Window.AllowedLateness, 0),
		IdleTimeout:     c.Window.IdleTimeout,
		MaxHosts:        c.Window.MaxHosts,
	}
	w.SetDefaults()
	return w
}

// anomalyConfig is the anomaly stage's configuration, zero fields left for
// the stage's defaults.
func (c Config) anomalyConfig() anomaly.Config {
	a := anomaly.Config{
		Scope:       anomaly.Scope(c.Anomaly.Scope),
		Threshold:   c.Anomaly.Threshold,
		MinHistory:  c.Anomaly.MinHistory,
		RefitEvery:  c.Anomaly.RefitEvery,
		HistorySize: c.Anomaly.HistorySize,
	}
	a.Forest.Seed = c.Anomaly.Seed
	return a
}
