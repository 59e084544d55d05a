package survey

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// defaultInstrument is the instrument built from the municipal catalogue. It
// is a human-editable TOML file so that an organisation can copy it, change
// wording and load its own with --instrument.
//
//go:embed instrument.toml
var defaultInstrument []byte

// Lang is a language the product speaks. Danish comes first.
type Lang string

// The languages every text in the instrument and the catalogues has.
const (
	Danish  Lang = "da"
	English Lang = "en"
)

// Langs lists the supported languages, the default first.
func Langs() []Lang { return []Lang{Danish, English} }

// ParseLang returns the language named by s, and false when s names none.
func ParseLang(s string) (Lang, bool) {
	for _, l := range Langs() {
		if string(l) == s {
			return l, true
		}
	}
	return Danish, false
}

// Text is one text in both languages.
type Text struct {
	Da string `toml:"da" json:"da"`
	En string `toml:"en" json:"en"`
}

// In returns the text in lang, falling back to Danish.
func (t Text) In(lang Lang) string {
	if lang == English && t.En != "" {
		return t.En
	}
	return t.Da
}

func (t Text) complete() bool {
	return strings.TrimSpace(t.Da) != "" && strings.TrimSpace(t.En) != ""
}

// Answer is one answer to one item: 1–5 on the scale, or DontKnow. An item
// without an answer has no Answer at all (it is absent from Answers).
type Answer int

// DontKnow is the answer "Ved ikke / ikke relevant". It is stored, shown and
// counted, but it is not a score.
const DontKnow Answer = 0

// Scale ends. Higher is more of the behaviour.
const (
	MinAnswer Answer = 1
	MaxAnswer Answer = 5
)

// Valid reports whether a is a value the scale or DontKnow allows.
func (a Answer) Valid() bool { return a == DontKnow || (a >= MinAnswer && a <= MaxAnswer) }

// Answers maps item ids to answers; unanswered items are absent.
type Answers map[string]Answer

// ScalePoint is one labelled point of the response scale.
type ScalePoint struct {
	Value Answer `toml:"value" json:"value"`
	Label Text   `toml:"label" json:"label"`
}

// Phase says when in a shared task a reflection prompt applies.
type Phase string

// The phases of the catalogue's points of attention.
const (
	Before     Phase = "before"
	During     Phase = "during"
	After      Phase = "after"
	Throughout Phase = "throughout"
)

// Prompt is a reflection prompt drawn from the catalogue's points of
// attention.
type Prompt struct {
	Phase Phase `toml:"phase" json:"phase"`
	Text  Text  `toml:"text" json:"text"`
}

// Item is one observable behaviour, answered on the scale.
type Item struct {
	ID   string `toml:"id" json:"id"`
	Text Text   `toml:"text" json:"text"`
	// Other is the third-person form for raters in a 360 round ("Lederen
	// går forrest …"), in both languages. Every item has one, so any
	// round's instrument can be asked of raters, and a round freezes it
	// with the rest.
	Other Text `toml:"other" json:"other"`
}

// Competence is one of the catalogue's competences for boundary-crossing
// collaboration.
type Competence struct {
	ID          string   `toml:"id" json:"id"`
	Name        Text     `toml:"name" json:"name"`
	Label       Text     `toml:"label" json:"label"`
	Description Text     `toml:"description" json:"description"`
	Items       []Item   `toml:"items" json:"items"`
	Prompts     []Prompt `toml:"prompts" json:"prompts"`
}

// Instrument is the questionnaire: competences, items, scale. A round
// freezes the version it uses, so results always read against what was
// asked.
type Instrument struct {
	Version     string       `toml:"version" json:"version"`
	Title       Text         `toml:"title" json:"title"`
	Source      Text         `toml:"source" json:"source"`
	Scale       []ScalePoint `toml:"scale" json:"scale"`
	DontKnow    ScalePoint   `toml:"dont_know" json:"dont_know"`
	Competences []Competence `toml:"competences" json:"competences"`
}

