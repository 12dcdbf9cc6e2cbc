package audit

import (
	"context"
	"errors"
	"time"
)

// Entry is one stored leaf: its index, the canonical leaf bytes, the leaf hash
// written at append time, and the columns kept beside the leaf for queries
// (Verify checks that they agree with the leaf).
type Entry struct {
	Index    uint64
	At       time.Time
	Actor    string
	Role     string
	Action   string
	Leaf     []byte
	LeafHash []byte
}

// Node is a perfect interior Merkle subtree hash persisted so that proofs
// need not rehash the whole tree. Only levels that are multiples of
// TileHeight are stored (see tree.go).
type Node struct {
	Level uint
	Index uint64
	Hash  []byte
}

// Batch is what one append transaction writes: entries with consecutive
// indexes starting at the current size, and the interior nodes they complete.
type Batch struct {
	Entries []Entry
	Nodes   []Node
}

// Checkpoint is a published, signed tree head.
type Checkpoint struct {
	Size        uint64
	Root        []byte
	Note        []byte // the signed note: C2SP tlog-checkpoint body + signature lines
	PublishedAt time.Time
}

// HashReader reads stored tree hashes: level 0 are the leaf hashes of
// entries, higher levels the persisted Nodes. It returns exactly to-from
// hashes, in index order, or an error wrapping ErrNotFound when any is absent.
type HashReader interface {
	Hashes(ctx context.Context, level uint, from, to uint64) ([][]byte, error)
}

// Store persists the log. store.AuditStore implements it for SQLite and
// PostgreSQL.
type Store interface {
	HashReader
	// AppendBatch takes the writer lock (one writer at a time across every
	// process sharing the database), reads the current size (max index + 1),
	// calls build with a reader bound to the same transaction, writes the
	// returned batch and commits. Nothing is written when build fails.
	AppendBatch(ctx context.Context, build func(ctx context.Context, r HashReader, size uint64) (Batch, error)) error
	// Size is the max stored index + 1 (0 when empty).
	Size(ctx context.Context) (uint64, error)
	// Entries returns up to limit entries with index >= from in index order.
	Entries(ctx context.Context, from uint64, limit int) ([]Entry, error)
	// SaveCheckpoint stores a published checkpoint.
	SaveCheckpoint(ctx context.Context, c Checkpoint) error
	// Checkpoints returns every stored checkpoint, in publication order.
	Checkpoints(ctx context.Context) ([]Checkpoint, error)
	// LatestCheckpoint returns the most recently published checkpoint;
	// ErrNotFound when none was published yet.
	LatestCheckpoint(ctx context.Context) (Checkpoint, error)
}

// ErrNotFound says a requested entry, node or checkpoint does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid says a request (an index, a size, a range) cannot be answered as
// asked; wrapped errors say which parameter and why.
var ErrInvalid = errors.New("invalid request")

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("audit log is closed")
