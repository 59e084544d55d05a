package web_test

// The real-browser test of the staff pages: HR follows a round and reads
// the group profiles and the heatmap of a closed round, an administrator
// imports people and creates a round, in headless Chromium against the app
// served in-process on a temporary database with the demo organisation.
//
//	go test -race -run Browser -v ./web/
//
// It skips when no Chromium is installed, unless CI is set. With
// LEDERRADAR_SCREENSHOTS=1 it also writes the README's screenshots of a
// team profile and the heatmap to docs/screenshots/.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lederradar/internal/orggen"
	"lederradar/survey"
)

func TestBrowserHRAndAdmin(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)

	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	competences := len(app.instrument.Competences)
	hr, admin := browserLogin(t, app, survey.RoleHR), browserLogin(t, app, survey.RoleAdmin)

	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	console := b.console

	// The demo's rounds, named after the year it was seeded in.
	year := app.seeded.Year()
	earlier := fmt.Sprintf("Efterår %d", year-1)
	closed := fmt.Sprintf("Forår %d", year)
	open := fmt.Sprintf("Efterår %d", year)
	// A group with too few answers, and one whose answers differ from
	// another shown group's by too few people.
	const suppressed = "færre end 5 svar" // a competence's cell
	// A whole group says why in a sentence (issue 14, point 9).
	const suppressedGroup = "Vises ikke, fordi gruppen har færre end 5 svar."
	const overlap = "Vises ikke, selv om gruppen har mindst 5 svar: den kan sammen med andre viste grupper afsløre færre end 5 personers svar, fx når den trækkes fra en større gruppe."
	const smallTeam = "Strategisk ledelsesforum"
	decimalComma := regexp.MustCompile(`^\d,\d$`)

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}

	step("HR logs in", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/hr")
		if loc, want := b.location(t), app.baseURL+"/login?next=/hr"; loc != want {
			t.Errorf("/hr without a session lands on %s, want %s", loc, want)
		}
		b.login(t, hr)
		if loc, want := b.location(t), app.baseURL+"/hr"; loc != want {
			t.Fatalf("after logging in HR is at %s, want %s", loc, want)
		}
		rounds := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.data tbody th a"), a => a.textContent.trim())`)
		for _, name := range []string{earlier, closed, open} {
			if !strings.Contains(strings.Join(rounds, "\n"), name) {
				t.Errorf("the rounds table lists %q, want %q among them", rounds, name)
			}
		}
	})

	var roundURL, teamURL, teamName string
	var groups int // rows in the closed round's groups table
	step("closed round", func(t *testing.T) {
		b.clickLink(t, "table.data tbody", closed)
		roundURL = b.location(t)
		if !regexp.MustCompile(`/hr/rounds/\d+$`).MatchString(roundURL) {
			t.Fatalf("the round's link leads to %s", roundURL)
		}
		if h1 := b.text(t, "h1"); h1 != closed {
			t.Errorf("round heading %q, want %q", h1, closed)
		}
		type row struct {
			Name, Kind, Profile, Href string
		}
		rows := browserEval[[]row](t, b, `Array.from(document.querySelectorAll("table.data.groups tbody tr"), r => {
			const a = r.querySelector("td.profile a");
			return {Name: r.querySelector("th").textContent.trim(), Kind: r.querySelector("td").textContent.trim(),
				Profile: r.querySelector("td.profile").textContent.trim(), Href: a ? a.getAttribute("href") : ""};
		})`)
		groups = len(rows)
		if groups < 3 {
			t.Fatalf("groups table has %d rows: %+v", groups, rows)
		}
		hidden := 0
		for _, r := range rows {
			if r.Profile == suppressedGroup || r.Profile == overlap {
				hidden++
			}
			if r.Name == smallTeam && (r.Profile != suppressedGroup || r.Href != "") {
				t.Errorf("the small team %q shows %q (link %q), want %q and no link", smallTeam, r.Profile, r.Href, suppressedGroup)
			}
			if r.Kind == "Team" && r.Href != "" && teamURL == "" {
				teamURL, teamName = r.Href, r.Name
			}
		}
		if hidden == 0 {
			t.Errorf("no group reads %q: %+v", suppressedGroup, rows)
		}
		t.Logf("%d of %d groups suppressed in %s", hidden, groups, closed)
		if teamURL == "" {
			t.Fatalf("no team has a profile link: %+v", rows)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("ul.actions a[href$='/heatmap']").length`); n != 1 {
			t.Errorf("the closed round has %d heatmap links, want 1", n)
		}
	})

	groupPath := teamURL // for the layouts below
	step("team profile", func(t *testing.T) {
		b.submit(t, fmt.Sprintf(`table.data a[href=%q]`, teamURL))
		if loc := b.location(t); loc != app.baseURL+teamURL {
			t.Errorf("the profile link leads to %s, want %s", loc, app.baseURL+teamURL)
		}
		if h1 := b.text(t, "h1"); h1 != teamName {
			t.Errorf("profile heading %q, want %q", h1, teamName)
		}
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`#group-radar svg`)), chromedp.WaitVisible(chromedp.CSS(`#distribution svg`)))
		rows := browserEval[[][]string](t, b, `Array.from(document.querySelectorAll("table.scores tbody tr"),
			r => Array.from(r.querySelectorAll("th, td"), c => c.textContent.trim()))`)
		if len(rows) != competences {
			t.Fatalf("competence table has %d body rows, want %d", len(rows), competences)
		}
		for _, r := range rows {
			// competence, mean, sd, n, organisation
			if len(r) != 5 {
				t.Errorf("competence row %q has %d cells, want 5", r, len(r))
				continue
			}
			for _, c := range []string{r[1], r[2], r[4]} {
				if !decimalComma.MatchString(c) {
					t.Errorf("competence row %q: %q is not one decimal with a Danish comma", r, c)
				}
			}
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("table.data.dist tbody tr").length`); n != competences {
			t.Errorf("distribution table has %d body rows, want %d", n, competences)
		}
		if keys := browserBracketRE.FindAllString(b.text(t, "main"), -1); len(keys) > 0 {
			t.Errorf("profile page shows missing catalogue keys: %q", keys)
		}
	})

	step("compare with the earlier round", func(t *testing.T) {
		options := browserEval[map[string]string](t, b, `Object.fromEntries(Array.from(document.querySelectorAll("#compare option"), o => [o.textContent.trim(), o.value]))`)
		id, ok := options[earlier]
		if !ok || len(options) != 1 {
			t.Fatalf("compare offers %v, want only the other closed round %q", options, earlier)
		}
		b.do(t, chromedp.SetValue(chromedp.CSS(`#compare`), id))
		b.submit(t, `form.inline:has(#compare) button[type=submit]`)
		if loc, want := b.location(t), app.baseURL+teamURL+"?compare="+id; loc != want {
			t.Errorf("after comparing the browser is at %s, want %s", loc, want)
		}
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`#compare-radar svg`)))
		caption := fmt.Sprintf("Gennemsnit i %s og %s", closed, earlier)
		rows := browserEval[[][]string](t, b, fmt.Sprintf(`Array.from(document.querySelectorAll("table.data"))
			.filter(t => t.caption && t.caption.textContent.trim() === %q)
			.flatMap(t => Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent.trim())))`, caption))
		if len(rows) != competences {
			t.Fatalf("comparison table %q has %d body rows, want %d", caption, len(rows), competences)
		}
		signed := regexp.MustCompile(`^[+−-]?\d,\d$`)
		for _, r := range rows {
			if len(r) != 4 || !decimalComma.MatchString(r[1]) || !decimalComma.MatchString(r[2]) || !signed.MatchString(r[3]) {
				t.Errorf("comparison row %q: want competence, two means and a signed difference", r)
			}
		}
	})

	var heatmapPath string
	step("heatmap", func(t *testing.T) {
		b.navigate(t, roundURL)
		b.submit(t, `ul.actions a[href$="/heatmap"]`)
		heatmapPath = strings.TrimPrefix(b.location(t), app.baseURL)
		if heatmapPath != strings.TrimPrefix(roundURL, app.baseURL)+"/heatmap" {
			t.Errorf("the heatmap link leads to %s", heatmapPath)
		}
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`#heatmap svg`)))
		type row struct {
			Name  string
			Cells []string
		}
		rows := browserEval[[]row](t, b, `Array.from(document.querySelectorAll("table.heat tbody tr"), r => ({
			Name: r.querySelector("th a") ? r.querySelector("th a").textContent.trim() : r.querySelector("th").firstChild.textContent.trim(),
			Cells: Array.from(r.querySelectorAll("td"), c => c.textContent.trim())}))`)
		if len(rows) != groups {
			t.Errorf("heatmap table has %d rows, want one per group (%d)", len(rows), groups)
		}
		hidden, small := 0, false
		for _, r := range rows {
			switch {
			case len(r.Cells) == 2: // n and one cell across the competences
				hidden++
				if r.Cells[1] != suppressedGroup && r.Cells[1] != overlap {
					t.Errorf("suppressed heatmap row %q reads %q, want %q or %q", r.Name, r.Cells[1], suppressedGroup, overlap)
				}
				small = small || (r.Name == smallTeam && r.Cells[1] == suppressedGroup)
			case len(r.Cells) == 1+competences:
				for _, c := range r.Cells[1:] {
					if !decimalComma.MatchString(c) && c != suppressed {
						t.Errorf("heatmap row %q has cell %q, want a Danish decimal or %q", r.Name, c, suppressed)
					}
				}
			default:
				t.Errorf("heatmap row %q has %d cells: %q", r.Name, len(r.Cells), r.Cells)
			}
		}
		if !small {
			t.Errorf("the small team %q is not among the heatmap rows that read %q", smallTeam, suppressedGroup)
		}
		summary := b.text(t, "p.summary")
		if want := fmt.Sprintf("%d grupper vises; %d vises ikke", groups-hidden, hidden); !strings.HasPrefix(summary, want) {
			t.Errorf("heatmap summary %q, want it to start %q", summary, want)
		}
	})

	step("no script errors or CSP violations", func(t *testing.T) {
		browserEval[int](t, b, `new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1), 50)))`, chromedp.EvalAwaitPromise)
		for _, m := range console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})

	step("open round shows counts only", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/hr")
		b.clickLink(t, "table.data tbody", open)
		openURL := b.location(t)
		if h1 := b.text(t, "h1"); h1 != open {
			t.Errorf("round heading %q, want %q", h1, open)
		}
		if n := browserEval[int](t, b, `Array.from(document.querySelectorAll("main a")).filter(a => a.textContent.includes("Se profil")).length`); n != 0 {
			t.Errorf("the open round shows %d profile links, want none", n)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("main a[href$='/heatmap'], main a[href$='.csv'], main a[href$='.xlsx']").length`); n != 0 {
			t.Errorf("the open round offers %d heatmap or export links, want none", n)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("table.data.groups tbody tr").length`); n != groups {
			t.Errorf("the open round's table has %d rows, want one per group (%d)", n, groups)
		}
		if status := b.navigateStatus(t, openURL+"/heatmap"); status != http.StatusConflict {
			t.Errorf("the open round's heatmap answered %d, want %d", status, http.StatusConflict)
		}
		if msg := b.text(t, "main .error"); !strings.HasPrefix(msg, "Profilerne vises, når runden er lukket") {
			t.Errorf("the open round's heatmap says %q", msg)
		}
	})

	// The team profile and the heatmap at a desktop's and a phone's width,
	// in tabs of their own with HR's session: nothing may scroll sideways.
	step("phone and desktop layouts", func(t *testing.T) {
		var dir string
		if os.Getenv("LEDERRADAR_SCREENSHOTS") == "1" {
			dir = filepath.Join("..", "docs", "screenshots")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range []struct {
			width, height int64
			path, ready   string
			screenshot    string
		}{
			{width: 1280, height: 900, path: groupPath, ready: `#distribution svg`, screenshot: "team-profile-desktop.png"},
			{width: 390, height: 844, path: groupPath, ready: `#distribution svg`, screenshot: "team-profile-phone.png"},
			{width: 1280, height: 900, path: heatmapPath, ready: `#heatmap svg`, screenshot: "heatmap-desktop.png"},
			{width: 390, height: 844, path: heatmapPath, ready: `#heatmap svg`, screenshot: "heatmap-phone.png"},
		} {
			file := ""
			if dir != "" {
				file = filepath.Join(dir, v.screenshot)
			}
			if w := b.layout(t, v.width, v.height, v.path, v.ready, file); w > v.width {
				t.Errorf("%s at %dpx wide is %dpx wide: it scrolls sideways", v.path, v.width, w)
			}
		}
		browserEval[int](t, b, `new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1), 50)))`, chromedp.EvalAwaitPromise)
		for _, m := range console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})

	step("HR logs out, the administrator logs in", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/hr")
		b.submit(t, `header form[action="/logout"] button[type=submit]`)
		if loc, want := b.location(t), app.baseURL+"/login?ended=1"; loc != want {
			t.Errorf("after logging out the browser is at %s, want %s", loc, want)
		}
		if notice := b.text(t, ".status .notice"); notice != "Du er logget ud." {
			t.Errorf("status after logging out %q", notice)
		}
		if loc := b.location(t); loc == app.baseURL+"/hr" {
			t.Fatal("still on /hr after logging out")
		}
		b.login(t, admin)
		if loc, want := b.location(t), app.baseURL+"/admin"; loc != want {
			t.Fatalf("after logging in the administrator is at %s, want %s", loc, want)
		}
		if h1 := b.text(t, "h1"); h1 != "Administration" {
			t.Errorf("administration heading %q", h1)
		}
	})

	step("people", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/admin/people")
		if n := browserEval[int](t, b, `document.querySelectorAll("table.data")[0].tBodies[0].rows.length`); n != orggen.DemoLeaders {
			t.Errorf("the people table has %d rows, want the demo's %d leaders", n, orggen.DemoLeaders)
		}
	})

	step("import people", func(t *testing.T) {
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		good := filepath.Join(dir, "good.csv")
		if err := os.WriteFile(bad, []byte("email;name;department;teams\n"+
			"ny.leder@demo.kommune.dk;Ny Leder;Børn og Unge;Klimatilpasning\n"+
			"ikke-en-adresse;Forkert Adresse;Børn og Unge;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(good, []byte("email;name;department;teams\n"+
			"ny.leder@demo.kommune.dk;Ny Leder;Børn og Unge;Klimatilpasning\n"+
			"anden.leder@demo.kommune.dk;Anden Leder;Teknik og Miljø;Browsertest-team\n"), 0o644); err != nil {
			t.Fatal(err)
		}

		b.navigate(t, app.baseURL+"/admin/import")
		b.do(t, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{bad}))
		if status := b.submitStatus(t, `form[action="/admin/import"] button[type=submit]`); status != http.StatusBadRequest {
			t.Errorf("a file with a bad line answered %d, want %d", status, http.StatusBadRequest)
		}
		problems := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("main .error li"), li => li.textContent.trim())`)
		if want := "Linje 3: Ugyldig e-mailadresse »ikke-en-adresse«."; len(problems) != 1 || problems[0] != want {
			t.Errorf("import problems %q, want only %q", problems, want)
		}

		b.do(t, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{good}))
		b.submit(t, `form[action="/admin/import"] button[type=submit]`)
		if n := browserEval[int](t, b, `document.querySelectorAll("main .error").length`); n != 0 {
			t.Errorf("a good file shows %d error boxes", n)
		}
		if notice, want := b.text(t, ".status .notice"), "Importen er gennemført. Nye personer: 2. Opdaterede personer: 0. Nye afdelinger og teams: 1."; notice != want {
			t.Errorf("after a good import the status is %q, want %q", notice, want)
		}
		b.navigate(t, app.baseURL+"/admin/people")
		if n := browserEval[int](t, b, `document.querySelectorAll("table.data")[0].tBodies[0].rows.length`); n != orggen.DemoLeaders+2 {
			t.Errorf("after the import the people table has %d rows, want %d", n, orggen.DemoLeaders+2)
		}
	})

	step("create a round", func(t *testing.T) {
		name := fmt.Sprintf("Browsertest %d", year+1)
		b.navigate(t, app.baseURL+"/admin/rounds")
		b.do(t, chromedp.SendKeys(chromedp.CSS(`#round-name`), name))
		b.submit(t, `form[action="/admin/rounds"] button[type=submit]`)
		if loc := b.location(t); !regexp.MustCompile(`/admin/rounds/\d+$`).MatchString(loc) {
			t.Errorf("after creating a round the browser is at %s, want the round's page", loc)
		}
		if h1 := b.text(t, "h1"); h1 != name {
			t.Errorf("new round's heading %q, want %q", h1, name)
		}
		if status := b.text(t, "main > p:nth-of-type(2)"); !strings.HasPrefix(status, "Kladde") {
			t.Errorf("new round's status line %q, want it to start %q", status, "Kladde")
		}
	})

	step("HR pages refused to the administrator", func(t *testing.T) {
		for _, path := range []string{"/hr", strings.TrimPrefix(roundURL, app.baseURL), groupPath, heatmapPath} {
			if status := b.navigateStatus(t, app.baseURL+path); status != http.StatusForbidden {
				t.Errorf("%s for the administrator answered %d, want %d", path, status, http.StatusForbidden)
				continue
			}
			if msg := b.text(t, "main .error"); msg != "Du har ikke adgang til denne side." {
				t.Errorf("%s for the administrator says %q", path, msg)
			}
		}
		for _, m := range console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})
}

