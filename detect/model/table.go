package model

import "math/bits"

// table is the scoring form of a model's weight rows. Most buckets of a
// trained model are zero (93% of 2^18 in one trained on our data), so the
// dense 2^k-row table (2 MiB at 2^18 buckets) mostly holds zeros,
// and in the engine its lookups compete for cache with the rule automaton
// and the other passes. table keeps only the non-zero rows
// plus a rank directory: a bucket's row is found with one load from the
// directory (a bitmap word of 64 buckets and the count of non-zero rows
// before it) and one from the packed rows, both small enough (≈ 64 KiB +
// 8 bytes per non-zero row) to stay in the CPU's caches. Lookups are
// branch-free: an absent bucket reads lanes[0], the zero row.
type table struct {
	dir []rankWord
	// lanes holds each non-zero row in bucket order, after lanes[0] (all
	// weights zero), as numCat laneBits-bit lanes, category c's weight
	// plus laneBias in lane c: adding laneBatch such words sums every
	// category at once without a lane overflowing into the next.
	lanes []uint64
}

// rankWord covers buckets 64w..64w+63: bit b of set says bucket 64w+b has
// a non-zero row, stored at lanes[last + (set bits up to and including
// b)]; last is the index of the row before the word's first (0 if none).
// Counting up to b inclusive takes one shift of set, whose top bit is
// then bucket b's own (see slot).
type rankWord struct {
	set  uint64
	last uint32
}

const (
	laneBits  = 12
	laneMask  = 1<<laneBits - 1
	laneBias  = 128                        // int8 weight + laneBias is in 0..255
	laneBatch = laneMask / 255             // words that can be added before a lane could overflow
	_         = uint(64 - numCat*laneBits) // compile-time check: the lanes fit in a word
)

// toLanes converts a packed row of int8 weights to biased lanes.
func toLanes(row uint64) uint64 {
	var l uint64
	for c := range numCat {
		l |= uint64(int64(weight(row, c))+laneBias) << (laneBits * c)
	}
	return l
}

// newTable indexes dense rows; len(dense) is a power of two ≥ 64.
func newTable(dense []uint64) table {
	t := table{dir: make([]rankWord, len(dense)/64), lanes: []uint64{toLanes(0)}}
	for w := range t.dir {
		t.dir[w].last = uint32(len(t.lanes) - 1)
		for b, row := range dense[64*w : 64*w+64] {
			if row != 0 {
				t.dir[w].set |= 1 << b
				t.lanes = append(t.lanes, toLanes(row))
			}
		}
	}
	return t
}

// slot returns the index of bucket i's row in t.lanes (0 for a zero row).
func (t *table) slot(i uint32) uint32 {
	d := t.dir[i>>6]
	up := d.set << (63 - i&63) // bits 0..b of set, b's own on top
	return (d.last + uint32(bits.OnesCount64(up))) & uint32(int64(up)>>63)
}
