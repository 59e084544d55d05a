package web

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"testing"

	"lederradar/survey"
)

// TestStencilEqualsTemplate checks that the result table's rows written
// through stencils are byte for byte what executing the partial writes,
// for every shape and language, with texts that need escaping.
func TestStencilEqualsTemplate(t *testing.T) {
	s, _, _ := testServer(t)
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "–", "3,4", "+0,3", "−1,2", "4 af 4", "Tillid", `</td><script>alert("x")</script>`,
		"Ærø & 'Åbenrå' <b>", "\x00nul", "a+b=c", "\uE000", "\uE0010<&'\"+ \uE001", "{{.Label}}"}
	pick := func() string { return texts[rng.IntN(len(texts))] }
	for _, lang := range survey.Langs() {
		page := s.pages[lang]["result"]
		p := s.catalogues.Printer(lang)
		for range 300 {
			var views []scoreRowView
			var want bytes.Buffer
			for range 1 + rng.IntN(12) {
				r := scoreRowView{Label: pick(), Name: pick(), Score: pick(), HasScore: rng.IntN(2) == 0,
					Answered: pick(), DontKnow: pick(), Previous: pick(), Change: pick(), Group: pick(), Gap: pick(),
					ShowPrevious: rng.IntN(2) == 0, ShowGroup: rng.IntN(2) == 0, T: p}
				views = append(views, r)
				if err := page.ExecuteTemplate(&want, "score_row", r); err != nil {
					t.Fatal(err)
				}
			}
			got, err := renderStencils(&s.stencils, page, "score_row", views, scoreRowShape)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want.String() {
				t.Fatalf("%s: stencil wrote\n%s\nthe partial\n%s", lang, got, want.String())
			}
		}
	}
	// The strengths and development areas, with and without prompts.
	prompts := []template.HTML{"", `<ul class="prompts"><li>a</li></ul>`}
	shapes := 0
	for _, lang := range survey.Langs() {
		page := s.pages[lang]["result"]
		p := s.catalogues.Printer(lang)
		for _, name := range []string{"strength", "development"} {
			for range 100 {
				var views []highlightView
				var want bytes.Buffer
				for range 1 + rng.IntN(3) {
					h := highlightView{Name: pick(), Score: pick(), Prompts: prompts[rng.IntN(2)], T: p}
					views = append(views, h)
					if err := page.ExecuteTemplate(&want, name, h); err != nil {
						t.Fatal(err)
					}
				}
				got, err := renderStencils(&s.stencils, page, name, views, highlightShape)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want.String() {
					t.Fatalf("%s %s: stencil wrote\n%s\nthe partial\n%s", lang, name, got, want.String())
				}
			}
			shapes += len(prompts)
		}
	}
	// Every shape got a stencil: none fell back to executing the partial.
	n := 0
	s.stencils.m.Range(func(k, v any) bool {
		n++
		if err, ok := v.(error); ok {
			t.Errorf("no stencil for %+v: %v", k.(stencilKey).shape, err)
		}
		return true
	})
	if want := 2*2*2*len(survey.Langs()) + shapes; n != want {
		t.Errorf("%d stencils, want %d (shapes × languages)", n, want)
	}
}

// TestStencilRefusesOtherContexts checks that a field in a URL, a script
// or an unquoted attribute makes no stencil: html/template escapes it
// otherwise there.
func TestStencilRefusesOtherContexts(t *testing.T) {
	type view struct{ A, B string }
	for _, src := range []string{
		`<a href="{{.A}}">{{.B}}</a>`,
		`<a href="/x?q={{.A}}">{{.B}}</a>`,
		`<script>var a = {{.A}};</script>{{.B}}`,
		`<p title={{.A}}>{{.B}}</p>`,
		`<p style="color: {{.A}}">{{.B}}</p>`,
		`<p onclick="f('{{.A}}')">{{.B}}</p>`,
	} {
		tm := template.Must(template.New("x").Parse(`{{define "p"}}` + src + `{{end}}`))
		if _, err := newStencil(tm, "p", view{}); err == nil {
			t.Errorf("%s: made a stencil", src)
		}
		// The partial still renders, executed as usual.
		var st stencils
		got, err := renderStencils(&st, tm, "p", []view{{"a b", "<c>"}}, func(view) view { return view{} })
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := tm.ExecuteTemplate(&want, "p", view{"a b", "<c>"}); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s: fallback wrote %s, want %s", src, got, want.String())
		}
	}
	// In text and quoted attributes it does.
	tm := template.Must(template.New("x").Parse(`{{define "p"}}<p title="{{.A}}" class='{{.B}}'>{{.A}}{{.B}}</p>{{end}}`))
	if _, err := newStencil(tm, "p", view{}); err != nil {
		t.Errorf("text and quoted attributes: %v", err)
	}
}
