package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lederradar/survey"
)

// noPassword is the password hash of an account made by a sign-in with
// the organisation's provider: no password opens it (auth.CheckPassword
// refuses anything but an argon2id hash).
const noPassword = "$sso$no-password"

// SSOAccount is what SignInAccount did to the account.
type SSOAccount int

// SignInAccount's outcomes.
const (
	SSOFound   SSOAccount = iota // the account was there, unchanged
	SSOCreated                   // the account was made
	SSORoleSet                   // the account had another role
)

// SignInAccount returns the HR or administrator account someone signed
// in with the organisation's provider uses. With a role (from the
// provider's roles claim) the claim decides: the account is made when
// there is none, without a password, and given the role when it had
// another. Without one, the account must have been made before (a
// pre-provisioned e-mail address): ENOTFOUND otherwise. A disabled
// account is returned with Disabled set; refusing it is the caller's
// decision (CreateUserSession refuses it too).
func (d *DB) SignInAccount(ctx context.Context, email string, role survey.Role) (*survey.User, SSOAccount, error) {
	email = strings.TrimSpace(email)
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("data: unable to begin finding account: %w", err)
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	outcome := SSOFound
	switch {
	case errors.Is(err, sql.ErrNoRows) && role == "":
		return nil, 0, survey.Errorf(survey.ENOTFOUND, "no user with e-mail %s", email)
	case errors.Is(err, sql.ErrNoRows):
		u = survey.User{Email: email, Role: role, CreatedAt: d.now()}
		if err := u.Validate(); err != nil {
			return nil, 0, err
		}
		err = tx.QueryRowContext(ctx, `
			INSERT INTO users (email, role, password_hash, created_at, disabled)
			VALUES (?, ?, ?, ?, 0) RETURNING id`, u.Email, string(u.Role), noPassword, formatTime(u.CreatedAt)).Scan(&u.ID)
		if err != nil {
			return nil, 0, fmt.Errorf("data: unable to create user: %w", err)
		}
		outcome = SSOCreated
	case err != nil:
		return nil, 0, fmt.Errorf("data: unable to find user by e-mail: %w", err)
	case role != "" && u.Role != role:
		if _, err := tx.ExecContext(ctx, "UPDATE users SET role = ? WHERE id = ?", string(role), u.ID); err != nil {
			return nil, 0, fmt.Errorf("data: unable to set user role: %w", err)
		}
		// Sessions made under the old role end with it.
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
			return nil, 0, fmt.Errorf("data: unable to end sessions of user %d: %w", u.ID, err)
		}
		u.Role, outcome = role, SSORoleSet
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("data: unable to commit account: %w", err)
	}
	return &u, outcome, nil
}
