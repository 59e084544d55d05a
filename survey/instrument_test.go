package survey_test

import (
	"strings"
	"testing"

	"lederradar/survey"
)

func TestDefaultInstrument(t *testing.T) {
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"trust", "courage", "patience", "generosity", "difference", "judgement", "conflict", "across", "engagement", "citizen", "practice"}
	if len(in.Competences) != len(wantIDs) {
		t.Fatalf("%d competences, want %d", len(in.Competences), len(wantIDs))
	}
	var involving []string // items that say "inddrager"
	for i, c := range in.Competences {
		if c.ID != wantIDs[i] {
			t.Errorf("competence %d = %q, want %q", i+1, c.ID, wantIDs[i])
		}
		if n := len(strings.Fields(c.Label.Da)); n > 2 {
			t.Errorf("%s: chart label %q has %d words; axes need one or two", c.ID, c.Label.Da, n)
		}
		for _, it := range c.Items {
			da := it.Text.Da
			if !strings.HasPrefix(da, "Jeg ") {
				t.Errorf("%s: item is not first person: %q", it.ID, da)
			}
			if strings.Contains(da, " og ") {
				t.Errorf("%s: item joins two ideas with »og«: %q", it.ID, da)
			}
			if strings.Contains(da, " ikke ") {
				t.Errorf("%s: item has a negation: %q", it.ID, da)
			}
			if strings.Contains(da, "inddrager") {
				involving = append(involving, it.ID)
			}
			if it.Other.Da == "" || !strings.HasPrefix(it.Other.Da, "Lederen ") {
				t.Errorf("%s: third-person form for 360 missing or not about »Lederen«: %q", it.ID, it.Other.Da)
			}
		}
	}
	// "Inddrager" belongs to thinking across; in other competences'
	// items it blurs what they measure (instrument 2026.2).
	if len(involving) != 1 || !strings.HasPrefix(involving[0], "across.") {
		t.Errorf("items saying »inddrager«: %v, want one of »across«", involving)
	}
	if got := in.ItemCount(); got != 44 {
		t.Errorf("ItemCount() = %d, want 44", got)
	}
	wantScale := []string{"I meget høj grad", "I høj grad", "I nogen grad", "I ringe grad", "I meget ringe grad"}
	for i, p := range in.Scale {
		if p.Label.Da != wantScale[i] || int(p.Value) != 5-i {
			t.Errorf("scale %d = %d %q, want %d %q", i, p.Value, p.Label.Da, 5-i, wantScale[i])
		}
	}
	if in.DontKnow.Label.Da != "Ved ikke / ikke relevant" {
		t.Errorf("don't know label = %q", in.DontKnow.Label.Da)
	}
	if got := in.ScaleLabel(survey.DontKnow, survey.English); got != "Don't know / not relevant" {
		t.Errorf("ScaleLabel(DontKnow, en) = %q", got)
	}
	// The courage competence covers both facets the source names.
	courage, err := in.Competence("courage")
	if err != nil {
		t.Fatal(err)
	}
	all := ""
	for _, it := range courage.Items {
		all += it.Text.Da + " "
	}
	if !strings.Contains(all, "går forrest") || !strings.Contains(all, "slip på kontrollen") {
		t.Errorf("courage items miss a facet: %s", all)
	}
	if _, err := in.Competence("nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("Competence(nope) error = %v, want ENOTFOUND", err)
	}
}

