package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestItemExportWithheld: a closed round's item rows go out while every
// atom of its shown groups holds k respondents (here the organisation and
// departments of 7 and 5), and no longer once a respondent has been
// erased: two exports would differ by exactly the erased person's row
// (issue 12, leak 3). The rows HR still has are the ones from before.
func TestItemExportWithheld(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	path := fmt.Sprintf("/hr/rounds/%d/items.csv", e.closed.ID)
	before := e.do(request{path: path, cookies: []*http.Cookie{e.hr}})
	if before.Code != http.StatusOK {
		t.Fatalf("item export = %d, want 200", before.Code)
	}
	if n := strings.Count(strings.TrimSpace(before.Body.String()), "\n"); n != 12 {
		t.Fatalf("item export has %d rows, want 12", n)
	}
	must(t, e.db.ErasePerson(context.Background(), e.people[3].ID, "test"))
	after := e.do(request{path: path, cookies: []*http.Cookie{e.hr}})
	if after.Code != http.StatusConflict || !strings.Contains(after.Body.String(), "kan ikke eksporteres") {
		t.Fatalf("item export after an erasure = %d, want 409 with the reason:\n%s", after.Code, after.Body.String())
	}
	if strings.Contains(after.Body.String(), "R0001") {
		t.Error("the refusal carries rows")
	}
}
