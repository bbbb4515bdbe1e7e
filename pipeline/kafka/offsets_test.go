package kafka

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestCommitSkipsAPartitionLostWhileBeforeCommitRan pins the order a
// broker restart produced in the kill test: a commit takes partition 3's
// mark, the partition is lost and assigned again while BeforeCommit runs,
// and the new life acks an earlier offset. The old life's offset must not
// be committed: the new life restored an older state and would skip the
// records between.
func TestCommitSkipsAPartitionLostWhileBeforeCommitRan(t *testing.T) {
	m := newOffsetMarks()
	m.markRecord(&kgo.Record{Topic: "in", Partition: 3, Offset: 1499})
	m.markRecord(&kgo.Record{Topic: "in", Partition: 1, Offset: 99})

	taken := m.dirty(nil)
	m.forget(map[string][]int32{"in": {3}})
	m.markRecord(&kgo.Record{Topic: "in", Partition: 3, Offset: 899})

	got := m.owned(taken)
	if _, ok := got["in"][3]; ok {
		t.Errorf("partition 3: old life's offset %v would be committed", got["in"][3])
	}
	if off := got["in"][1].Offset; off != 100 {
		t.Errorf("partition 1: commit offset %d, want 100", off)
	}

	m.committed(got)
	next := m.owned(m.dirty(nil))
	if off := next["in"][3].Offset; len(next["in"]) != 1 || off != 900 {
		t.Errorf("next commit: %v, want only partition 3 at 900", next)
	}
}

// TestCommitKeepsAPartitionAckedAgainInTheSameLife: a partition acked
// further while BeforeCommit ran is committed at the taken offset and stays
// dirty for the next round.
func TestCommitKeepsAPartitionAckedAgainInTheSameLife(t *testing.T) {
	m := newOffsetMarks()
	m.markRecord(&kgo.Record{Topic: "in", Partition: 0, Offset: 9})
	taken := m.dirty(nil)
	m.markRecord(&kgo.Record{Topic: "in", Partition: 0, Offset: 19})

	got := m.owned(taken)
	if off := got["in"][0].Offset; off != 10 {
		t.Fatalf("commit offset %d, want the taken 10", off)
	}
	m.committed(got)
	if off := m.owned(m.dirty(nil))["in"][0].Offset; off != 20 {
		t.Errorf("next commit offset %d, want 20", off)
	}
}
