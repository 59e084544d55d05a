package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"lederradar/survey"
)

// Limits of an audit entry's fields, so the log stays a log.
const (
	maxAuditField  = 200
	maxAuditDetail = 1000
)

// AddAudit appends an entry to the audit log, stamped with the current
// time (e.At is ignored). Actor and Action are required. The entry must
// hold no answers, passwords or tokens: the log is read by administrators,
// who see no answers.
//
// With group commit the entry joins the posted forms' next transaction, so
// that HR reading many pages under load does not cost a disk flush a page;
// either way it returns once the entry is committed.
func (d *DB) AddAudit(ctx context.Context, e survey.AuditEntry) error {
	if d.writer == nil {
		return d.addAudit(ctx, d.write, e)
	}
	_, err := d.writer.do(ctx, func(ctx context.Context, tx *sql.Tx) (bool, error) {
		return false, d.addAudit(ctx, tx, e)
	})
	return err
}

// addAudit appends an entry through q, so that a write transaction can log
// what it does in the same commit: the entry exists if and only if the
// change does.
func (d *DB) addAudit(ctx context.Context, q queryer, e survey.AuditEntry) error {
	if strings.TrimSpace(e.Actor) == "" || strings.TrimSpace(e.Action) == "" {
		return survey.Errorf(survey.EINVALID, "an audit entry needs an actor and an action")
	}
	if len(e.Actor) > maxAuditField || len(e.Action) > maxAuditField || len(e.Target) > maxAuditField {
		return survey.Errorf(survey.EINVALID, "an audit entry's actor, action and target have at most %d bytes", maxAuditField)
	}
	if len(e.Detail) > maxAuditDetail {
		return survey.Errorf(survey.EINVALID, "an audit entry's detail has at most %d bytes", maxAuditDetail)
	}
	if _, err := q.ExecContext(ctx, `
		INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		formatTime(d.now()), e.Actor, e.Action, e.Target, e.Detail); err != nil {
		return fmt.Errorf("data: unable to add audit entry: %w", err)
	}
	return nil
}

// FindAudit returns the newest limit entries of the audit log, the newest
// first; a limit of 0 or less returns them all.
func (d *DB) FindAudit(ctx context.Context, limit int) ([]survey.AuditEntry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := d.read.QueryContext(ctx, `
		SELECT id, at, actor, action, target, detail FROM audit_log
		ORDER BY at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find audit entries: %w", err)
	}
	defer rows.Close()
	es := []survey.AuditEntry{}
	for rows.Next() {
		var e survey.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("data: unable to find audit entries: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find audit entries: %w", err)
	}
	return es, nil
}