// browserLogin is the demo account of role.
func browserLogin(t *testing.T, app *browserApp, role survey.Role) orggen.Account {
	t.Helper()
	for _, l := range app.logins {
		if l.Role == role {
			return l
		}
	}
	t.Fatalf("the demo has no %s account: %+v", role, app.logins)
	return orggen.Account{}
}

// login fills in the log-in form the tab shows and submits it.
func (b *browserTab) login(t *testing.T, l orggen.Account) {
	t.Helper()
	b.do(t,
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.Clear(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), l.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), l.Password),
	)
	b.submit(t, `form[action="/login"] button[type=submit]`)
}

// clickLink clicks the link inside scope whose text is text, and waits for
// the page it leads to.
func (b *browserTab) clickLink(t *testing.T, scope, text string) {
	t.Helper()
	hrefs := browserEval[[]string](t, b, fmt.Sprintf(`Array.from(document.querySelectorAll(%q))
		.filter(a => a.textContent.trim() === %q).map(a => a.getAttribute("href"))`, scope+" a", text))
	if len(hrefs) != 1 {
		t.Fatalf("%d links %q in %s, want 1", len(hrefs), text, scope)
	}
	b.submit(t, fmt.Sprintf(`%s a[href=%q]`, scope, hrefs[0]))
}
