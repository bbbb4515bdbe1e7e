package kafka

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// SASL mechanisms accepted in SASLConfig.Mechanism.
const (
	SASLPlain       = "PLAIN"
	SASLScramSHA256 = "SCRAM-SHA-256"
	SASLScramSHA512 = "SCRAM-SHA-512"
)

// Config is the connection part shared by PublisherConfig and
// SubscriberConfig.
type Config struct {
	// Brokers are the seed brokers, "host:port". Required.
	Brokers []string

	// ClientID is sent to the brokers with every request. Default "scalora".
	ClientID string

	// TLS configures encryption of the broker connections. Off by default.
	TLS TLSConfig

	// SASL configures authentication. Off by default.
	SASL SASLConfig
}

// TLSConfig configures TLS to the brokers.
type TLSConfig struct {
	// Enabled turns TLS on. The other fields are ignored when false.
	Enabled bool

	// CAFile is a PEM bundle of CAs that sign the broker certificates.
	// Empty means the system roots.
	CAFile string

	// CertFile and KeyFile are a PEM client certificate and its key, for
	// brokers that require mutual TLS. Both or neither.
	CertFile string
	KeyFile  string

	// InsecureSkipVerify disables verification of the broker certificate.
	// For tests only: it makes the connection open to interception.
	InsecureSkipVerify bool
}

// SASLConfig configures SASL authentication.
type SASLConfig struct {
	// Mechanism is "" (no SASL), "PLAIN", "SCRAM-SHA-256" or
	// "SCRAM-SHA-512". PLAIN sends the password in the clear: use it only
	// together with TLS.
	Mechanism string

	// Username and Password are required when Mechanism is set.
	Username string
	Password string
}

// SetDefaults fills the zero fields with the defaults written in their docs.
func (c *Config) SetDefaults() {
	if c.ClientID == "" {
		c.ClientID = "scalora"
	}
}

// Validate reports the first configuration error; call SetDefaults first.
func (c Config) Validate() error {
	if len(c.Brokers) == 0 {
		return ErrNoBrokers
	}

	switch c.SASL.Mechanism {
	case "":
	case SASLPlain, SASLScramSHA256, SASLScramSHA512:
		if c.SASL.Username == "" || c.SASL.Password == "" {
			return fmt.Errorf("sasl %s: %w", c.SASL.Mechanism, ErrSASLCredentials)
		}
	default:
		return fmt.Errorf("%w %q (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)",
			ErrUnknownSASLMechanism, c.SASL.Mechanism)
	}

	if c.TLS.Enabled && (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		return ErrTLSKeyPair
	}

	return nil
}

// clientOpts turns the connection settings into franz-go options. It reads
// the TLS files, so it fails on a missing or malformed one.
func (c Config) clientOpts() ([]kgo.Opt, error) {
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.Brokers...),
		kgo.ClientID(c.ClientID),
	}

	if c.TLS.Enabled {
		tc, err := c.TLS.build()
		if err != nil {
			return nil, fmt.Errorf("tls: %w", err)
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}

	switch c.SASL.Mechanism {
	case SASLPlain:
		opts = append(opts, kgo.SASL(plain.Auth{
			User: c.SASL.Username,
			Pass: c.SASL.Password,
		}.AsMechanism()))
	case SASLScramSHA256:
		opts = append(opts, kgo.SASL(c.SASL.scram().AsSha256Mechanism()))
	case SASLScramSHA512:
		opts = append(opts, kgo.SASL(c.SASL.scram().AsSha512Mechanism()))
	}

	return opts, nil
}

func (s SASLConfig) scram() scram.Auth {
	return scram.Auth{User: s.Username, Pass: s.Password}
}

// build loads the files named in the config. ServerName is left empty on
// purpose: franz-go fills it per broker from the address it dials.
func (t TLSConfig) build() (*tls.Config, error) {
	tc := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: t.InsecureSkipVerify, //nolint:gosec // opt-in, documented as test-only
	}

	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read ca file: %w", err)
		}

		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca file %s: no PEM certificate found", t.CAFile)
		}
		tc.RootCAs = pool
	}

	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load client key pair: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}

	return tc, nil
}
