package kafka

import (
	"errors"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Brokers: []string{"127.0.0.1:9092"}}

	cases := []struct {
		name string
		edit func(*Config)
		want error
	}{
		{"valid", func(*Config) {}, nil},
		{"no brokers", func(c *Config) { c.Brokers = nil }, ErrNoBrokers},
		{"unknown mechanism", func(c *Config) {
			c.SASL = SASLConfig{Mechanism: "GSSAPI", Username: "u", Password: "p"}
		}, ErrUnknownSASLMechanism},
		{"lowercase mechanism is unknown", func(c *Config) {
			c.SASL = SASLConfig{Mechanism: "plain", Username: "u", Password: "p"}
		}, ErrUnknownSASLMechanism},
		{"scram without password", func(c *Config) {
			c.SASL = SASLConfig{Mechanism: SASLScramSHA512, Username: "u"}
		}, ErrSASLCredentials},
		{"plain valid", func(c *Config) {
			c.SASL = SASLConfig{Mechanism: SASLPlain, Username: "u", Password: "p"}
		}, nil},
		{"cert without key", func(c *Config) {
			c.TLS = TLSConfig{Enabled: true, CertFile: "c.pem"}
		}, ErrTLSKeyPair},
		{"key without cert", func(c *Config) {
			c.TLS = TLSConfig{Enabled: true, KeyFile: "k.pem"}
		}, ErrTLSKeyPair},
		{"cert without key ignored when tls off", func(c *Config) {
			c.TLS = TLSConfig{CertFile: "c.pem"}
		}, nil},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			c.SetDefaults()

			err := c.Validate()
			if tc.want == nil && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSubscriberConfigDefaultsAndValidate(t *testing.T) {
	var c SubscriberConfig
	c.Brokers = []string{"b:9092"}
	c.SetDefaults()

	if c.InitialOffset != OffsetEarliest || c.CommitInterval != time.Second ||
		c.NackResendSleep != 100*time.Millisecond || c.ClientID != "scalora" {
		t.Fatalf("defaults not applied: %+v", c)
	}
	if err := c.Validate(); !errors.Is(err, ErrNoConsumerGroup) {
		t.Fatalf("Validate() without group = %v, want ErrNoConsumerGroup", err)
	}

	c.ConsumerGroup = "g"
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}

	c.InitialOffset = "oldest"
	if err := c.Validate(); !errors.Is(err, ErrInitialOffset) {
		t.Fatalf("Validate() with bad offset = %v, want ErrInitialOffset", err)
	}

	c.InitialOffset = OffsetLatest
	c.HeartbeatInterval = time.Minute
	if err := c.Validate(); err == nil {
		t.Fatal("Validate() accepted a heartbeat longer than the session timeout")
	}
}

func TestClientOptsReportsMissingTLSFiles(t *testing.T) {
	c := Config{
		Brokers: []string{"b:9093"},
		TLS:     TLSConfig{Enabled: true, CAFile: t.TempDir() + "/missing.pem"},
	}

	if _, err := c.clientOpts(); err == nil {
		t.Fatal("clientOpts() with a missing CA file succeeded")
	}

	_, err := NewPublisher(PublisherConfig{Config: c}, nil, nil)
	if err == nil {
		t.Fatal("NewPublisher with a missing CA file succeeded")
	}
}

func TestClientOptsAddsOneOptionPerFeature(t *testing.T) {
	base := Config{Brokers: []string{"b:9092"}}
	plainOpts, err := base.clientOpts()
	if err != nil {
		t.Fatal(err)
	}

	withBoth := base
	withBoth.TLS = TLSConfig{Enabled: true, InsecureSkipVerify: true}
	withBoth.SASL = SASLConfig{Mechanism: SASLScramSHA256, Username: "u", Password: "p"}

	opts, err := withBoth.clientOpts()
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != len(plainOpts)+2 {
		t.Fatalf("got %d options, want %d (base + tls + sasl)", len(opts), len(plainOpts)+2)
	}
}
