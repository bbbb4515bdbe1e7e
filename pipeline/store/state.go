package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	ddl "github.com/scalora/scalora/schemas/sql"

	"github.com/scalora/scalora/schemas"
)

// EncodeState appends the JSON of hs (the host_state table's state column)
// to dst. Marshalling a HostState cannot fail: it holds only strings,
// numbers and times, and Batch.Validate refused a zero or out-of-range
// Updated before a backend encodes it.
func EncodeState(dst []byte, hs *schemas.HostState) []byte {
	b, err := json.Marshal(hs)
	if err != nil {
		panic(fmt.Sprintf("encode host state: %v", err))
	}
	return append(dst, b...)
}

// LoadStates reads the latest state of every host read from the given
// partitions of source, for the window stage to restore. A row whose JSON
// does not decode is an error naming its host: the store holds only what
// EncodeState wrote, so it means the table was written by something else.
func LoadStates(ctx context.Context, st Store, source string, partitions []int32) ([]schemas.HostState, error) {
	if len(partitions) == 0 {
		return nil, nil
	}

	parts := make([]string, len(partitions))
	for i, p := range partitions {
		parts[i] = strconv.FormatInt(int64(p), 10)
	}
	q := "SELECT host, state FROM host_state FINAL WHERE source = " + ddl.QuoteString(source) +
		" AND partition IN (" + strings.Join(parts, ", ") + ") ORDER BY host"

	res, err := st.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("load host states: %w", err)
	}

	out := make([]schemas.HostState, 0, len(res.Rows))
	for _, row := range res.Rows {
		host, _ := row[0].(string)
		raw, _ := row[1].(string)
		var hs schemas.HostState
		if err := json.Unmarshal([]byte(raw), &hs); err != nil {
			return nil, fmt.Errorf("load host states: host %q: %w", host, err)
		}
		hs.Host = host // the column keeps bytes JSON could not
		out = append(out, hs)
	}
	return out, nil
}
