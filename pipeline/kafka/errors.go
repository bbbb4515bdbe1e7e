package kafka

import "errors"

var (
	// ErrNoBrokers is returned by Validate when Config.Brokers is empty.
	ErrNoBrokers = errors.New("no brokers configured")

	// ErrUnknownSASLMechanism is returned by Validate when SASL.Mechanism
	// is not one of "", "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512".
	ErrUnknownSASLMechanism = errors.New("unknown sasl mechanism")

	// ErrSASLCredentials is returned by Validate when a SASL mechanism is
	// set without a username or password.
	ErrSASLCredentials = errors.New("sasl mechanism set without username or password")

	// ErrTLSKeyPair is returned by Validate when only one of TLS.CertFile
	// and TLS.KeyFile is set: a client certificate needs both.
	ErrTLSKeyPair = errors.New("tls cert file and key file must be set together")

	// ErrNoConsumerGroup is returned by Validate when
	// SubscriberConfig.ConsumerGroup is empty: the subscriber commits
	// offsets and so always needs a group.
	ErrNoConsumerGroup = errors.New("no consumer group configured")

	// ErrInitialOffset is returned by Validate when
	// SubscriberConfig.InitialOffset is neither "earliest" nor "latest".
	ErrInitialOffset = errors.New(`initial offset must be "earliest" or "latest"`)

	// ErrPublisherClosed is returned by Publish after Close.
	ErrPublisherClosed = errors.New("publisher closed")

	// ErrSubscriberClosed is returned by Subscribe after Close.
	ErrSubscriberClosed = errors.New("subscriber closed")
)