// ItemsPerCompetence is how many items measure each competence.
const ItemsPerCompetence = 4

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,39}$`)

// Validate checks that the instrument can be asked and scored: unique ids,
// four items per competence, a complete 5-point scale and every text in
// both languages, an item's third-person form for raters included. Its message names the first problem found.
func (in *Instrument) Validate() error {
	return in.validate(true)
}

// ThirdPersonComplete reports, as Validate does, the first item without
// its third-person form in both languages: what raters of a 360 round
// would be asked. Nil when every item has one.
func (in *Instrument) ThirdPersonComplete() error {
	for _, c := range in.Competences {
		for _, it := range c.Items {
			if !it.Other.complete() {
				return noThirdPerson(it)
			}
		}
	}
	return nil
}

// noThirdPerson is the error of an item without its third-person form.
func noThirdPerson(it Item) error {
	return Errorf(EINVALID, "instrument: item %q: the third-person form for raters (other.da and other.en, \"Lederen …\") needs da and en", it.ID)
}

// validate is Validate, with or without the third-person forms.
func (in *Instrument) validate(thirdPerson bool) error {
	if strings.TrimSpace(in.Version) == "" {
		return Errorf(EINVALID, "instrument: version is required")
	}
	if !in.Title.complete() {
		return Errorf(EINVALID, "instrument: title needs da and en")
	}
	if len(in.Scale) != int(MaxAnswer) {
		return Errorf(EINVALID, "instrument: scale needs %d points, has %d", MaxAnswer, len(in.Scale))
	}
	seenValue := map[Answer]bool{}
	for _, p := range in.Scale {
		if p.Value < MinAnswer || p.Value > MaxAnswer || seenValue[p.Value] {
			return Errorf(EINVALID, "instrument: scale value %d is out of 1–5 or repeated", p.Value)
		}
		seenValue[p.Value] = true
		if !p.Label.complete() {
			return Errorf(EINVALID, "instrument: scale value %d needs a label in da and en", p.Value)
		}
	}
	if !in.DontKnow.Label.complete() {
		return Errorf(EINVALID, "instrument: dont_know needs a label in da and en")
	}
	if len(in.Competences) == 0 {
		return Errorf(EINVALID, "instrument: no competences")
	}
	seen := map[string]bool{}
	for i, c := range in.Competences {
		where := fmt.Sprintf("competence %d (%q)", i+1, c.ID)
		if !idPattern.MatchString(c.ID) {
			return Errorf(EINVALID, "instrument: %s: id must be lower-case letters, digits, '.', '_' or '-'", where)
		}
		if seen[c.ID] {
			return Errorf(EINVALID, "instrument: %s: id is used twice", where)
		}
		seen[c.ID] = true
		for field, t := range map[string]Text{"name": c.Name, "label": c.Label, "description": c.Description} {
			if !t.complete() {
				return Errorf(EINVALID, "instrument: %s: %s needs da and en", where, field)
			}
		}
		if len(c.Items) != ItemsPerCompetence {
			return Errorf(EINVALID, "instrument: %s: needs %d items, has %d", where, ItemsPerCompetence, len(c.Items))
		}
		for j, it := range c.Items {
			if !idPattern.MatchString(it.ID) {
				return Errorf(EINVALID, "instrument: %s item %d: id %q must be lower-case letters, digits, '.', '_' or '-'", where, j+1, it.ID)
			}
			if seen[it.ID] {
				return Errorf(EINVALID, "instrument: %s item %d: id %q is used twice", where, j+1, it.ID)
			}
			seen[it.ID] = true
			if !it.Text.complete() {
				return Errorf(EINVALID, "instrument: item %q: text needs da and en", it.ID)
			}
			if thirdPerson && !it.Other.complete() {
				return noThirdPerson(it)
			}
		}
		if len(c.Prompts) == 0 {
			return Errorf(EINVALID, "instrument: %s: needs at least one reflection prompt", where)
		}
		for j, p := range c.Prompts {
			switch p.Phase {
			case Before, During, After, Throughout:
			default:
				return Errorf(EINVALID, "instrument: %s prompt %d: phase %q must be before, during, after or throughout", where, j+1, p.Phase)
			}
			if !p.Text.complete() {
				return Errorf(EINVALID, "instrument: %s prompt %d: text needs da and en", where, j+1)
			}
		}
	}
	return nil
}

// ParseInstrument decodes and validates an instrument file. Unknown keys are
// errors, so a misspelt field is caught rather than silently dropped.
func ParseInstrument(b []byte) (*Instrument, error) {
	return parseInstrument(b, true)
}

// ParseStoredInstrument is ParseInstrument for a file a round has already
// frozen (data.EnsureInstrument): before third-person forms were required,
// an organisation's own file could lack them, and its rounds must still
// read as they were asked. Raters are never given such a round
// (data.ImportRaters checks ThirdPersonComplete).
func ParseStoredInstrument(b []byte) (*Instrument, error) {
	return parseInstrument(b, false)
}

func parseInstrument(b []byte, thirdPerson bool) (*Instrument, error) {
	var in Instrument
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, Errorf(EINVALID, "instrument: line %d, column %d: %s", row, col, de.Error())
		}
		var sm *toml.StrictMissingError
		if errors.As(err, &sm) {
			return nil, Errorf(EINVALID, "instrument: unknown field: %s", strings.TrimSpace(sm.String()))
		}
		return nil, Errorf(EINVALID, "instrument: %s", err.Error())
	}
	if err := in.validate(thirdPerson); err != nil {
		return nil, err
	}
	return &in, nil
}

// DefaultInstrument returns the embedded instrument, parsed afresh so that
// callers may not change each other's copy.
func DefaultInstrument() (*Instrument, error) {
	return ParseInstrument(defaultInstrument)
}

// DefaultInstrumentFile returns the embedded instrument file as it is, so an
// organisation can start its own from it.
func DefaultInstrumentFile() []byte { return bytes.Clone(defaultInstrument) }

// Competence returns the competence with the given id.
func (in *Instrument) Competence(id string) (Competence, error) {
	for _, c := range in.Competences {
		if c.ID == id {
			return c, nil
		}
	}
	return Competence{}, Errorf(ENOTFOUND, "no competence %q", id)
}

// ItemCount is the number of items in the instrument.
func (in *Instrument) ItemCount() int {
	n := 0
	for _, c := range in.Competences {
		n += len(c.Items)
	}
	return n
}

// HasItem reports whether id names an item of the instrument.
func (in *Instrument) HasItem(id string) bool {
	for _, c := range in.Competences {
		for _, it := range c.Items {
			if it.ID == id {
				return true
			}
		}
	}
	return false
}

// ScaleLabel returns the label of an answer in lang.
func (in *Instrument) ScaleLabel(a Answer, lang Lang) string {
	if a == DontKnow {
		return in.DontKnow.Label.In(lang)
	}
	for _, p := range in.Scale {
		if p.Value == a {
			return p.Label.In(lang)
		}
	}
	return ""
}

// ValidateAnswers checks answers against the instrument: known items,
// values on the scale. The message names the first bad item.
func (in *Instrument) ValidateAnswers(a Answers) error {
	for id, v := range a {
		if !in.HasItem(id) {
			return Errorf(EINVALID, "unknown item %q", id)
		}
		if !v.Valid() {
			return Errorf(EINVALID, "answer %d to item %q is not on the scale", v, id)
		}
	}
	return nil
}
