package kafka_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/scalora/scalora/pipeline/kafka"
)

func TestSASLRoundTrip(t *testing.T) {
	c := newCluster(t,
		kfake.EnableSASL(),
		kfake.Superuser(kafka.SASLPlain, "plain-user", "plain-pass"),
		kfake.Superuser(kafka.SASLScramSHA256, "scram256-user", "scram256-pass"),
		kfake.Superuser(kafka.SASLScramSHA512, "scram512-user", "scram512-pass"),
	)

	for _, sasl := range []kafka.SASLConfig{
		{Mechanism: kafka.SASLPlain, Username: "plain-user", Password: "plain-pass"},
		{Mechanism: kafka.SASLScramSHA256, Username: "scram256-user", Password: "scram256-pass"},
		{Mechanism: kafka.SASLScramSHA512, Username: "scram512-user", Password: "scram512-pass"},
	} {
		t.Run(sasl.Mechanism, func(t *testing.T) {
			roundTrip(t, kafka.Config{Brokers: c.ListenAddrs(), SASL: sasl})
		})
	}
}

func TestSASLWrongPasswordFailsPublish(t *testing.T) {
	c := newCluster(t,
		kfake.EnableSASL(),
		kfake.Superuser(kafka.SASLScramSHA256, "user", "right"),
	)

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{
		Config: kafka.Config{
			Brokers: c.ListenAddrs(),
			SASL:    kafka.SASLConfig{Mechanism: kafka.SASLScramSHA256, Username: "user", Password: "wrong"},
		},
		ProduceTimeout: 3 * time.Second,
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	err = pub.Publish("t", message.NewMessage(watermill.NewUUID(), []byte("x")))
	if err == nil {
		t.Fatal("publish with a wrong password succeeded")
	}

	// kfake drops the connection on failed authentication, so the error
	// is a timeout (ending in EOF, or a bare deadline) rather than a SASL
	// error code.
}

// TestMutualTLSRoundTrip runs a broker that requires a client certificate
// signed by a generated self-signed CA, and connects with CAFile,
// CertFile and KeyFile.
func TestMutualTLSRoundTrip(t *testing.T) {
	certFile, keyFile, cert := selfSigned(t)

	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)

	c := newCluster(t, kfake.TLS(&tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientCAs:    pool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
	}))

	roundTrip(t, kafka.Config{
		Brokers: c.ListenAddrs(),
		TLS: kafka.TLSConfig{
			Enabled:  true,
			CAFile:   certFile,
			CertFile: certFile,
			KeyFile:  keyFile,
		},
	})
}

func TestTLSUnknownCAFailsPublish(t *testing.T) {
	_, _, cert := selfSigned(t)
	c := newCluster(t, kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))

	otherCA, _, _ := selfSigned(t)

	pub, err := kafka.NewPublisher(kafka.PublisherConfig{
		Config: kafka.Config{
			Brokers: c.ListenAddrs(),
			TLS:     kafka.TLSConfig{Enabled: true, CAFile: otherCA},
		},
		ProduceTimeout: 3 * time.Second,
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()

	err = pub.Publish("t", message.NewMessage(watermill.NewUUID(), nil))
	if err == nil {
		t.Fatal("publish to a broker signed by an untrusted CA succeeded")
	}
	// The error is the dial's "unknown authority" or, when the produce
	// deadline wins the race, a bare deadline; both mean no record went
	// out, which is what this test pins.
}

// selfSigned writes a self-signed certificate for 127.0.0.1, usable by
// both server and client, and its key; it returns their paths and the
// loaded pair.
func selfSigned(t *testing.T) (certFile, keyFile string, pair tls.Certificate) {
	t.Helper()

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "scalora-test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}

	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	certFile = filepath.Join(dir, "cert.pem")
	keyFile = filepath.Join(dir, "key.pem")

	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})

	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}

	pair, err = tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, pair
}
