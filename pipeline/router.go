package pipeline

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
)

// HandlerName is the router handler's name.
const HandlerName = "scalora"

// NewRouter wires h between the samples topic and the dead-letter topic.
//
// Middleware order, outermost first: the dead-letter queue (final errors go
// to topics.DeadLetter with their reason, and the input is acked), then the
// recoverer (a panic becomes a final error instead of killing the process).
func NewRouter(
	h *Handler,
	sub message.Subscriber,
	pub message.Publisher,
	topics Topics,
	closeTimeout time.Duration,
	log *slog.Logger,
) (*message.Router, error) {
	r, err := message.NewRouter(message.RouterConfig{CloseTimeout: closeTimeout}, watermill.NewSlogLogger(log))
	if err != nil {
		return nil, fmt.Errorf("new router: %w", err)
	}

	dlq, err := middleware.PoisonQueueWithFilter(pub, topics.DeadLetter, isDeadLetter)
	if err != nil {
		return nil, fmt.Errorf("dead-letter middleware: %w", err)
	}
	r.AddMiddleware(dlq, markPanics, middleware.Recoverer)

	r.AddConsumerHandler(HandlerName, topics.Samples, sub, h.Handle)
	return r, nil
}

// markPanics sets the reason header of input whose processing panicked.
func markPanics(next message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := next(msg)
		if err != nil && errors.As(err, new(middleware.RecoveredPanicError)) {
			msg.Metadata.Set(ReasonMetadata, reasonPanic)
		}
		return out, err
	}
}
