package audit

import (
	"context"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
)

// TileHeight sets which interior levels are persisted: levels 8, 16, 24, …
// Storing every level would double the rows written per append; storing none
// would make a proof cost a rehash of the whole tree. With this height any
// node is rebuilt from at most 2^7 stored hashes one stored level below it,
// while the stored interior nodes number about 1/255 of the leaves.
const TileHeight = 8

var (
	hasher = rfc6962.DefaultHasher
	rf     = &compact.RangeFactory{Hash: hasher.HashChildren}
)

// HashLeaf is the RFC 6962 leaf hash of a stored leaf: SHA-256(0x00 || leaf).
func HashLeaf(leaf []byte) []byte { return hasher.HashLeaf(leaf) }

// storedLevel reports whether nodes of this level are persisted as Nodes.
func storedLevel(level uint) bool { return level > 0 && level%TileHeight == 0 }

// nodeHash returns the hash of the perfect subtree id, read from the nearest
// stored level at or below it and rehashed with a compact range.
func nodeHash(ctx context.Context, r HashReader, id compact.NodeID) ([]byte, error) {
	base := id.Level - id.Level%TileHeight
	span := id.Level - base
	from := id.Index << span
	hs, err := r.Hashes(ctx, base, from, from+1<<span)
	if err != nil {
		return nil, err
	}
	if len(hs) != 1<<span {
		return nil, fmt.Errorf("tree node %d/%d: store returned %d hashes, want %d", id.Level, id.Index, len(hs), 1<<span)
	}
	if span == 0 {
		return hs[0], nil
	}
	// The stored hashes are the roots of equal perfect subtrees, so treating
	// them as leaves of a compact range yields the root above them.
	cr := rf.NewEmptyRange(0)
	for _, h := range hs {
		if err := cr.Append(h, nil); err != nil {
			return nil, err
		}
	}
	return cr.GetRootHash(nil)
}

// rangeAt rebuilds the compact range [0, size) from stored hashes: the
// running state another process left behind.
func rangeAt(ctx context.Context, r HashReader, size uint64) (*compact.Range, error) {
	ids := compact.RangeNodes(0, size, nil)
	hs := make([][]byte, 0, len(ids))
	for _, id := range ids {
		h, err := nodeHash(ctx, r, id)
		if err != nil {
			return nil, fmt.Errorf("rebuild tree state at size %d: %w", size, err)
		}
		hs = append(hs, h)
	}
	return rf.NewRange(0, size, hs)
}

// rootOf returns the RFC 6962 root of a compact range starting at 0,
// including the empty tree's root.
func rootOf(cr *compact.Range) ([]byte, error) {
	if cr.End() == 0 {
		return hasher.EmptyRoot(), nil
	}
	return cr.GetRootHash(nil)
}

// cloneRange copies cr so that a failed transaction leaves the original
// untouched.
func cloneRange(cr *compact.Range) (*compact.Range, error) {
	hs := make([][]byte, len(cr.Hashes()))
	copy(hs, cr.Hashes())
	return rf.NewRange(cr.Begin(), cr.End(), hs)
}
