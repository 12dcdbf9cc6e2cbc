package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/note"
)

// Kind classifies what Verify found wrong.
type Kind string

// The kinds of tampering Verify names.
const (
	Altered    Kind = "altered"    // an entry's content no longer matches its hash or a signed root
	Removed    Kind = "removed"    // an index is missing, or a checkpoint covers entries no longer stored
	Reordered  Kind = "reordered"  // an entry sits at a position other than the one it was written at
	BadCheck   Kind = "checkpoint" // a stored checkpoint's signature or fields do not verify
	BadNode    Kind = "tree node"  // a stored interior node differs from the recomputed tree (proofs would fail)
	verifyPage      = 1000
)

// Finding is the first problem Verify met: the entry index (for BadCheck,
// the size the checkpoint claims) and a sentence saying what is wrong.
type Finding struct {
	Index  uint64
	Kind   Kind
	Detail string
}

func (f Finding) String() string {
	return fmt.Sprintf("entry %d: %s: %s", f.Index, f.Kind, f.Detail)
}

// Report is the outcome of Verify.
type Report struct {
	Size        uint64   // entries recomputed
	Root        []byte   // recomputed root at Size
	Checkpoints int      // stored checkpoints whose signature and root were checked
	Bad         *Finding // nil when the log is intact
}

// Verify recomputes every leaf hash from the stored leaves, rebuilds the
// tree, checks every stored checkpoint's signature (v's name is the origin)
// and that its root matches the recomputed root at its size, and checks the
// stored interior nodes. It returns the first problem in log order in
// Report.Bad; the error is only for failures to read the store.
//
// Removing the newest entries is detectable only up to the latest
// checkpoint: publish checkpoints often, and keep copies outside the database.
func Verify(ctx context.Context, s Store, v note.Verifier) (Report, error) {
	var rep Report
	stored, err := s.Checkpoints(ctx)
	if err != nil {
		return rep, fmt.Errorf("read checkpoints: %w", err)
	}
	type cpAt struct {
		n  int // 1-based publication number, for messages
		cp Checkpoint
	}
	cps := make([]cpAt, 0, len(stored))
	for i, c := range stored {
		body, err := ParseCheckpoint(c.Note, v)
		if err != nil {
			rep.Bad = &Finding{Index: c.Size, Kind: BadCheck, Detail: fmt.Sprintf("checkpoint #%d does not verify with key %s: %v", i+1, v.Name(), err)}
			return rep, nil
		}
		if body.Size != c.Size || !bytes.Equal(body.Hash, c.Root) {
			rep.Bad = &Finding{Index: c.Size, Kind: BadCheck, Detail: fmt.Sprintf("checkpoint #%d: stored size/root columns differ from its signed body (size %d)", i+1, body.Size)}
			return rep, nil
		}
		cps = append(cps, cpAt{n: i + 1, cp: c})
	}
	sort.SliceStable(cps, func(i, j int) bool { return cps[i].cp.Size < cps[j].cp.Size })

	cr := rf.NewEmptyRange(0)
	var nodes []Node
	visit := func(id compact.NodeID, h []byte) {
		if storedLevel(id.Level) {
			nodes = append(nodes, Node{Level: id.Level, Index: id.Index, Hash: h})
		}
	}
	var n, goodUpTo uint64 // entries checked; size of the last matching checkpoint
	next := 0              // next checkpoint (by size) to compare
	checkRoots := func() (*Finding, error) {
		for next < len(cps) && cps[next].cp.Size == n {
			root, err := rootOf(cr)
			if err != nil {
				return nil, err
			}
			c := cps[next]
			if !bytes.Equal(root, c.cp.Root) {
				return &Finding{Index: goodUpTo, Kind: Altered, Detail: fmt.Sprintf(
					"entries %d..%d do not match the root signed in checkpoint #%d (size %d, published %s); one of them was altered or moved with its hash recomputed",
					goodUpTo, n-1, c.n, c.cp.Size, c.cp.PublishedAt.Format("2006-01-02T15:04:05Z07:00"))}, nil
			}
			goodUpTo = n
			rep.Checkpoints++
			next++
		}
		return nil, nil
	}
	if f, err := checkRoots(); f != nil || err != nil {
		rep.Bad = f
		return rep, err
	}
	for {
		page, err := s.Entries(ctx, n, verifyPage)
		if err != nil {
			return rep, fmt.Errorf("read entries from %d: %w", n, err)
		}
		for _, e := range page {
			if f := checkEntry(e, n); f != nil {
				rep.Size, rep.Bad = n, f
				return rep, nil
			}
			if err := cr.Append(e.LeafHash, visit); err != nil {
				return rep, err
			}
			n++
			if f, err := checkRoots(); f != nil || err != nil {
				rep.Size, rep.Bad = n, f
				return rep, err
			}
		}
		if len(page) < verifyPage {
			break
		}
	}
	rep.Size = n
	if rep.Root, err = rootOf(cr); err != nil {
		return rep, err
	}
	if next < len(cps) {
		c := cps[next]
		rep.Bad = &Finding{Index: n, Kind: Removed, Detail: fmt.Sprintf(
			"checkpoint #%d covers %d entries but only %d are stored: entries %d..%d were removed",
			c.n, c.cp.Size, n, n, c.cp.Size-1)}
		return rep, nil
	}
	f, err := checkNodes(ctx, s, nodes)
	rep.Bad = f
	return rep, err
}

