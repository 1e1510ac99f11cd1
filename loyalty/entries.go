package loyalty

import (
	"hash/maphash"
	"math"
	"slices"
	"time"
	"unsafe"
)

// The engine keeps every recorded transaction for as long as it runs, so the
// in-memory form of a ledger entry is what its memory grows with: a
// LedgerEntry is 168 bytes (three time.Time, a string kind, an amount that
// is almost always the points' value) plus its transactionId, a small
// allocation of its own. entry is the same facts in 56 bytes with no
// pointers, so the collector never scans a ledger, and the transactionId
// sits in a shared arena. LedgerEntry stays the form handed out, saved and
// restored: conversion happens at those boundaries only.

// customer is a CustomerRecord in memory: the profile, its compact ledger
// and the lifetime earned points, which every award needs for the tier and
// would otherwise re-sum the whole ledger for.
type customer struct {
	ID      string
	Email   string
	Mobile  string
	Tier    string
	Aliases []string
	ledger  []entry
	earned  int64 // the sum of the ledger's positive points
}

// entry is a LedgerEntry as the engine keeps it. Times are UTC Unix
// nanoseconds. An entry the compact form cannot hold exactly (a restored
// amount that is not the points' value, a time with another offset or
// beyond 1678..2262, a kind the engine does not write) keeps its original in
// book.exact, and is converted from there, so a snapshot gives back what was
// restored.
type entry struct {
	gameballID  int64
	points      int64
	time        int64
	recordedAt  int64
	availableAt int64 // clamped to the int64 range when exact has the true value
	batchID     int32
	note        uint32 // index in book.notes; 0 for no reason and no username
	txPos       uint32 // the transactionId in book.ids
	txLen       uint16
	kind        entryKind
	exact       bool
}

type entryKind uint8

const (
	kindCashback entryKind = iota
	kindManual
	kindAdjustment
)

var entryKinds = [...]EntryKind{kindCashback: EntryCashback, kindManual: EntryManual, kindAdjustment: EntryAdjustment}

// note is the reason and username of an entry. Fixtures, loads and batches
// repeat a handful of them, so each distinct pair is kept once per book.
type note struct{ reason, username string }

// notes interns notes; index 0 is the empty note.
type notes struct {
	list  []note
	index map[note]uint32
}

func (n *notes) intern(v note) uint32 {
	if v == (note{}) {
		return 0
	}
	if i, ok := n.index[v]; ok {
		return i
	}
	if n.index == nil {
		n.index = map[note]uint32{}
		n.list = []note{{}}
	}
	i := uint32(len(n.list))
	n.list = append(n.list, v)
	n.index[v] = i
	return i
}

func (n *notes) get(i uint32) note {
	if i == 0 {
		return note{}
	}
	return n.list[i]
}

// idArena holds transactionIds back to back in fixed chunks, never moved
// or overwritten, so a string made over its bytes stays valid: the ledger
// refers to an id by position and the transactionId index uses the same
// bytes as its key, instead of one small allocation per id.
type idArena struct{ chunks [][]byte }

const arenaChunk = 1 << 16 // a position is chunk<<16 | offset

// put copies s in; false when it does not fit the scheme (empty, or a
// chunk long or more).
func (a *idArena) put(s string) (pos uint32, ok bool) {
	if s == "" || len(s) >= arenaChunk {
		return 0, false
	}
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(s) > arenaChunk {
		if len(a.chunks) == 1<<16 {
			return 0, false
		}
		a.chunks = append(a.chunks, make([]byte, 0, arenaChunk))
		last++
	}
	off := len(a.chunks[last])
	a.chunks[last] = append(a.chunks[last], s...)
	return uint32(last)<<16 | uint32(off), true
}

func (a *idArena) get(pos uint32, n uint16) string {
	if n == 0 {
		return ""
	}
	c := a.chunks[pos>>16]
	return unsafe.String(&c[pos&0xffff], int(n))
}

// compact converts e for storage. It also answers whether e needs keeping
// as it is in book.exact.
func (b *book) compact(e LedgerEntry) (entry, bool) {
	c := entry{
		gameballID: e.GameballTransactionID,
		points:     e.Points,
		batchID:    int32(e.BatchID),
		note:       b.notes.intern(note{e.Reason, e.Username}),
	}
	exact := int64(c.batchID) == e.BatchID
	var ok bool
	if c.time, ok = unixNano(e.Time); !ok {
		exact = false
	}
	if c.recordedAt, ok = unixNano(e.RecordedAt); !ok {
		exact = false
	}
	if c.availableAt, ok = unixNano(e.AvailableAt); !ok {
		exact = false
	}
	switch e.Kind {
	case EntryCashback:
		c.kind = kindCashback
	case EntryManual:
		c.kind = kindManual
	case EntryAdjustment:
		c.kind = kindAdjustment
	default:
		exact = false
	}
	if math.Float64bits(e.Amount) != math.Float64bits(b.program.value(e.Points)) {
		exact = false
	}
	if exact && e.TransactionID != "" {
		if c.txPos, exact = b.ids.put(e.TransactionID); exact {
			c.txLen = uint16(len(e.TransactionID))
		}
	}
	c.exact = !exact
	return c, !exact
}

