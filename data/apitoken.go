package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lederradar/survey"
)

// maxTokenName is the longest name an API token may have.
const maxTokenName = 100

// CreateAPIToken stores a new bearer token for the API under tokenHash
// (auth.HashToken of the token, which is shown once and never stored)
// and sets t.ID and t.CreatedAt. t.Name says what the token is for.
func (d *DB) CreateAPIToken(ctx context.Context, t *survey.APIToken, tokenHash string) error {
	if _, err := survey.ParseRole(string(t.Role)); err != nil {
		return err
	}
	if strings.TrimSpace(t.Name) == "" {
		return survey.Errorf(survey.EINVALID, "the token needs a name that says what it is for")
	}
	if len([]rune(t.Name)) > maxTokenName {
		return survey.Errorf(survey.EINVALID, "the token name is longer than %d characters", maxTokenName)
	}
	if !validTokenHash(tokenHash) {
		return survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
	}
	created := d.now()
	var id int64
	err := d.write.QueryRowContext(ctx, `
		INSERT INTO api_tokens (token_hash, role, name, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`,
		tokenHash, string(t.Role), t.Name, formatTime(created)).Scan(&id)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "the token is already in use")
	} else if err != nil {
		return fmt.Errorf("data: unable to create API token: %w", err)
	}
	t.ID = id
	t.CreatedAt = created
	t.RevokedAt = time.Time{}
	return nil
}

const apiTokenColumns = "id, role, name, created_at, revoked_at" // #nosec G101 -- column names, no credential

func scanAPIToken(row interface{ Scan(...any) error }) (survey.APIToken, error) {
	var t survey.APIToken
	var role, created string
	var revoked sql.NullString
	if err := row.Scan(&t.ID, &role, &t.Name, &created, &revoked); err != nil {
		return t, err
	}
	t.Role = survey.Role(role)
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return t, err
	}
	t.RevokedAt, err = parseNullTime(revoked)
	return t, err
}

// FindAPITokenByHash returns the live token with the given hash; a revoked
// or unknown token is ENOTFOUND alike.
func (d *DB) FindAPITokenByHash(ctx context.Context, hash string) (*survey.APIToken, error) {
	t, err := scanAPIToken(d.read.QueryRowContext(ctx,
		"SELECT "+apiTokenColumns+" FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no such API token")
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find API token: %w", err)
	}
	return &t, nil
}

// RevokeAPIToken stops a token from working. Revoking it again keeps the
// first revocation time.
func (d *DB) RevokeAPIToken(ctx context.Context, id int64) error {
	res, err := d.write.ExecContext(ctx,
		"UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", formatTime(d.now()), id)
	if err != nil {
		return fmt.Errorf("data: unable to revoke API token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("data: unable to revoke API token: %w", err)
	} else if n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no API token with id %d", id)
	}
	return nil
}

// FindAPITokens returns every token, revoked ones included, the newest
// first.
func (d *DB) FindAPITokens(ctx context.Context) ([]survey.APIToken, error) {
	return findAll(ctx, d, "API tokens", "SELECT "+apiTokenColumns+" FROM api_tokens ORDER BY created_at DESC, id DESC", scanAPIToken)
}
