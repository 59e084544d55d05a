package web

import (
	"embed"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pelletier/go-toml/v2"

	"lederradar/survey"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Catalogues holds every user-facing text of the web interface, one flat
// key→message map per language, loaded once at start-up.
type Catalogues struct {
	messages map[survey.Lang]map[string]string
	printers map[survey.Lang]*Printer
}

// LoadCatalogues returns the embedded message catalogues, read and checked
// once per process (readCatalogues): they are embedded and never change,
// and a Catalogues is read-only once loaded.
func LoadCatalogues() (*Catalogues, error) { return loadCatalogues() }

var loadCatalogues = sync.OnceValues(readCatalogues)

// readCatalogues reads the embedded message catalogues and checks that every
// language has exactly the keys Danish has, so a missing translation fails
// start-up rather than a page.
func readCatalogues() (*Catalogues, error) {
	c := &Catalogues{messages: map[survey.Lang]map[string]string{}, printers: map[survey.Lang]*Printer{}}
	for _, lang := range survey.Langs() {
		b, err := localeFiles.ReadFile("locales/" + string(lang) + ".toml")
		if err != nil {
			return nil, fmt.Errorf("web: unable to read catalogue %s: %w", lang, err)
		}
		var tree map[string]any
		if err := toml.Unmarshal(b, &tree); err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		flat := map[string]string{}
		if err := flatten("", tree, flat); err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		c.messages[lang] = flat
		c.printers[lang] = &Printer{Lang: lang, messages: flat}
	}
	da := c.messages[survey.Danish]
	for _, lang := range survey.Langs() {
		m := c.messages[lang]
		for k := range da {
			if _, ok := m[k]; !ok {
				return nil, fmt.Errorf("web: catalogue %s lacks %q", lang, k)
			}
		}
		for k := range m {
			if _, ok := da[k]; !ok {
				return nil, fmt.Errorf("web: catalogue %s has %q that Danish lacks", lang, k)
			}
		}
	}
	return c, nil
}

func flatten(prefix string, tree map[string]any, out map[string]string) error {
	for k, v := range tree {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			out[key] = v
		case map[string]any:
			if err := flatten(key, v, out); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: messages must be strings", key)
		}
	}
	return nil
}

// Keys returns every message key, sorted.
func (c *Catalogues) Keys() []string {
	var keys []string
	for k := range c.messages[survey.Danish] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Printer returns the printer for lang: one per language, shared, as a
// printer never changes.
func (c *Catalogues) Printer(lang survey.Lang) *Printer {
	if p, ok := c.printers[lang]; ok {
		return p
	}
	return &Printer{Lang: lang, messages: c.messages[lang]}
}

// Printer formats messages, numbers and dates in one language. Templates
// reach it through the view (.T), so no per-request function is ever bound
// into a shared template set.
type Printer struct {
	Lang     survey.Lang
	messages map[string]string
}

// T returns the message for key, formatted with args as fmt.Sprintf does. A
// missing key shows as itself in brackets, which the catalogue tests catch.
func (p *Printer) T(key string, args ...any) string {
	msg, ok := p.messages[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has says whether the catalogue has a message for key.
func (p *Printer) Has(key string) bool {
	_, ok := p.messages[key]
	return ok
}

// N returns the plural form of key for n: key.one when n is 1, key.other
// otherwise (the rule of both Danish and English), with n as the first
// argument; key.zero for 0 when the catalogue has one.
func (p *Printer) N(key string, n int, args ...any) string {
	form := key + ".other"
	switch {
	case n == 1:
		form = key + ".one"
	case n == 0 && p.Has(key+".zero"):
		form = key + ".zero"
	}
	return p.T(form, append([]any{n}, args...)...)
}

// Dec formats v with one decimal in the language's way: 3,4 in Danish and
// 3.4 in English.
func (p *Printer) Dec(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	if p.Lang == survey.Danish {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Int formats n with the language's thousands separator (1.234 in Danish,
// 1,234 in English).
func (p *Printer) Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if p.Lang == survey.Danish {
		sep = "."
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Date formats a date as the language writes it: 28. november 2026 in
// Danish, 28 November 2026 in English.
func (p *Printer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	month := p.T("month." + strconv.Itoa(int(t.Month())))
	if p.Lang == survey.Danish {
		return fmt.Sprintf("%d. %s %d", t.Day(), month, t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
}

// Text returns an instrument text in the printer's language.
func (p *Printer) Text(t survey.Text) string { return t.In(p.Lang) }

// Pct formats n of total as a whole percentage ("83 %" in Danish, "83%"
// in English), or a dash when total is 0.
func (p *Printer) Pct(n, total int) string {
	if total <= 0 {
		return "–"
	}
	return p.PctOf(float64(n) / float64(total))
}

// Dec2 formats v with two decimals in the language's way (0,82 in
// Danish, 0.82 in English), negative with a true minus sign: for
// coefficients such as alpha and correlations.
func (p *Printer) Dec2(v float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(v*100)/100), 'f', 2, 64)
	if p.Lang == survey.Danish {
		s = strings.Replace(s, ".", ",", 1)
	}
	if math.Round(v*100) < 0 {
		s = "−" + s
	}
	return s
}

// PctOf formats a share between 0 and 1 as a whole percentage, as Pct.
func (p *Printer) PctOf(share float64) string {
	v := strconv.Itoa(int(math.Round(100 * share)))
	if p.Lang == survey.Danish {
		return v + " %"
	}
	return v + "%"
}

// Signed formats a difference with its sign and one decimal: +0,3 or −0,2
// (a true minus sign, which screen readers read as minus).
func (p *Printer) Signed(v float64) string {
	r := math.Round(v*10) / 10
	switch {
	case r > 0:
		return "+" + p.Dec(r)
	case r < 0:
		return "−" + p.Dec(-r)
	}
	return p.Dec(0)
}
