package data

import (
	"encoding/binary"
	"errors"
	"math"

	"lederradar/scoring"
	"lederradar/survey"
)

// reportFormat names the encoding of a kept report (StoredReport).
// Change it with any change to encodeReport or to the report's fields, and
// teach decodeReport the formats before it: a kept report is final, and a
// report kept in a format from oldestReadFormat on is read as it is, never
// built again — what a newer format adds reads as unknown. One kept in a
// format before that is built once more, at its first read after the
// upgrade, and kept — final from then on (RoundReport).
//
// Format 1 (migration 0008) held each group's member ids and was built
// under the pairwise rule; format 2 holds counts only; format 3 adds each
// competence's count of high scores (scoring.CompetenceAggregate.High),
// which a format 2 report reads as scoring.HighUnknown.
const reportFormat = 3

// oldestReadFormat is the oldest format of a kept report that is read as
// it is (reportFormat).
const oldestReadFormat = 2

// readable reports whether a report kept in format is read as it is.
func readable(format int) bool { return format >= oldestReadFormat && format <= reportFormat }

// encodeReport writes a closed round's report — its groups, counts and
// profiles — for keeping (StoredReport). The round and the instrument are
// not in it: they are the round's own. Nor is any person: a group has its
// counts, not its members. Numbers are varints, the means and deviations
// their exact bits; the kinds and the competence ids, the same in every
// group, are written once and then named by their index.
func encodeReport(r *RoundReport) []byte {
	// Sized for the report at once: a large organisation's is megabytes,
	// and growing to it would leave as much again for the collector.
	size := 64
	for i := range r.Groups {
		size += 48
		if p := r.Groups[i].Profile; p != nil {
			size += 48 + 32*len(p.Competences)
		}
	}
	e := reportEncoder{b: make([]byte, 0, size), words: map[string]int{}}
	e.n(r.MinGroup)
	e.n(r.Invited)
	e.n(r.Started)
	e.n(r.Answered)
	e.count(r.Groups == nil, len(r.Groups))
	for i := range r.Groups {
		g := &r.Groups[i]
		e.spec(g.Spec)
		e.n(g.Members)
		e.n(g.Invited)
		e.n(g.Started)
		e.n(g.Submitted)
		if g.Profile == nil {
			e.n(0)
			continue
		}
		e.n(1)
		p := g.Profile
		e.str(p.Key)
		e.str(p.Name)
		e.word(string(p.Kind))
		e.int(p.ID)
		e.n(p.Members)
		e.n(p.N)
		e.bool(p.Suppressed)
		e.count(p.Competences == nil, len(p.Competences))
		for _, c := range p.Competences {
			e.word(c.CompetenceID)
			e.bool(c.Suppressed)
			e.float(c.Mean)
			e.float(c.SD)
			e.n(c.N)
			for _, n := range c.Distribution {
				e.n(n)
			}
			e.int(int64(c.High))
		}
	}
	return e.b
}

// decodeReport reads what encodeReport wrote in format (a readable one),
// for the given round and instrument; it fails on anything else, never
// panics. A report of format 2 has no counts of high scores: its shown
// competences read as scoring.HighUnknown, its suppressed ones as none.
func decodeReport(b []byte, format int, round *survey.Round, in *survey.Instrument) (*RoundReport, error) {
	if !readable(format) {
		return nil, errReportCorrupt
	}
	d := reportDecoder{b: b}
	r := &RoundReport{Round: round, Instrument: in}
	r.MinGroup = d.int0()
	r.Invited, r.Started, r.Answered = d.int0(), d.int0(), d.int0()
	if isNil, n := d.count(4); !isNil {
		r.Groups = make([]ReportGroup, n)
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		g.Spec = d.spec()
		g.Members, g.Invited, g.Started, g.Submitted = d.int0(), d.int0(), d.int0(), d.int0()
		if !d.bool() { // no profile
			continue
		}
		p := &scoring.GroupProfile{}
		p.Key = d.str()
		p.Name = d.str()
		p.Kind = survey.GroupKind(d.word())
		p.ID = d.int()
		p.Members, p.N = d.int0(), d.int0()
		p.Suppressed = d.bool()
		if nil1, k := d.count(12); !nil1 {
			p.Competences = make([]scoring.CompetenceAggregate, k)
		}
		for j := range p.Competences {
			c := &p.Competences[j]
			c.CompetenceID = d.word()
			c.Suppressed = d.bool()
			c.Mean, c.SD = d.float(), d.float()
			c.N = d.int0()
			for v := range c.Distribution {
				c.Distribution[v] = d.int0()
			}
			c.High = d.high(format, c.Suppressed)
		}
		if d.err != nil {
			return nil, d.err
		}
		g.Profile = p
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = errReportCorrupt
	}
	if d.err != nil {
		return nil, d.err
	}
	return r, nil
}

