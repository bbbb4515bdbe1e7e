package schemas

import (
	"hash/maphash"
	"math/rand/v2"
	"sync/atomic"
)

// groupCache remembers group names for internGroup. It is a set-associative
// table: a name's hash picks a set of groupWays slots, and the name lives in
// one of them. It holds at most groupSets*groupWays (1,024) names of at
// most maxInternLen bytes each, about 270 KiB at worst; nothing leaves it
// except by being replaced.
var groupCache struct {
	seed  maphash.Seed
	slots [groupSets * groupWays]atomic.Pointer[string]
}

const (
	// groupSets and groupWays size groupCache. A deployment has a few
	// groups, against thousands of hosts: twenty groups all find a slot
	// unless five of them hash to one set, a chance of a few in a million.
	groupSets = 256
	groupWays = 4
	// maxInternLen bounds the names internGroup caches: the default
	// Limits.MaxHostLen. Longer names are returned uncached.
	maxInternLen = 253
)

func init() { groupCache.seed = maphash.MakeSeed() }

// internGroup returns b as a string, shared with earlier calls that gave
// the same bytes, so that decoding a sample of a known group allocates
// nothing for it. It is safe for concurrent use; the string it returns is
// immutable like any other.
//
// A name missing from the table costs two allocations (the string and its
// slot) and takes an empty slot of its set, or else a random one. More
// than groupWays groups in steady use in one set keep replacing each
// other, each then costing its two allocations on some of its samples;
// likewise a stream of ever new group names empties the table of the
// steady ones as fast as it arrives.
func internGroup(b []byte) string {
	if len(b) == 0 || len(b) > maxInternLen {
		return string(b)
	}

	h := maphash.Bytes(groupCache.seed, b)
	set := groupCache.slots[h%groupSets*groupWays:][:groupWays]
	for i := range set {
		if p := set[i].Load(); p != nil && *p == string(b) {
			return *p
		}
	}

	victim := &set[rand.IntN(groupWays)]
	for i := range set {
		if set[i].Load() == nil {
			victim = &set[i]
			break
		}
	}
	s := string(b)
	victim.Store(&s)
	return s
}
