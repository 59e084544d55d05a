package scoring

import "math"

// Summary is the mean, sample standard deviation and count of a set of
// competence scores.
type Summary struct {
	Mean float64
	SD   float64 // sample standard deviation; 0 when N < 2
	N    int
	Min  float64
	Max  float64
}

// Summarise returns the summary of scores. With no scores it returns the
// zero Summary (N = 0), which callers must treat as "no value", never as 0.
func Summarise(scores []float64) Summary {
	s := Summary{N: len(scores)}
	if s.N == 0 {
		return s
	}
	s.Min, s.Max = scores[0], scores[0]
	sum := 0.0
	for _, v := range scores {
		sum += v
		s.Min = math.Min(s.Min, v)
		s.Max = math.Max(s.Max, v)
	}
	s.Mean = sum / float64(s.N)
	if s.N > 1 {
		ss := 0.0
		for _, v := range scores {
			d := v - s.Mean
			ss += d * d
		}
		s.SD = math.Sqrt(ss / float64(s.N-1))
	}
	return s
}
