package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	vErrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/paths"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"lederradar/survey"
)

// openAPICase is one real request to the API, and what the document and the
// server must make of it.
type openAPICase struct {
	name   string
	path   string
	token  string // sent as a bearer token when not empty
	status int
	// offContract marks a request the document itself rejects (no token,
	// a value outside the documented ones): the validator must refuse the
	// request, and the server's answer must still be a documented one.
	offContract bool
	want        []string // in the body
}

// openAPIContract is the served document, parsed and ready to validate
// against.
type openAPIContract struct {
	validator validator.Validator
	model     *v3.Document
	// operations maps "GET /api/v1/rounds/{round}/profiles" to the
	// statuses it documents.
	operations map[string][]string
}

// TestOpenAPIContract calls every /api/v1 route for real, answering and
// failing, and checks each request and response against the document the
// server serves at /api/v1/openapi.json. The document must name every
// /api/v1 route the server has and nothing else, and every status it
// documents must have been seen.
func TestOpenAPIContract(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	// A round with announced dates and too few invited for counts, beside
	// the staff rounds (one closed with counts, one open).
	dated := survey.Round{Name: "Forår 2027", Status: survey.RoundDraft, InstrumentVersion: e.in.Version,
		Opens: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}
	must(t, e.db.CreateRound(context.Background(), &dated))
	contract := loadOpenAPIContract(t, e.env)
	t.Run("routes", func(t *testing.T) { contract.checkRoutes(t, e.server.Routes()) })

	closed := fmt.Sprintf("/api/v1/rounds/%d/profiles", e.closed.ID)
	open := fmt.Sprintf("/api/v1/rounds/%d/profiles", e.open.ID)
	// Ada's round: one respondent, so every group is suppressed and no
	// group shows its n.
	small := fmt.Sprintf("/api/v1/rounds/%d/profiles", e.env.closed.ID)
	hr, admin := e.hrToken, e.adminToken
	healthOf := func(round int64) string { return fmt.Sprintf("/api/v1/rounds/%d/instrument-health", round) }
	// Ada's own round, closed with her answers alone.
	adas, err := e.db.FindRoundByName(context.Background(), "Forår 2026")
	must(t, err)
	cases := []openAPICase{
		{name: "document", path: "/api/v1/openapi.json", status: 200, want: []string{`"3.1.0"`}},
		{name: "instrument", path: "/api/v1/instrument", status: 200, want: []string{`"language":"da"`, `"label":"Tillid, relationer"`}},
		{name: "instrument in English", path: "/api/v1/instrument?lang=en", status: 200, want: []string{`"label":"Trust, relationships"`}},
		{name: "instrument in Danish, with a token", path: "/api/v1/instrument?lang=da", token: hr, status: 200},
		{name: "instrument in an unknown language", path: "/api/v1/instrument?lang=xx", status: 400, offContract: true, want: []string{`"code":"invalid"`}},
		{name: "rounds", path: "/api/v1/rounds", token: hr, status: 200,
			want: []string{`"opens":"2027-03-01"`, `"closes":"2027-03-31"`, `"counts_suppressed":true`, `"invited":12`, `"status":"draft"`, `"status":"open"`, `"status":"closed"`}},
		{name: "rounds without a token", path: "/api/v1/rounds", status: 401, offContract: true, want: []string{`"code":"unauthorized"`}},
		{name: "rounds with a malformed token", path: "/api/v1/rounds", token: "x", status: 401, want: []string{`"code":"unauthorized"`}},
		{name: "rounds with an unknown token", path: "/api/v1/rounds", token: strings.Repeat("A", 43), status: 401, want: []string{`"code":"unauthorized"`}},
		{name: "rounds with an administrator's token", path: "/api/v1/rounds", token: admin, status: 403, want: []string{`"code":"forbidden"`}},
		{name: "profiles of a closed round", path: closed, token: hr, status: 200,
			want: []string{`"kind":"organisation"`, `"kind":"department"`, `"kind":"team"`, `"suppressed":false`, `"suppressed":true`, `"mean":`, `"min_group":5`}},
		{name: "profiles of a closed round, all suppressed", path: small, token: hr, status: 200, want: []string{`"suppressed":true`}},
		{name: "profiles of an open round", path: open, token: hr, status: 409, want: []string{`"code":"conflict"`}},
		{name: "profiles of an unknown round", path: "/api/v1/rounds/9999/profiles", token: hr, status: 404, want: []string{`"code":"not_found"`}},
		{name: "profiles of a round that is no number", path: "/api/v1/rounds/abc/profiles", token: hr, status: 404, offContract: true},
		{name: "profiles of round 0", path: "/api/v1/rounds/0/profiles", token: hr, status: 404, offContract: true},
		{name: "profiles without a token", path: closed, status: 401, offContract: true},
		{name: "profiles with an administrator's token", path: open, token: admin, status: 403},
		{name: "instrument health of a closed round", path: healthOf(e.closed.ID), token: hr, status: 200,
			want: []string{`"id":"trust"`, `"id":"trust.1"`, `"alpha":`, `"item_rest_r":`, `"dont_know":`, `"min_group":5`}},
		{name: "instrument health of a round whose organisation is suppressed", path: healthOf(adas.ID), token: hr, status: 409, want: []string{`"code":"conflict"`}},
		{name: "instrument health with a malformed token", path: healthOf(e.closed.ID), token: "x", status: 401, want: []string{`"code":"unauthorized"`}},
		{name: "instrument health of an open round", path: healthOf(e.open.ID), token: hr, status: 409, want: []string{`"code":"conflict"`}},
		{name: "instrument health of an unknown round", path: healthOf(9999), token: hr, status: 404, want: []string{`"code":"not_found"`}},
		{name: "instrument health with an administrator's token", path: healthOf(e.closed.ID), token: admin, status: 403},
	}
	seen := map[string]bool{} // "GET /api/v1/rounds 200"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { seen[contract.check(t, e.env, c)] = true })
	}
	// The database goes away: the routes that read it answer 500, still
	// in the documented shape.
	e.db.Close()
	for _, c := range []openAPICase{
		{name: "rounds without a database", path: "/api/v1/rounds", token: hr, status: 500, want: []string{`"code":"internal"`}},
		{name: "profiles without a database", path: closed, token: hr, status: 500, want: []string{`"code":"internal"`}},
		{name: "instrument health without a database", path: healthOf(e.closed.ID), token: hr, status: 500, want: []string{`"code":"internal"`}},
	} {
		t.Run(c.name, func(t *testing.T) { seen[contract.check(t, e.env, c)] = true })
	}
	t.Run("every documented status seen", func(t *testing.T) {
		for op, statuses := range contract.operations {
			for _, status := range statuses {
				if !seen[op+" "+status] {
					t.Errorf("%s documents %s, which no case produced: add a case, or drop it from openapi.json", op, status)
				}
			}
		}
	})
}