// TestParseInstrumentErrors: a broken instrument file stops start-up with a
// message that names the problem.
func TestParseInstrumentErrors(t *testing.T) {
	good := string(survey.DefaultInstrumentFile())
	tests := []struct {
		name    string
		edit    func(string) string
		wantMsg string
	}{
		{"not TOML", func(s string) string { return s + "\n[[competences]\n" }, "line"},
		{"unknown field", func(s string) string { return strings.Replace(s, "version = ", "versoin = \"x\"\nversion = ", 1) }, "versoin"},
		{"no version", func(s string) string { return strings.Replace(s, `version = "2026.2"`, `version = ""`, 1) }, "version is required"},
		{"duplicate item id", func(s string) string { return strings.Replace(s, `id = "trust.2"`, `id = "trust.1"`, 1) }, `"trust.1" is used twice`},
		{"duplicate competence id", func(s string) string { return strings.Replace(s, `id = "courage"`, `id = "trust"`, 1) }, "used twice"},
		{"missing English", func(s string) string { return strings.Replace(s, `en = "Trust, relationships"`, `en = ""`, 1) }, "label needs da and en"},
		{"bad phase", func(s string) string { return strings.Replace(s, `phase = "before"`, `phase = "sometime"`, 1) }, `phase "sometime"`},
		{"scale value off", func(s string) string { return strings.Replace(s, "value = 5", "value = 6", 1) }, "scale value 6"},
		{"bad id", func(s string) string { return strings.Replace(s, `id = "trust.1"`, `id = "Trust 1"`, 1) }, "must be lower-case"},
		{"no third person", func(s string) string {
			return strings.Replace(s, `other.da = "Lederen tager uenigheder op, mens de endnu er små."`, "", 1)
		}, `item "conflict.2": the third-person form for raters (other.da and other.en`},
		{"no English third person", func(s string) string {
			return strings.Replace(s, `other.en = "The leader raises disagreements while they are still small."`, `other.en = " "`, 1)
		}, `item "conflict.2": the third-person form`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := tt.edit(good)
			if edited == good {
				t.Fatal("the edit changed nothing; the test no longer tests")
			}
			_, err := survey.ParseInstrument([]byte(edited))
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("error = %v, want EINVALID", err)
			}
			if msg := survey.ErrorMessage(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q lacks %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestValidateAnswers(t *testing.T) {
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		answers survey.Answers
		ok      bool
	}{
		{"scale and don't know", survey.Answers{"trust.1": 1, "trust.2": 5, "trust.3": survey.DontKnow}, true},
		{"empty", survey.Answers{}, true},
		{"unknown item", survey.Answers{"trust.9": 3}, false},
		{"above the scale", survey.Answers{"trust.1": 6}, false},
		{"below the scale", survey.Answers{"trust.1": -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := in.ValidateAnswers(tt.answers)
			if (err == nil) != tt.ok {
				t.Errorf("ValidateAnswers = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	err := survey.Errorf(survey.EINVALID, "bad %s", "thing")
	if survey.ErrorCode(err) != survey.EINVALID || survey.ErrorMessage(err) != "bad thing" {
		t.Errorf("got %q %q", survey.ErrorCode(err), survey.ErrorMessage(err))
	}
	if survey.ErrorCode(nil) != "" || survey.ErrorCode(errPlain{}) != survey.EINTERNAL {
		t.Error("codes of nil and plain errors are wrong")
	}
	if survey.ErrorMessage(errPlain{}) != "Internal error." {
		t.Error("a plain error's message leaks")
	}
}

type errPlain struct{}

func (errPlain) Error() string { return "secret detail" }

// TestThirdPersonFollowsTheGuide: the statements raters of a 360 round
// answer keep the item-writing guide (the instrument file's header,
// docs/instrument.md): about »Lederen«, one behaviour, no negations, no
// first person left over, plain words, at most about 110 characters.
func TestThirdPersonFollowsTheGuide(t *testing.T) {
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	firstPerson := []string{"jeg", "mig", "min", "mit", "mine", "vi", "os", "vores"}
	for _, c := range in.Competences {
		for _, it := range c.Items {
			da, en := it.Other.Da, it.Other.En
			words := strings.FieldsFunc(strings.ToLower(da), func(r rune) bool { return r == ' ' || r == ',' || r == '.' })
			for _, w := range words {
				for _, bad := range append([]string{"ikke", "aldrig", "uden", "ingen", "vedkommende", "og"}, firstPerson...) {
					if w == bad {
						t.Errorf("%s: third person has »%s«: %q", it.ID, bad, da)
					}
				}
			}
			if !strings.HasPrefix(da, "Lederen ") || !strings.HasSuffix(da, ".") {
				t.Errorf("%s: third person is not a sentence about »Lederen«: %q", it.ID, da)
			}
			if !strings.HasPrefix(en, "The leader ") || strings.Contains(en, " not ") || strings.Contains(en, "n't") {
				t.Errorf("%s: English third person %q", it.ID, en)
			}
			if n := len([]rune(da)); n > 110 {
				t.Errorf("%s: third person has %d characters, over 110: %q", it.ID, n, da)
			}
		}
	}
}