// checkEntry compares one stored entry with what position want requires.
func checkEntry(e Entry, want uint64) *Finding {
	if e.Index > want {
		return &Finding{Index: want, Kind: Removed, Detail: fmt.Sprintf("entry %d is missing (the next stored entry is %d)", want, e.Index)}
	}
	if e.Index < want {
		return &Finding{Index: want, Kind: Reordered, Detail: fmt.Sprintf("the store returned entry %d again after entry %d", e.Index, want-1)}
	}
	l, err := DecodeLeaf(e.Leaf)
	if err != nil {
		return &Finding{Index: want, Kind: Altered, Detail: err.Error()}
	}
	if l.Index != e.Index {
		return &Finding{Index: want, Kind: Reordered, Detail: fmt.Sprintf("position %d holds the entry written at index %d", want, l.Index)}
	}
	if !bytes.Equal(HashLeaf(e.Leaf), e.LeafHash) {
		return &Finding{Index: want, Kind: Altered, Detail: "its content does not match the leaf hash recorded when it was appended"}
	}
	switch ev := l.Event; {
	case !ev.At.Equal(e.At):
		return &Finding{Index: want, Kind: Altered, Detail: fmt.Sprintf("time column %s differs from the logged time %s", e.At.UTC().Format("2006-01-02T15:04:05.999999Z"), ev.At.Format("2006-01-02T15:04:05.999999Z"))}
	case ev.Actor != e.Actor:
		return &Finding{Index: want, Kind: Altered, Detail: fmt.Sprintf("actor column %q differs from the logged actor %q", e.Actor, ev.Actor)}
	case ev.Role != e.Role:
		return &Finding{Index: want, Kind: Altered, Detail: fmt.Sprintf("role column %q differs from the logged role %q", e.Role, ev.Role)}
	case ev.Action != e.Action:
		return &Finding{Index: want, Kind: Altered, Detail: fmt.Sprintf("action column %q differs from the logged action %q", e.Action, ev.Action)}
	}
	return nil
}

// checkNodes compares the stored interior nodes with the recomputed ones,
// level by level.
func checkNodes(ctx context.Context, s Store, want []Node) (*Finding, error) {
	byLevel := map[uint][]Node{}
	for _, nd := range want {
		byLevel[nd.Level] = append(byLevel[nd.Level], nd)
	}
	levels := make([]uint, 0, len(byLevel))
	for l := range byLevel {
		levels = append(levels, l)
	}
	sort.Slice(levels, func(i, j int) bool { return levels[i] < levels[j] })
	var first *Finding
	for _, lv := range levels {
		ns := byLevel[lv]
		got, err := s.Hashes(ctx, lv, 0, uint64(len(ns)))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("read tree nodes at level %d: %w", lv, err)
		}
		for i, nd := range ns {
			if err != nil { // some node is missing: find which, one at a time
				one, err1 := s.Hashes(ctx, lv, nd.Index, nd.Index+1)
				if err1 == nil && bytes.Equal(one[0], nd.Hash) {
					continue
				}
				if err1 != nil && !errors.Is(err1, ErrNotFound) {
					return nil, fmt.Errorf("read tree node %d at level %d: %w", nd.Index, lv, err1)
				}
			} else if bytes.Equal(got[i], nd.Hash) {
				continue
			}
			f := &Finding{Index: nd.Index << lv, Kind: BadNode, Detail: fmt.Sprintf(
				"stored node %d at level %d (entries %d..%d) is missing or differs from the recomputed tree", nd.Index, lv, nd.Index<<lv, (nd.Index+1)<<lv-1)}
			if first == nil || f.Index < first.Index {
				first = f
			}
			break
		}
	}
	return first, nil
}
