package kafka

import (
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"
)

// offsetMarks holds, per partition, the offset to commit next: one past the
// last acked record. Only partitions marked since their last commit are
// "dirty" and sent. Safe for concurrent use.
//
// Each stretch of ownership of a partition (from its first mark to forget)
// has a number of its own, its life. A commit takes the dirty marks, runs
// BeforeCommit, and then sends only the marks whose partition is still in
// the life it was taken in (owned): a partition lost while BeforeCommit ran
// and assigned again meanwhile must not get its previous owner's offset,
// which can lie beyond what the new life's restored state covers.
type offsetMarks struct {
	mu    sync.Mutex
	marks map[string]map[int32]mark
	lives uint64 // lives handed out so far
}

type mark struct {
	offset kgo.EpochOffset
	dirty  bool
	life   uint64
}

// takenMarks are the dirty marks a commit took, with the life of each.
type takenMarks map[string]map[int32]mark

func newOffsetMarks() *offsetMarks {
	return &offsetMarks{marks: make(map[string]map[int32]mark)}
}

// markRecord records that r was acked. Records of a partition are acked in
// offset order, so a mark never moves backwards.
func (o *offsetMarks) markRecord(r *kgo.Record) {
	o.mu.Lock()
	defer o.mu.Unlock()

	parts := o.marks[r.Topic]
	if parts == nil {
		parts = make(map[int32]mark)
		o.marks[r.Topic] = parts
	}

	life := parts[r.Partition].life
	if life == 0 {
		o.lives++
		life = o.lives
	}
	parts[r.Partition] = mark{
		offset: kgo.EpochOffset{Epoch: r.LeaderEpoch, Offset: r.Offset + 1},
		dirty:  true,
		life:   life,
	}
}

// dirty returns the marks not yet committed, limited to the partitions in
// only when only is non-nil.
func (o *offsetMarks) dirty(only map[string][]int32) takenMarks {
	o.mu.Lock()
	defer o.mu.Unlock()

	out := make(takenMarks)
	add := func(topic string, p int32, m mark) {
		if !m.dirty {
			return
		}
		if out[topic] == nil {
			out[topic] = make(map[int32]mark)
		}
		out[topic][p] = m
	}

	if only == nil {
		for topic, parts := range o.marks {
			for p, m := range parts {
				add(topic, p, m)
			}
		}
		return out
	}

	for topic, ps := range only {
		for _, p := range ps {
			if m, ok := o.marks[topic][p]; ok {
				add(topic, p, m)
			}
		}
	}
	return out
}

// owned returns the offsets of the taken marks whose partition is still in
// the life they were taken in, for the commit request.
func (o *offsetMarks) owned(taken takenMarks) map[string]map[int32]kgo.EpochOffset {
	o.mu.Lock()
	defer o.mu.Unlock()

	out := make(map[string]map[int32]kgo.EpochOffset)
	for topic, parts := range taken {
		for p, m := range parts {
			if cur, ok := o.marks[topic][p]; !ok || cur.life != m.life {
				continue
			}
			if out[topic] == nil {
				out[topic] = make(map[int32]kgo.EpochOffset)
			}
			out[topic][p] = m.offset
		}
	}
	return out
}

// committed clears the dirty flag of marks that still equal what was
// committed; a partition acked again meanwhile stays dirty.
func (o *offsetMarks) committed(done map[string]map[int32]kgo.EpochOffset) {
	o.mu.Lock()
	defer o.mu.Unlock()

	for topic, parts := range done {
		for p, off := range parts {
			if m, ok := o.marks[topic][p]; ok && m.offset == off {
				m.dirty = false
				o.marks[topic][p] = m
			}
		}
	}
}

// forget drops the marks of partitions this member no longer owns, so a
// later round cannot commit a stale offset over the new owner's progress.
func (o *offsetMarks) forget(parts map[string][]int32) {
	o.mu.Lock()
	defer o.mu.Unlock()

	for topic, ps := range parts {
		for _, p := range ps {
			delete(o.marks[topic], p)
		}
	}
}

func countOffsets(m map[string]map[int32]kgo.EpochOffset) int {
	n := 0
	for _, parts := range m {
		n += len(parts)
	}
	return n
}
