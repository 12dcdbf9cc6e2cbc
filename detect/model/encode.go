package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// Encoding (little-endian), designed so that the same model always has the
// same bytes and a damaged file is rejected before use:
//
//	magic "VIGILMDL" | format u16 | features u16
//	numCat u8, then each category name as u8 length + bytes
//	bucketsLog2 u8
//	seed u64 | epochs u32 | examples u32 | l2 f64
//	per category: scale f32 | bias f32 | calA f32 | calB f32
//	rows uvarint, then per non-zero row: gap uvarint (index - previous index - 1,
//	    first row: index) and numCat int8 weights
//	CRC-32 (IEEE) of everything above, u32
//
// Only non-zero rows are stored: most buckets are never touched by a small
// training set, which keeps the file far below the in-memory table.

const (
	magic         = "VIGILMDL"
	formatVersion = 1
	// featureVersion changes whenever extract changes what a bucket means;
	// a model trained with other features must not load.
	featureVersion = 1

	minBucketsLog2 = 10
	maxBucketsLog2 = 22
	maxEncoded     = 64 << 20
)

// ErrInvalid is wrapped by every error Load returns for malformed input.
var ErrInvalid = errors.New("invalid model")

// MarshalBinary encodes the model. The encoding is deterministic.
func (m *Model) MarshalBinary() ([]byte, error) {
	return m.encode(), nil
}

func (m *Model) encode() []byte {
	b := make([]byte, 0, 1024)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint16(b, formatVersion)
	b = binary.LittleEndian.AppendUint16(b, featureVersion)
	b = append(b, numCat)
	for _, c := range Categories {
		b = append(b, byte(len(c)))
		b = append(b, c...)
	}
	b = append(b, m.bucketsLog2)
	b = binary.LittleEndian.AppendUint64(b, m.meta.seed)
	b = binary.LittleEndian.AppendUint32(b, m.meta.epochs)
	b = binary.LittleEndian.AppendUint32(b, m.meta.examples)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.meta.l2))
	for _, p := range m.cat {
		for _, f := range [4]float32{p.scale, p.bias, p.calA, p.calB} {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		}
	}
	nz := 0
	for _, row := range m.rows {
		if row != 0 {
			nz++
		}
	}
	b = binary.AppendUvarint(b, uint64(nz))
	next := 0
	for r, row := range m.rows {
		if row == 0 {
			continue
		}
		b = binary.AppendUvarint(b, uint64(r-next))
		for c := range numCat {
			b = append(b, byte(weight(row, c)))
		}
		next = r + 1
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// Load decodes a model written by MarshalBinary. Any malformed, truncated,
// corrupted or incompatible input yields an error wrapping ErrInvalid.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxEncoded+1))
	if err != nil {
		return nil, fmt.Errorf("model: read: %w", err)
	}
	if len(data) > maxEncoded {
		return nil, fmt.Errorf("model: %w: larger than %d bytes", ErrInvalid, maxEncoded)
	}
	m, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("model: %w: %v", ErrInvalid, err)
	}
	return m, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// decoder reads fields and remembers the first failure, so decode reads
// like the format description.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.err = errors.New("truncated")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u8() uint8 {
	if v := d.take(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *decoder) u16() uint16 {
	if v := d.take(2); v != nil {
		return binary.LittleEndian.Uint16(v)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if v := d.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if v := d.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errors.New("truncated or overlong varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) f32() float32 {
	f := math.Float32frombits(d.u32())
	if d.err == nil && (math.IsNaN(float64(f)) || math.IsInf(float64(f), 0)) {
		d.err = errors.New("non-finite parameter")
	}
	return f
}

func decode(data []byte) (*Model, error) {
	if len(data) < len(magic)+4 {
		return nil, errors.New("too short")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if string(body[:len(magic)]) != magic {
		return nil, errors.New("not a Vigil model (bad magic)")
	}
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("checksum mismatch (file damaged or truncated)")
	}
	d := &decoder{b: body[len(magic):]}
	if v := d.u16(); d.err == nil && v != formatVersion {
		return nil, fmt.Errorf("format version %d, this build reads %d", v, formatVersion)
	}
	if v := d.u16(); d.err == nil && v != featureVersion {
		return nil, fmt.Errorf("feature version %d, this build extracts %d", v, featureVersion)
	}
	if n := d.u8(); d.err == nil && n != numCat {
		return nil, fmt.Errorf("%d categories, want %d", n, numCat)
	}
	for _, want := range Categories {
		got := d.take(int(d.u8()))
		if d.err == nil && string(got) != want {
			return nil, fmt.Errorf("category %q where %q was expected", got, want)
		}
	}
	m := &Model{bucketsLog2: d.u8()}
	if d.err == nil && (m.bucketsLog2 < minBucketsLog2 || m.bucketsLog2 > maxBucketsLog2) {
		return nil, fmt.Errorf("2^%d buckets outside 2^%d..2^%d", m.bucketsLog2, minBucketsLog2, maxBucketsLog2)
	}
	m.meta.seed = d.u64()
	m.meta.epochs = d.u32()
	m.meta.examples = d.u32()
	m.meta.l2 = math.Float64frombits(d.u64())
	for c := range m.cat {
		p := &m.cat[c]
		p.scale, p.bias, p.calA, p.calB = d.f32(), d.f32(), d.f32(), d.f32()
	}
	nz := d.uvarint()
	if d.err != nil {
		return nil, d.err
	}
	rows := uint64(1) << m.bucketsLog2
	if nz > rows || nz*(1+numCat) > uint64(len(d.b)) {
		return nil, fmt.Errorf("%d weight rows do not fit", nz)
	}
	m.rows = make([]uint64, rows)
	next := uint64(0)
	for range nz {
		r := next + d.uvarint()
		if d.err == nil && (r < next || r >= rows) {
			return nil, fmt.Errorf("weight row %d out of range", r)
		}
		row := d.take(numCat)
		if d.err != nil {
			return nil, d.err
		}
		if bytes.Count(row, []byte{0}) == numCat {
			return nil, fmt.Errorf("weight row %d stored but zero (non-canonical)", r)
		}
		var ws [numCat]int8
		for c, v := range row {
			ws[c] = int8(v)
		}
		m.rows[r] = pack(ws)
		next = r + 1
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(d.b))
	}
	m.tab = newTable(m.rows)
	m.setVersion(data)
	return m, nil
}