var errReportCorrupt = errors.New("data: kept report is corrupt")

// check tells whether a closed round's report has the shape the pages
// rely on: built with the anonymity threshold minGroup (the one it was
// kept with), the organisation first, and a profile for every group with
// the instrument's competences in order. A kept report read back that has
// not is an error, never shown.
func (r *RoundReport) check(minGroup int) error {
	if r.MinGroup != minGroup || len(r.Groups) == 0 || r.Groups[0].Spec.Kind != survey.Organisation {
		return errReportCorrupt
	}
	for i := range r.Groups {
		p := r.Groups[i].Profile
		if p == nil || len(p.Competences) != len(r.Instrument.Competences) {
			return errReportCorrupt
		}
		for c := range p.Competences {
			if p.Competences[c].CompetenceID != r.Instrument.Competences[c].ID {
				return errReportCorrupt
			}
		}
	}
	return nil
}

type reportEncoder struct {
	b     []byte
	words map[string]int
}

func (e *reportEncoder) int(v int64) { e.b = binary.AppendVarint(e.b, v) }
func (e *reportEncoder) n(v int)     { e.int(int64(v)) }
func (e *reportEncoder) float(f float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f))
}

func (e *reportEncoder) bool(v bool) {
	if v {
		e.n(1)
	} else {
		e.n(0)
	}
}

func (e *reportEncoder) str(s string) {
	e.n(len(s))
	e.b = append(e.b, s...)
}

// word writes a string that recurs: the first time as itself (index 0),
// later by its index plus one.
func (e *reportEncoder) word(s string) {
	if i, ok := e.words[s]; ok {
		e.n(i + 1)
		return
	}
	e.n(0)
	e.str(s)
	e.words[s] = len(e.words)
}

// count writes a slice's length, telling a nil slice from an empty one.
func (e *reportEncoder) count(isNil bool, n int) {
	if isNil {
		e.n(0)
		return
	}
	e.n(n + 1)
}

func (e *reportEncoder) spec(s scoring.GroupSpec) {
	e.str(s.Key)
	e.word(string(s.Kind))
	e.int(s.ID)
	e.str(s.Name)
}

type reportDecoder struct {
	b     []byte
	words []string
	err   error
}

func (d *reportDecoder) fail() {
	if d.err == nil {
		d.err = errReportCorrupt
	}
	d.b = nil
}

func (d *reportDecoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// int0 reads a count: a non-negative int.
func (d *reportDecoder) int0() int {
	v := d.int()
	if v < 0 || v > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *reportDecoder) bool() bool {
	switch d.int0() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

func (d *reportDecoder) float() float64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}

func (d *reportDecoder) str() string {
	n := d.int0()
	if n > len(d.b) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *reportDecoder) word() string {
	i := d.int0()
	if i == 0 {
		s := d.str()
		d.words = append(d.words, s)
		return s
	}
	if i > len(d.words) {
		d.fail()
		return ""
	}
	return d.words[i-1]
}

// count reads what reportEncoder.count wrote: a length of at most what
// the rest could hold in elements of at least min bytes.
func (d *reportDecoder) count(min int) (isNil bool, n int) {
	v := d.int0()
	if v == 0 {
		return true, 0
	}
	if v-1 > len(d.b)/min {
		d.fail()
		return false, 0
	}
	return false, v - 1
}

// high reads a competence's count of high scores, kept from format 3 on;
// in format 2 it was never counted.
func (d *reportDecoder) high(format int, suppressed bool) int {
	switch {
	case format >= 3:
		v := d.int()
		if v < scoring.HighUnknown || v > math.MaxInt32 {
			d.fail()
			return 0
		}
		return int(v)
	case suppressed:
		return 0
	}
	return scoring.HighUnknown
}

func (d *reportDecoder) spec() scoring.GroupSpec {
	var s scoring.GroupSpec
	s.Key = d.str()
	s.Kind = survey.GroupKind(d.word())
	s.ID = d.int()
	s.Name = d.str()
	return s
}
