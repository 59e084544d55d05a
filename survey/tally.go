package survey

import (
	"encoding/binary"
	"errors"
)

// Tally counts one response's answers per competence and answer value:
// Tally[c][v] is how many items of the instrument's competence c were
// answered v (0 is "ved ikke", 1–5 the scale). It is all the aggregates of a
// round need to know of a response, so a report can be built from a few
// bytes per respondent instead of every answer. Counting is no scoring
// rule; the scores themselves are scoring's.
type Tally [][6]uint16

// Tally counts a's answers to the instrument's items, in the instrument's
// competence order. Items the instrument does not have and values off the
// scale are not counted, as scoring ignores them.
func (in *Instrument) Tally(a Answers) Tally {
	t := make(Tally, len(in.Competences))
	for c, comp := range in.Competences {
		for _, it := range comp.Items {
			if v, ok := a[it.ID]; ok && v.Valid() {
				t[c][v]++
			}
		}
	}
	return t
}

// tallyFormat is the first byte of an encoded tally, so that a later
// format can be told apart.
const tallyFormat = 1

// AppendBinary appends the tally's compact encoding to b: a format byte,
// the number of competences, then the six counts of each as unsigned
// varints. An instrument's 44 answers take 68 bytes.
func (t Tally) AppendBinary(b []byte) []byte {
	b = append(b, tallyFormat)
	b = binary.AppendUvarint(b, uint64(len(t)))
	for _, counts := range t {
		for _, n := range counts {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	return b
}

// DecodeTally reads a tally that AppendBinary wrote.
func DecodeTally(b []byte) (Tally, error) {
	return AppendDecodedTally(nil, b)
}

// AppendDecodedTally decodes a tally that AppendBinary wrote and appends
// its competences to dst, so that many tallies can share one allocation:
// the tally is the returned slice from len(dst) on.
func AppendDecodedTally(dst Tally, b []byte) (Tally, error) {
	if len(b) == 0 || b[0] != tallyFormat {
		return dst, errors.New("survey: unknown tally format")
	}
	b = b[1:]
	n, w := binary.Uvarint(b)
	if w <= 0 || n > 1<<12 {
		return dst, errors.New("survey: bad tally length")
	}
	b = b[w:]
	start := len(dst)
	if n == 0 && dst == nil {
		dst = Tally{}
	}
	for range n {
		var counts [6]uint16
		for v := range counts {
			x, w := binary.Uvarint(b)
			if w <= 0 || x > 1<<16-1 {
				return dst[:start], errors.New("survey: bad tally count")
			}
			counts[v] = uint16(x)
			b = b[w:]
		}
		dst = append(dst, counts)
	}
	if len(b) != 0 {
		return dst[:start], errors.New("survey: trailing bytes after tally")
	}
	return dst, nil
}
