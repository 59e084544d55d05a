package web

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lederradar/survey"
)

// auditNames are what the audit log's codes refer to, as an administrator
// may see them: accounts by e-mail, rounds and groups by name. People stay
// numbers, as the privacy notice promises (and an erased person has no
// name left).
type auditNames struct {
	users  map[string]string // "user:N" → e-mail
	rounds map[int64]string
	groups map[int64]string
}

// auditNamesFor reads the names the audit log's entries may refer to.
func (s *Server) auditNamesFor(ctx context.Context) (auditNames, error) {
	users, err := s.userNames(ctx)
	if err != nil {
		return auditNames{}, err
	}
	n := auditNames{users: users, rounds: map[int64]string{}, groups: map[int64]string{}}
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		return auditNames{}, err
	}
	for _, r := range rounds {
		n.rounds[r.ID] = r.Name
	}
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		return auditNames{}, err
	}
	for _, g := range groups {
		n.groups[g.ID] = g.Name
	}
	return n, nil
}

// auditWords is an audit entry in words: who, did what, to what, and how
// much. The log itself keeps the stable codes (and the CSV export both).
type auditWords struct {
	Actor, Action, Target, Detail string
}

// words says an audit entry in p's language. A code the catalogues do
// not know (an entry written by a newer or older version) is shown as it
// is rather than hidden.
func (n auditNames) words(p *Printer, e survey.AuditEntry) auditWords {
	w := auditWords{Actor: n.actor(p, e.Actor), Action: e.Action, Target: n.target(p, e.Target), Detail: n.detail(p, e.Detail)}
	if key := "audit.action." + strings.ReplaceAll(e.Action, ".", "_"); p.Has(key) {
		w.Action = p.T(key)
	}
	return w
}

func (n auditNames) actor(p *Printer, actor string) string {
	switch actor {
	case "anonymous", "system", "cli":
		return p.T("audit.actor." + actor)
	case "token":
		return p.T("audit.actor.api")
	}
	kind, id, ok := codeID(actor)
	switch {
	case ok && kind == "user" && n.users[actor] != "":
		return n.users[actor]
	case ok && (kind == "user" || kind == "leader" || kind == "token" || kind == "share"):
		return p.T("audit.actor."+kind, id)
	}
	return actor
}

func (n auditNames) target(p *Printer, target string) string {
	kind, id, ok := codeID(target)
	switch {
	case !ok:
		return target
	case kind == "round" && n.rounds[id] != "":
		return p.T("audit.target.round_named", n.rounds[id])
	case kind == "group" && n.groups[id] != "":
		return p.T("audit.target.group_named", n.groups[id])
	case kind == "user" && n.users[target] != "":
		return n.users[target]
	case kind == "round" || kind == "group" || kind == "person" || kind == "user" || kind == "token":
		return p.T("audit.target."+kind, id)
	}
	return target
}

// auditDetails are the shapes of the details the log holds, each with the
// catalogue message that says it; the message names the parts in order.
var auditDetails = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^(\d+) rows$`), "audit.detail.rows"},
	{regexp.MustCompile(`^created (\d+), updated (\d+)$`), "audit.detail.imported"},
	{regexp.MustCompile(`^created (\d+), updated (\d+) people; (\d+) new groups$`), "audit.detail.imported_groups"},
	{regexp.MustCompile(`^(\d+) responses$`), "audit.detail.responses"},
	{regexp.MustCompile(`^(\d+) raters$`), "audit.detail.raters"},
	{regexp.MustCompile(`^(\d+) links$`), "audit.detail.links"},
	{regexp.MustCompile(`^(\d+) links, (\d+) re-issued \(their old links stopped working\)$`), "audit.detail.links_reissued"},
	{regexp.MustCompile(`^role (hr|admin)$`), "audit.detail.role_"},
	{regexp.MustCompile(`^status (draft|open|closed)$`), "audit.detail.status_"},
	{regexp.MustCompile(`^(draft|open|closed) → (draft|open|closed)$`), "audit.detail.status_change"},
	{regexp.MustCompile(`^closed (\d{4}-\d\d-\d\d)\b`), "audit.detail.closed_on"},
	{regexp.MustCompile(`^self, limits (\d+)/(\d+)/(\d+)$`), "audit.detail.settings_self"},
	{regexp.MustCompile(`^360, limits (\d+)/(\d+)/(\d+)$`), "audit.detail.settings_360"},
	{regexp.MustCompile(`^relation (manager|peer|employee)$`), "audit.detail.relation_"},
	{regexp.MustCompile(`^method (sso)$`), "audit.detail.method_"},
	{regexp.MustCompile(`^(\d+) messages queued, (\d+) new invitations, (\d+) links replaced$`), "audit.detail.mail_queued"},
	{regexp.MustCompile(`^(\d+) reminders, (\d+) days before the close$`), "audit.detail.reminders"},
	{regexp.MustCompile(`^days ([\d,]*)$`), "audit.detail.reminder_days"},
}

func (n auditNames) detail(p *Printer, detail string) string {
	if key, ok := strings.CutPrefix(detail, "group:"); ok {
		return n.groupKey(p, key)
	}
	for _, d := range auditDetails {
		m := d.re.FindStringSubmatch(detail)
		switch {
		case m == nil:
			continue
		case strings.HasSuffix(d.key, "_"): // the part is a code: its own message
			return p.T(d.key + m[1])
		case d.key == "audit.detail.status_change":
			return p.T(d.key, p.T("status."+m[1]), p.T("status."+m[2]))
		case d.key == "audit.detail.closed_on":
			if t, err := time.Parse(time.DateOnly, m[1]); err == nil {
				return p.T(d.key, p.Date(t))
			}
		}
		args := make([]any, len(m)-1)
		for i, part := range m[1:] {
			if v, err := strconv.Atoi(part); err == nil {
				args[i] = p.Int(v)
			} else {
				args[i] = part
			}
		}
		return p.T(d.key, args...)
	}
	return detail
}

// groupKey names a report's group key (organisation, department-3,
// team-5).
func (n auditNames) groupKey(p *Printer, key string) string {
	if key == "organisation" {
		return p.T("hr.organisation")
	}
	kind, idText, _ := strings.Cut(key, "-")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || (kind != string(survey.Department) && kind != string(survey.Team)) {
		return key
	}
	if name := n.groups[id]; name != "" {
		return p.T("audit.target.group_named", name)
	}
	return p.T("audit.target.group", id)
}

// codeID splits a code such as "round:2" into its kind and number.
func codeID(code string) (string, int64, bool) {
	kind, idText, ok := strings.Cut(code, ":")
	if !ok {
		return "", 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return kind, id, err == nil
}
