package web_test

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// postConcurrently sends the same form n times at once over real HTTP and
// returns the status and Location of each answer.
func postConcurrently(t *testing.T, base, path string, cookie *http.Cookie, forms []url.Values) ([]int, []string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	codes := make([]int, len(forms))
	locs := make([]string, len(forms))
	errs := make([]error, len(forms))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, f := range forms {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(f.Encode()))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(cookie)
			<-start
			resp, err := client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[i], locs[i] = resp.StatusCode, resp.Header.Get("Location")
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	return codes, locs
}

// TestConcurrentDoubleSubmission: the same form posted twice at once, as a
// double click does, over real HTTP. Both posts are answered as a success
// (the second is the first one's repeat) and the response is stored once.
//
//	go test -run TestConcurrentDoubleSubmission -race -v ./web/
func TestConcurrentDoubleSubmission(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ts := httptest.NewServer(e.handler)
	defer ts.Close()
	ctx := context.Background()
	cookie := e.login(e.token)

	t.Run("questionnaire page", func(t *testing.T) {
		first := e.pageForm(1, "4")
		second := url.Values{}
		maps.Copy(second, first)
		for _, it := range e.in.Competences[0].Items {
			second.Set(it.ID, "2") // what a resend with changed radios would carry
		}
		codes, _ := postConcurrently(t, ts.URL, "/survey/1", cookie, []url.Values{first, second})
		for i, c := range codes {
			if c != http.StatusSeeOther {
				t.Errorf("post %d = %d, want 303", i, c)
			}
		}
		got := e.answers(e.open.ID)
		all4, all2 := survey.Answers{}, survey.Answers{}
		for _, it := range e.in.Competences[0].Items {
			all4[it.ID], all2[it.ID] = 4, 2
		}
		if !maps.Equal(got, all4) && !maps.Equal(got, all2) {
			t.Errorf("answers = %v, want one post's answers whole", got)
		}
	})

	t.Run("review, same form key", func(t *testing.T) {
		key, _ := auth.NewToken()
		form := url.Values{"formkey": {key}}
		codes, locs := postConcurrently(t, ts.URL, "/review", cookie, []url.Values{form, form})
		for i := range codes {
			if codes[i] != http.StatusSeeOther || !strings.HasPrefix(locs[i], "/result") {
				t.Errorf("submit %d = %d to %q, want 303 to /result", i, codes[i], locs[i])
			}
		}
		resp, err := e.db.FindResponse(ctx, e.open.ID, e.person.ID, e.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !resp.Submitted() {
			t.Fatal("response not submitted")
		}
		if id, err := e.db.FindFormKey(ctx, key); err != nil || id != resp.ID {
			t.Errorf("FindFormKey = %d, %v; want %d", id, err, resp.ID)
		}
		submitted, err := e.db.FindSubmittedResponses(ctx, e.open.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(submitted) != 1 || submitted[0].ID != resp.ID {
			t.Errorf("%d submitted responses, want exactly Ada's one", len(submitted))
		}
		at := resp.SubmittedAt

		// Eight more tabs, each with its own review form: nothing changes.
		var forms []url.Values
		for range 8 {
			k, _ := auth.NewToken()
			forms = append(forms, url.Values{"formkey": {k}})
		}
		codes, _ = postConcurrently(t, ts.URL, "/review", cookie, forms)
		for i, c := range codes {
			if c != http.StatusSeeOther {
				t.Errorf("later submit %d = %d, want 303", i, c)
			}
		}
		again, err := e.db.FindResponse(ctx, e.open.ID, e.person.ID, e.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != resp.ID || !again.SubmittedAt.Equal(at) {
			t.Errorf("after more submissions: response %d submitted %v, want %d at %v", again.ID, again.SubmittedAt, resp.ID, at)
		}
		for i, f := range forms {
			if _, err := e.db.FindFormKey(ctx, f.Get("formkey")); survey.ErrorCode(err) != survey.ENOTFOUND {
				t.Errorf("later submission %d stored its key: %v", i, err)
			}
		}
	})
}
