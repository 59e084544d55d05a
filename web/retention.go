package web

import (
	"context"
	"log/slog"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on hosts without a zone database
)

// expiringNotices returns the notices of rounds that the retention period
// deletes within retentionNotice, for the administrator's home page.
func (s *Server) expiringNotices(ctx context.Context, p *Printer) ([]string, error) {
	r := s.privacy.Retention
	if r.Off() {
		return nil, nil
	}
	rounds, err := s.db.FindRoundsExpiringBefore(ctx, r.Cutoff(s.now().Add(retentionNotice)))
	if err != nil {
		return nil, err
	}
	period := retentionText(p, r)
	var out []string
	for _, round := range rounds {
		out = append(out, p.T("retention.notice", round.Name, p.Date(r.Expires(round.ClosedAt)), period))
	}
	return out, nil
}

// ApplyRetention deletes the closed rounds whose retention period has
// passed, with everything in them, and returns how many went. With
// retention off it does nothing.
func (s *Server) ApplyRetention(ctx context.Context) (int, error) {
	r := s.privacy.Retention
	if r.Off() {
		return 0, nil
	}
	n, err := s.db.DeleteExpiredRounds(ctx, r.Cutoff(s.now()))
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.logger.Info("retention: deleted expired rounds", slog.Int("rounds", n), slog.String("retention", r.String()))
	}
	return n, nil
}

// RunRetention applies the retention period at once and then every hour,
// until ctx ends; it returns when it has stopped. The caller runs it in a
// goroutine for the server's lifetime. With retention off it returns at
// once.
func (s *Server) RunRetention(ctx context.Context) {
	if s.privacy.Retention.Off() {
		s.logger.Info("retention: off; closed rounds are kept until deleted by hand")
		return
	}
	s.repeat(ctx, retentionInterval, "retention", func(ctx context.Context) error {
		_, err := s.ApplyRetention(ctx)
		return err
	})
}

// repeat runs job at once and then every interval until ctx ends, and
// logs its errors under name; it returns when it has stopped.
func (s *Server) repeat(ctx context.Context, interval time.Duration, name string, job func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := job(ctx); err != nil && ctx.Err() == nil {
			s.logger.Error(name, slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