// expand converts an entry back.
func (b *book) expand(c *entry) LedgerEntry {
	if c.exact {
		return b.exact[c.gameballID]
	}
	n := b.notes.get(c.note)
	return LedgerEntry{
		GameballTransactionID: c.gameballID,
		TransactionID:         b.ids.get(c.txPos, c.txLen),
		Kind:                  entryKinds[c.kind],
		Points:                c.points,
		Amount:                b.program.value(c.points),
		Time:                  fromUnixNano(c.time),
		RecordedAt:            fromUnixNano(c.recordedAt),
		AvailableAt:           fromUnixNano(c.availableAt),
		Reason:                n.reason,
		Username:              n.username,
		BatchID:               int64(c.batchID),
	}
}

// availableAt is when the entry's points count as available.
func (b *book) availableAt(c *entry) time.Time {
	if c.exact {
		return b.exact[c.gameballID].AvailableAt
	}
	return fromUnixNano(c.availableAt)
}

// unixNano is t as UTC Unix nanoseconds, and whether that gives t back
// exactly (same instant, UTC location). The answer is clamped to the int64
// range, so it still orders times correctly when it does not.
func unixNano(t time.Time) (int64, bool) {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64, false
	case t.After(maxNanoTime):
		return math.MaxInt64, false
	}
	n := t.UnixNano()
	return n, t.Location() == time.UTC && t.Equal(fromUnixNano(n))
}

func fromUnixNano(n int64) time.Time { return time.Unix(0, n).UTC() }

var (
	minNanoTime = fromUnixNano(math.MinInt64)
	maxNanoTime = fromUnixNano(math.MaxInt64)
)

// appendEntry appends to a ledger growing it by a quarter rather than
// append's doubling: ledgers only grow, so the spare room doubling leaves
// would be held for good.
func appendEntry(ledger []entry, e entry) []entry {
	if len(ledger) == cap(ledger) {
		grown := make([]entry, len(ledger), len(ledger)+len(ledger)/4+4)
		copy(grown, ledger)
		ledger = grown
	}
	return append(ledger, e)
}

// add appends an entry, keeping the original when the compact form is not
// exact.
func (b *book) add(rec *customer, e LedgerEntry) {
	c, keep := b.compact(e)
	switch {
	case keep:
		b.exact[e.GameballTransactionID] = e
		if e.TransactionID != "" {
			b.usedTransactionIDs.other[e.TransactionID] = struct{}{}
		}
	case c.txLen > 0:
		b.usedTransactionIDs.add(&b.ids, c.txPos, c.txLen)
	}
	rec.ledger = appendEntry(rec.ledger, c)
	if e.Points > 0 {
		rec.earned += e.Points
	}
}

// entries converts a customer's ledger back, oldest first.
func (b *book) entries(rec *customer) []LedgerEntry {
	out := make([]LedgerEntry, len(rec.ledger))
	for i := range rec.ledger {
		out[i] = b.expand(&rec.ledger[i])
	}
	return out
}

// customerRecord converts a customer back to its saved form.
func (b *book) customerRecord(rec *customer) CustomerRecord {
	return CustomerRecord{
		ID:      rec.ID,
		Email:   rec.Email,
		Mobile:  rec.Mobile,
		Tier:    rec.Tier,
		Aliases: slices.Clone(rec.Aliases),
		Ledger:  b.entries(rec),
	}
}

// idSet is the set of transactionIds in use: an open-addressing table of
// arena positions, 8 bytes a slot and nothing for the collector to follow,
// where a map[string]struct{} takes about three times that and holds a
// pointer per id. The ids of entries kept exact are not in the arena; other
// has them.
type idSet struct {
	seed  maphash.Seed
	slots []uint64 // hash tag<<48 | length<<32 | arena position; 0 is empty
	n     int
	other map[string]struct{}
}

func (s *idSet) has(a *idArena, id string) bool {
	if _, ok := s.other[id]; ok {
		return true
	}
	if len(s.slots) == 0 || id == "" || len(id) >= arenaChunk {
		return false
	}
	h := maphash.String(s.seed, id)
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			return false
		}
		if v>>48 == h>>48 && a.get(uint32(v), uint16(v>>32)) == id {
			return true
		}
	}
}

// add adds the id at pos; the caller knows it is not in the set yet.
func (s *idSet) add(a *idArena, pos uint32, n uint16) {
	if (s.n+1)*4 > len(s.slots)*3 {
		old := s.slots
		s.slots = make([]uint64, max(64, 2*len(old)))
		for _, v := range old {
			if v != 0 {
				s.insert(a, uint32(v), uint16(v>>32))
			}
		}
	}
	s.insert(a, pos, n)
	s.n++
}

func (s *idSet) insert(a *idArena, pos uint32, n uint16) {
	h := maphash.String(s.seed, a.get(pos, n))
	mask := uint64(len(s.slots) - 1)
	i := h & mask
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = h>>48<<48 | uint64(n)<<32 | uint64(pos)
}