// loadOpenAPIContract fetches the document the server serves and builds a
// validator from it, with formats (date, int64) checked and no property,
// query parameter or header beyond the documented ones allowed, but for
// the security headers every answer of the server carries.
func loadOpenAPIContract(t *testing.T, e *env) *openAPIContract {
	t.Helper()
	w := e.do(request{path: "/api/v1/openapi.json"})
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d", w.Code)
	}
	doc, err := libopenapi.NewDocument(w.Body.Bytes())
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi.json is OpenAPI %s, want 3.1", v)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions(), config.WithStrictMode(),
		// Headers every answer of the server carries, API or page: not part
		// of the API's contract.
		config.WithStrictIgnoredHeadersExtra("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
			"X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy", "Strict-Transport-Security"),
		// Inside the document's own body, ValidateDocument below holds it to
		// the OpenAPI schema.
		config.WithStrictIgnorePaths("$.body.info.**", "$.body.security**", "$.body.paths**", "$.body.components**"))
	if len(errs) > 0 {
		t.Fatalf("openapi.json: %v", errs)
	}
	if ok, errs := v.ValidateDocument(); !ok {
		t.Fatalf("openapi.json is no valid OpenAPI document:\n%s", describeValidationErrors(errs))
	}
	c := &openAPIContract{validator: v, model: &model.Model, operations: map[string][]string{}}
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &spec); err != nil {
		t.Fatal(err)
	}
	for path, item := range spec.Paths {
		for method, raw := range item {
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			key := strings.ToUpper(method) + " " + path
			for status := range op.Responses {
				c.operations[key] = append(c.operations[key], status)
			}
		}
	}
	return c
}

// checkRoutes fails for a route under /api/v1 that the document does not
// describe, and for a documented operation the server does not have.
func (c *openAPIContract) checkRoutes(t *testing.T, routes []string) {
	var served []string
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		// Gin's :name is OpenAPI's {name}.
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if name, ok := strings.CutPrefix(s, ":"); ok {
				segs[i] = "{" + name + "}"
			}
		}
		op := method + " " + strings.Join(segs, "/")
		served = append(served, op)
		if _, ok := c.operations[op]; !ok {
			t.Errorf("route %s is not in web/openapi.json (as %s): describe it there", route, op)
		}
	}
	for op := range c.operations {
		if !slices.Contains(served, op) {
			t.Errorf("web/openapi.json describes %s, which routes.go does not have", op)
		}
	}
	if len(served) == 0 {
		t.Error("no /api/v1 route found")
	}
}

// check sends one case and validates the request and the response; it
// returns the documented operation and status the case produced.
func (c *openAPIContract) check(t *testing.T, e *env, tc openAPICase) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, tc.path, nil)
	if tc.token != "" {
		req.Header.Set("Authorization", "Bearer "+tc.token)
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	if w.Code != tc.status {
		t.Errorf("status = %d, want %d: %s", w.Code, tc.status, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	for _, s := range tc.want {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("body lacks %s:\n%.600s", s, w.Body.String())
		}
	}
	ok, errs := c.validator.ValidateHttpRequestSync(req)
	switch {
	case tc.offContract && ok:
		t.Errorf("the document accepts %s, which the case says it rejects", tc.path)
	case !tc.offContract && !ok:
		t.Errorf("the request does not match the document:\n%s", describeValidationErrors(errs))
	}
	if ok, errs := c.validator.ValidateHttpResponse(req, w.Result()); !ok {
		t.Errorf("the %d answer does not match the document:\n%s\n%.600s", w.Code, describeValidationErrors(errs), w.Body.String())
	}
	_, _, template := paths.FindPath(req, c.model, nil)
	return fmt.Sprintf("GET %s %d", template, w.Code)
}

// describeValidationErrors lists the validator's findings down to the
// failing schema keyword.
func describeValidationErrors(errs []*vErrors.ValidationError) string {
	var b strings.Builder
	for _, err := range errs {
		fmt.Fprintf(&b, "  %s: %s\n", err.Message, err.Reason)
		for _, f := range err.SchemaValidationErrors {
			fmt.Fprintf(&b, "    %s at %s (%s)\n", f.Reason, f.FieldPath, f.KeywordLocation)
		}
	}
	return b.String()
}
