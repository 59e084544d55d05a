package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// The schedule of an open-loop level is fixed before the first request is
// sent: request i is due at i/rate seconds, whatever became of the ones
// before it. No answer can hold the next request back, so a slow server
// meets the same load as a fast one (no coordinated omission).

// tickKind is what a request of the mix is.
type tickKind uint8

const (
	leaderTick    tickKind = iota // the next step of a leader's or a rater's questionnaire
	hrProfileTick                 // HR reads a group's profile
	hrHeatmapTick                 // HR reads a page of the heatmap
	hrOthersTick                  // HR reads how a group's raters see its leaders
)

// tick is one request of a schedule, due at the level's start plus at.
type tick struct {
	at   time.Duration
	kind tickKind
	// leader is the index of the journey (a leader's or a rater's, see
	// journeyKinds), and step how far along it this request is
	// (leaderSteps).
	leader, step int
	// session is the HR session that sends the request, and page the
	// group profile's, the others' view's or the heatmap page's index.
	session, page int
}

// mix describes a level: its rate and length, and the mix of requests.
type mix struct {
	rate     float64       // requests a second, leaders' and HR's together
	warmup   time.Duration // at the full rate after the ramp, not measured
	duration time.Duration // measured
	hrShare  float64       // of the requests, HR's (0–1)
	// think is the time between two requests of one leader: leaders
	// answer in parallel, a request each think.
	think time.Duration
	steps int // of one leader's journey (leaderSteps)
	// HR's signed-in sessions, and the group profiles, heatmap pages and
	// others' views (none in a self-only round) they read.
	sessions, groups, heatmapPages, others int
	seed                                   uint64
}

// leaderSteps is the length of a leader's journey through pages
// questionnaire pages: open the link, view and save every page, view the
// review, submit, view the result.
func leaderSteps(pages int) int { return 2*pages + 4 }

// schedule is a level's requests in the order they are due.
type schedule struct {
	ticks []tick
	// measureFrom is when the measured part begins: after the ramp and
	// the warm-up. Requests due before it are sent but not counted.
	measureFrom time.Duration
	slots       int // leaders answering at once
	leaders     int // leaders who open their link
}

// plan makes a level's schedule. Every think, each of slots leaders sends
// its next request; a leader who has submitted and seen the result is
// followed by a fresh one. HR's requests are spread evenly among the
// leaders' (every 1/hrShare-th request): of every four, two group
// profiles, a group's others' view (a third profile when the round has
// none) and a heatmap page, the heatmap read page after page.
//
// If every leader started at once, they would all submit at once too, and
// the mix would come in waves. So the leaders join one after another over
// the first journey's length (the ramp, not measured, with fewer requests
// than the rate), and from then on their steps are spread evenly over the
// journey: every moment has its share of each kind.
func plan(m mix) (schedule, error) {
	if m.rate <= 0 || m.duration <= 0 || m.warmup < 0 || m.hrShare < 0 || m.hrShare > 1 {
		return schedule{}, fmt.Errorf("plan: rate %v, duration %v, warm-up %v and HR's share %v out of range", m.rate, m.duration, m.warmup, m.hrShare)
	}
	if m.hrShare > 0 && (m.sessions < 1 || m.groups < 1 || m.heatmapPages < 1) {
		return schedule{}, errors.New("plan: HR's requests need a session, a group and a heatmap page")
	}
	var s schedule
	leaderRate := m.rate * (1 - m.hrShare)
	ramp := time.Duration(0)
	if leaderRate > 0 {
		if m.steps < 1 || m.think <= 0 {
			return schedule{}, errors.New("plan: leaders need a journey and a think time")
		}
		s.slots = max(1, int(math.Ceil(leaderRate*m.think.Seconds())))
		ramp = time.Duration(float64(m.steps*s.slots) / leaderRate * float64(time.Second))
	}
	s.measureFrom = ramp + m.warmup
	n := int(math.Ceil(m.rate * (s.measureFrom + m.duration).Seconds()))
	rng := rand.New(rand.NewPCG(m.seed, 3)) // #nosec G404 -- which profile HR reads: reproducible, no secret
	type slot struct{ leader, step int }
	slots := make([]slot, s.slots)
	leaderTicks, hrTicks := 0, 0
	for i := range n {
		t := tick{at: time.Duration(math.Round(float64(i) * float64(time.Second) / m.rate))}
		if math.Floor(float64(i+1)*m.hrShare) > math.Floor(float64(i)*m.hrShare) {
			t.session = hrTicks % m.sessions
			switch {
			case hrTicks%4 == 3:
				t.kind, t.page = hrHeatmapTick, (hrTicks/4)%m.heatmapPages
			case hrTicks%4 == 1 && m.others > 0:
				t.kind, t.page = hrOthersTick, rng.IntN(m.others)
			default:
				t.kind, t.page = hrProfileTick, rng.IntN(m.groups)
			}
			hrTicks++
			s.ticks = append(s.ticks, t)
			continue
		}
		j, round := leaderTicks%s.slots, leaderTicks/s.slots
		leaderTicks++
		// Slot j joins in round j·steps/slots, so that joins are spread
		// over the first journey.
		if round < j*m.steps/s.slots {
			continue
		}
		sl := &slots[j]
		if (round-j*m.steps/s.slots)%m.steps == 0 {
			sl.leader, sl.step = s.leaders, 0
			s.leaders++
		}
		t.kind, t.leader, t.step = leaderTick, sl.leader, sl.step
		sl.step++
		s.ticks = append(s.ticks, t)
	}
	return s, nil
}

// journeyKinds says which of n journeys are raters': a share of them,
// spread evenly (every 1/share-th), the rest leaders'.
func journeyKinds(n int, share float64) []bool {
	rater := make([]bool, n)
	for j := range rater {
		rater[j] = math.Floor(float64(j+1)*share) > math.Floor(float64(j)*share)
	}
	return rater
}

// trial is the verdict on one level: whether the rate kept p99 within the
// limit without errors.
type trial struct {
	rate   float64
	pass   bool
	p99    time.Duration
	errors int
}

// searchRate looks for the highest rate that passes. It starts from the
// levels already run (tried), doubles the highest pass until a level fails
// or most is reached, and then halves the gap between the highest pass and
// the lowest failure above it until the gap is within 5 % (10 requests a
// second at least). It returns those two; a zero rate is none (no level
// passed, or none up to most failed).
func searchRate(tried []trial, most float64, try func(rate float64) (trial, error)) (pass, fail trial, err error) {
	for _, t := range tried {
		if !t.pass && (fail.rate == 0 || t.rate < fail.rate) {
			fail = t
		}
	}
	for _, t := range tried {
		if t.pass && t.rate > pass.rate && (fail.rate == 0 || t.rate < fail.rate) {
			pass = t
		}
	}
	record := func(r float64) error {
		t, err := try(r)
		if err != nil {
			return err
		}
		if t.pass {
			pass = t
		} else {
			fail = t
		}
		return nil
	}
	for fail.rate == 0 {
		r := min(most, max(100, 2*pass.rate))
		if r <= pass.rate {
			return pass, fail, nil // passes at most
		}
		if err := record(r); err != nil {
			return pass, fail, err
		}
	}
	for fail.rate-pass.rate > max(10, pass.rate/20) {
		if err := record(math.Round((pass.rate + fail.rate) / 2)); err != nil {
			return pass, fail, err
		}
	}
	return pass, fail, nil
}
