package audit

import (
	"context"
	"fmt"

	"github.com/transparency-dev/merkle/proof"
)

// InclusionProof returns the RFC 6962 audit path proving that the leaf at
// index is in the tree of the given size (verify with
// proof.VerifyInclusion against a checkpoint of that size).
func (l *Log) InclusionProof(ctx context.Context, index, size uint64) ([][]byte, error) {
	if err := l.checkSize(ctx, size); err != nil {
		return nil, err
	}
	if index >= size {
		return nil, fmt.Errorf("%w: index %d is not below tree size %d", ErrInvalid, index, size)
	}
	n, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return l.rehash(ctx, n)
}

// ConsistencyProof returns the RFC 6962 proof that the tree of size1 is a
// prefix of the tree of size2 (verify with proof.VerifyConsistency).
func (l *Log) ConsistencyProof(ctx context.Context, size1, size2 uint64) ([][]byte, error) {
	if err := l.checkSize(ctx, size2); err != nil {
		return nil, err
	}
	if size1 > size2 {
		return nil, fmt.Errorf("%w: from size %d exceeds to size %d", ErrInvalid, size1, size2)
	}
	n, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return l.rehash(ctx, n)
}

// RootAt returns the root hash of the tree of the given size.
func (l *Log) RootAt(ctx context.Context, size uint64) ([]byte, error) {
	if err := l.checkSize(ctx, size); err != nil {
		return nil, err
	}
	return l.rootAt(ctx, size)
}

func (l *Log) checkSize(ctx context.Context, size uint64) error {
	cur, err := l.store.Size(ctx)
	if err != nil {
		return err
	}
	if size > cur {
		return fmt.Errorf("%w: tree size %d exceeds the log's size %d", ErrInvalid, size, cur)
	}
	return nil
}

func (l *Log) rehash(ctx context.Context, n proof.Nodes) ([][]byte, error) {
	hs := make([][]byte, len(n.IDs))
	for i, id := range n.IDs {
		h, err := nodeHash(ctx, l.store, id)
		if err != nil {
			return nil, fmt.Errorf("build proof: %w", err)
		}
		hs[i] = h
	}
	return n.Rehash(hs, hasher.HashChildren)
}
