package web

import (
	"context"
	"log/slog"
	"time"
)

// reminderInterval is how often the server looks for rounds to remind:
// a reminder day begins at midnight in the organisation's time zone, and
// each is queued once, so an hourly look sends them in the day's first
// hour.
const reminderInterval = time.Hour

// QueueReminders queues the reminders due today (data.QueueReminders,
// which audits the counts) and wakes the sender. With mail off it does
// nothing.
func (s *Server) QueueReminders(ctx context.Context) (int, error) {
	if s.mail == nil {
		return 0, nil
	}
	queued, err := s.db.QueueReminders(ctx, copenhagen())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, q := range queued {
		n += q.N
	}
	if n > 0 {
		s.logger.Info("mail: reminders queued", slog.Int("reminders", n))
		s.mail.Wake()
	}
	return n, nil
}

// RunReminders queues the day's reminders at once and then every hour,
// until ctx ends; it returns when it has stopped. With mail off it
// returns at once.
func (s *Server) RunReminders(ctx context.Context) {
	if s.mail == nil {
		return
	}
	s.repeat(ctx, reminderInterval, "reminders", func(ctx context.Context) error {
		_, err := s.QueueReminders(ctx)
		return err
	})
}
