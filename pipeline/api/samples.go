package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/scalora/scalora/pipeline/kafka"
	"github.com/scalora/scalora/schemas"
)

// SamplesResult answers POST /v1/samples.
type SamplesResult struct {
	Accepted   int         `json:"accepted"`
	Rejected   int         `json:"rejected"`
	Rejections []Rejection `json:"rejections"`
}

// Rejection is one sample that was not accepted: its 0-based position in
// the array (or among the non-blank NDJSON lines), a schemas.Reason*
// value, and what was wrong.
type Rejection struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// postSamples reads the whole body first (JSON array or NDJSON), validates
// every sample, then publishes the valid ones in one batch: an oversized or
// malformed body publishes nothing.
func (s *Server) postSamples(w http.ResponseWriter, r *http.Request) {
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxSamplesBytes)
	br := bufio.NewReader(body)

	var res SamplesResult
	var msgs []*message.Message
	add := func(i int, raw []byte) {
		m, err := s.sampleMessage(raw)
		if err != nil {
			res.Rejections = append(res.Rejections, rejection(i, err))
			return
		}
		msgs = append(msgs, m)
	}

	var err error
	if first, _ := firstByte(br); first == '[' {
		err = eachArrayItem(br, add)
	} else {
		err = eachLine(br, add)
	}
	if err != nil {
		if tooLarge(err) {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, "too-large",
				fmt.Sprintf("the body exceeds %d bytes (api.max_samples_bytes); nothing was published", s.cfg.MaxSamplesBytes))
			return
		}
		writeProblem(w, r, http.StatusBadRequest, "malformed", err.Error()+"; nothing was published")
		return
	}

	if err := s.deps.Publisher.Publish(s.deps.SamplesTopic, msgs...); err != nil {
		s.log.Warn("publish posted samples failed", "err", err, "samples", len(msgs))
		writeProblem(w, r, http.StatusServiceUnavailable, "unavailable",
			"the samples could not be written to Kafka; retry the request (duplicates are harmless)")
		return
	}

	res.Accepted, res.Rejected = len(msgs), len(res.Rejections)
	if res.Rejections == nil {
		res.Rejections = []Rejection{}
	}
	writeJSON(w, http.StatusOK, res)
}

// sampleMessage validates one raw sample and encodes it as an input
// message keyed by its host, as "scalora produce" writes them.
func (s *Server) sampleMessage(raw []byte) (*message.Message, error) {
	smp, err := schemas.DecodeSample(raw, s.deps.Limits)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(smp)
	if err != nil {
		return nil, &schemas.SampleError{Reason: schemas.ReasonUnparsable, Detail: err.Error()}
	}
	m := message.NewMessage(smp.Host+"/"+smp.Time.UTC().Format(time.RFC3339Nano), payload)
	m.Metadata.Set(kafka.KeyMetadata, smp.Host)
	return m, nil
}

func rejection(i int, err error) Rejection {
	var se *schemas.SampleError
	if errors.As(err, &se) {
		return Rejection{Index: i, Reason: se.Reason, Detail: se.Detail}
	}
	return Rejection{Index: i, Reason: schemas.ReasonUnparsable, Detail: err.Error()}
}

// firstByte peeks at the first non-space byte.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.ReadByte()
		default:
			return b[0], nil
		}
	}
}

// eachArrayItem calls fn with every element of a JSON array. A body that
// is not a well-formed array is an error naming the offset; an element
// that is well-formed JSON but not a valid sample is fn's to reject.
func eachArrayItem(r io.Reader, fn func(int, []byte)) error {
	dec := json.NewDecoder(r)
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("read array: %w", err)
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("array element %d (byte %d): %w", i, dec.InputOffset(), err)
		}
		fn(i, raw)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("read array end: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the array")
	}
	return nil
}

// maxLine bounds one NDJSON line; a longer one is rejected as oversized
// by DecodeSample long before, so this only stops unbounded buffering.
const maxLine = 1 << 20

// eachLine calls fn with every non-blank line; indexes count those lines.
func eachLine(r io.Reader, fn func(int, []byte)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	i, line := 0, 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		fn(i, bytes.Clone(text))
		i++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return nil
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
