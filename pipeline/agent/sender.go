package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
)

// Sender delivers one batch of samples. A nil error means every sample was
// accepted; an error wrapping ErrRejected means the batch must not be sent
// again; any other error is retried. Send is called from one goroutine at
// a time.
type Sender interface {
	Send(ctx context.Context, batch []schemas.Sample) error
}

// HTTPSender posts batches to the HTTP API's POST {Endpoint}/v1/samples as
// a JSON array, with "Authorization: Bearer {APIKey}" when APIKey is set.
type HTTPSender struct {
	Endpoint string       // base URL, e.g. "https://scalora.example:8080"
	APIKey   string       // empty: no Authorization header
	Client   *http.Client // nil: http.DefaultClient
}

// Send implements Sender. 2xx is success; 400, 413 and 422 are
// ErrRejected (the batch itself is wrong); anything else is retried.
func (h *HTTPSender) Send(ctx context.Context, batch []schemas.Sample) error {
	body, err := json.Marshal(batch)
	if err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}

	url := strings.TrimSuffix(h.Endpoint, "/") + "/v1/samples"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("post samples: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if h.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+h.APIKey)
	}

	cl := h.Client
	if cl == nil {
		cl = http.DefaultClient
	}
	resp, err := cl.Do(req)
	if err != nil {
		return fmt.Errorf("post samples: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))

	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode == http.StatusBadRequest,
		resp.StatusCode == http.StatusRequestEntityTooLarge,
		resp.StatusCode == http.StatusUnprocessableEntity:
		return fmt.Errorf("post samples: %w: %s: %s", ErrRejected, resp.Status, bytes.TrimSpace(msg))
	default:
		return fmt.Errorf("post samples: %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
}

// KafkaSender publishes batches to Topic, one message per sample keyed by
// host, as the pipeline's input expects. It does not own Publisher: the
// caller closes it.
type KafkaSender struct {
	Publisher message.Publisher
	Topic     string
}

// Send implements Sender. The Publisher bounds the call with its own
// produce timeout; ctx is not consulted by Watermill's Publish.
func (k *KafkaSender) Send(_ context.Context, batch []schemas.Sample) error {
	msgs := make([]*message.Message, len(batch))
	for i, s := range batch {
		payload, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encode sample: %w", err)
		}
		msgs[i] = message.NewMessage(watermill.NewUUID(), payload)
		msgs[i].Metadata.Set(kafka.KeyMetadata, s.Host)
	}

	if err := k.Publisher.Publish(k.Topic, msgs...); err != nil {
		return fmt.Errorf("publish samples: %w", err)
	}
	return nil
}
