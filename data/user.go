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

// validPasswordHash reports whether s looks like a hash in the PHC or
// modular crypt format ("$argon2id$…", "$2b$…"), so a password passed by
// mistake is refused, never stored. Hashing itself is not data's business.
func validPasswordHash(s string) bool {
	return len(s) > 1 && len(s) <= 1024 && strings.HasPrefix(s, "$")
}

// CreateUser stores a new HR or administrator account with the given
// password hash (auth.HashPassword) and sets u.ID and u.CreatedAt. E-mail
// addresses are unique, ignoring ASCII case.
func (d *DB) CreateUser(ctx context.Context, u *survey.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if !validPasswordHash(passwordHash) {
		return survey.Errorf(survey.EINVALID, "the password must be stored as a hash")
	}
	created := d.now()
	var id int64
	err := d.write.QueryRowContext(ctx, `
		INSERT INTO users (email, role, password_hash, created_at, disabled)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		u.Email, string(u.Role), passwordHash, formatTime(created), u.Disabled).Scan(&id)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a user with e-mail %s already exists", u.Email)
	} else if err != nil {
		return fmt.Errorf("data: unable to create user: %w", err)
	}
	u.ID = id
	u.CreatedAt = created
	return nil
}

const userColumns = "id, email, role, created_at, disabled"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (survey.User, error) {
	var u survey.User
	var role, created string
	if err := row.Scan(append([]any{&u.ID, &u.Email, &role, &created, &u.Disabled}, extra...)...); err != nil {
		return u, err
	}
	u.Role = survey.Role(role)
	var err error
	u.CreatedAt, err = parseTime(created)
	return u, err
}

// FindUserByEmail returns the account with the given e-mail address,
// ignoring ASCII case, and its password hash. A disabled account is
// returned too, with Disabled set: refusing it is the caller's decision.
func (d *DB) FindUserByEmail(ctx context.Context, email string) (*survey.User, string, error) {
	var hash string
	u, err := scanUser(d.read.QueryRowContext(ctx,
		"SELECT "+userColumns+", password_hash FROM users WHERE email = ?", strings.TrimSpace(email)), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", survey.Errorf(survey.ENOTFOUND, "no user with e-mail %s", email)
	} else if err != nil {
		return nil, "", fmt.Errorf("data: unable to find user by e-mail: %w", err)
	}
	return &u, hash, nil
}

// FindUserByID returns the account with the given id, disabled or not.
func (d *DB) FindUserByID(ctx context.Context, id int64) (*survey.User, error) {
	u, err := scanUser(d.readRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no user with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find user %d: %w", id, err)
	}
	return &u, nil
}

// FindUsers returns every account, disabled ones included, ordered by
// e-mail address.
func (d *DB) FindUsers(ctx context.Context) ([]survey.User, error) {
	return findAll(ctx, d, "users", "SELECT "+userColumns+" FROM users ORDER BY email, id",
		func(row interface{ Scan(...any) error }) (survey.User, error) { return scanUser(row) })
}

// SetUserPassword replaces an account's password hash and ends all its
// sessions, in one transaction: whoever knew the old password is signed
// out with it.
func (d *DB) SetUserPassword(ctx context.Context, id int64, passwordHash string) error {
	if !validPasswordHash(passwordHash) {
		return survey.Errorf(survey.EINVALID, "the password must be stored as a hash")
	}
	return d.updateUser(ctx, id, "password", true,
		"UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id)
}

// SetUserDisabled disables or enables an account. Disabling ends all its
// sessions in the same transaction; a disabled account's sessions are not
// found in any case.
func (d *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return d.updateUser(ctx, id, "status", disabled,
		"UPDATE users SET disabled = ? WHERE id = ?", disabled, id)
}

// updateUser runs one UPDATE of the user with the given id, and deletes
// the user's sessions in the same transaction when endSessions is set.
func (d *DB) updateUser(ctx context.Context, id int64, what string, endSessions bool, query string, args ...any) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin setting user %s: %w", what, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("data: unable to set user %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("data: unable to set user %s: %w", what, err)
	} else if n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no user with id %d", id)
	}
	if endSessions {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return fmt.Errorf("data: unable to end sessions of user %d: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit user %s: %w", what, err)
	}
	return nil
}

// CreateUserSession stores a session for an HR or administrator account
// under the hash of its token. It ends after idle without use, and after
// maxAge in any case. A disabled account gets none (EFORBIDDEN).
func (d *DB) CreateUserSession(ctx context.Context, tokenHash string, userID int64, idle, maxAge time.Duration) error {
	if !validTokenHash(tokenHash) {
		return survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
	}
	if idle < time.Second || maxAge < time.Second {
		return survey.Errorf(survey.EINVALID, "session idle and maximum lifetimes must be at least a second")
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin creating user session: %w", err)
	}
	defer tx.Rollback()
	var disabled bool
	err = tx.QueryRowContext(ctx, "SELECT disabled FROM users WHERE id = ?", userID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "no user with id %d", userID)
	} else if err != nil {
		return fmt.Errorf("data: unable to find user %d: %w", userID, err)
	} else if disabled {
		return survey.Errorf(survey.EFORBIDDEN, "the account is disabled")
	}
	now := d.now()
	_, err = tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, idle_seconds)
		VALUES (?, ?, ?, ?, ?, ?)`,
		tokenHash, userID, formatTime(now), formatTime(now), formatTime(now.Add(maxAge)), int64(idle/time.Second))
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "the session token is already in use")
	} else if err != nil {
		return fmt.Errorf("data: unable to create user session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit user session: %w", err)
	}
	return nil
}

// FindUserSession returns the live HR or administrator session with the
// given token hash, under the expiry rules of FindLeaderSession. A leader's
// session is never found here, nor the session of a disabled account.
func (d *DB) FindUserSession(ctx context.Context, tokenHash string, idle time.Duration) (*Session, error) {
	return d.findSession(ctx, `
		SELECT 0, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.idle_seconds
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.invitation_id IS NULL AND u.disabled = 0`,
		tokenHash, idle)
}

// DeleteUserSessions ends every session of an account: "sign out
// everywhere". An account without sessions is not an error.
func (d *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := d.write.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("data: unable to delete sessions of user %d: %w", userID, err)
	}
	return nil
}
