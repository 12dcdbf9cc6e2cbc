package model

import "math/bits"

// sink receives feature hashes. In training it records their bucket
// indices; in scoring it looks each bucket's row up in the table as the
// feature arrives and adds it to a running lane sum, which is unpacked into
// the per-category sums every laneBatch rows (before a lane could
// overflow). Integer sums are exact in any grouping, so this equals adding
// the int8 weights one by one.
type sink struct {
	shift   uint8 // 64 - log2(buckets): the bucket is the top bits of h·mulB
	collect bool  // training: record indices in idx, do not score
	left    int   // rows that can still be added to sum before unpacking it
	sum     uint64
	acc     [numCat]int32
	n       int // features in the unpacked sums (scoring)
	dir     []rankWord
	lanes   []uint64
	idx     []uint32
}

// scoreSink returns a sink that sums t's rows for a model with the given
// number of bucket bits.
func scoreSink(log2 uint8, t *table) sink {
	return sink{shift: 64 - log2, left: laneBatch, dir: t.dir, lanes: t.lanes}
}

// put adds one feature.
//
// Lane-sum invariant, kept by every adder: make room first (unpack when
// fewer than k rows are left for the k about to be added), then add; so
// 0 ≤ left ≤ laneBatch always and unpack(laneBatch-left) is always exact.
func (s *sink) put(h uint64) {
	i := bucket(h, s.shift)
	if s.collect {
		s.idx = append(s.idx, i)
		return
	}
	if s.left == 0 {
		s.unpack(laneBatch)
	}
	s.sum += row(s.dir, s.lanes, i)
	s.left--
}

// row is table.slot and the row load, spelled out on slices the caller
// keeps in registers.
func row(dir []rankWord, lanes []uint64, i uint32) uint64 {
	d := dir[i>>6]
	up := d.set << (63 - i&63)
	return lanes[(d.last+uint32(bits.OnesCount64(up)))&uint32(int64(up)>>63)]
}

// unpack adds the k rows summed in s.sum to the per-category sums and
// starts a new lane sum.
func (s *sink) unpack(k int) {
	sum, bias := s.sum, int32(k*laneBias)
	s.acc[0] += int32(sum&laneMask) - bias
	s.acc[1] += int32(sum>>laneBits&laneMask) - bias
	s.acc[2] += int32(sum>>(2*laneBits)&laneMask) - bias
	s.acc[3] += int32(sum>>(3*laneBits)&laneMask) - bias
	s.acc[4] += int32(sum>>(4*laneBits)&laneMask) - bias
	s.n += k
	s.sum, s.left = 0, laneBatch
}

// finish unpacks the last partial lane sum (scoring).
func (s *sink) finish() {
	if !s.collect {
		s.unpack(laneBatch - s.left)
	}
}

// bucket is feature h's bucket. Fibonacci hashing: one multiply, and the
// top bits (which depend on every input bit after step's mixing) pick the
// bucket. shift is 64 - log2(buckets), never 64 or more; the mask tells
// the compiler so, which spares the shift's out-of-range fix-up.
func bucket(h uint64, shift uint8) uint32 {
	return uint32((h * mulB) >> (shift & 63))
}
