package web

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Stencils. A page that repeats one partial many times — the eleven rows
// of the result table — spends most of its time in html/template, about a
// microsecond and a half for every action. A stencil renders the partial
// once per shape with a marker in every string field, and splits the
// output at the markers: filling it is then concatenation and escaping.
// The markup stays in the template; the output is byte for byte what
// executing the partial gives (TestStencilEqualsTemplate).
//
// A stencil is only made where html/template escapes a field the way
// htmlText does: in element content and quoted attribute values. A new
// stencil is checked against the partial with probe values, so a field
// anywhere else (a URL, a script, a style) fails it, and the partial is
// executed as usual instead.

// stencil is a partial split at its string fields.
type stencil struct {
	parts []string // text between the fields, len(fields)+1
	field []int    // the struct field written after parts[i]
	size  int      // the length of the parts together
}

// marker is what stands in field i while a stencil is built: private-use
// characters that no catalogue or instrument text contains, around
// characters whose escaping tells the contexts apart.
func marker(i int) string { return "\uE000" + strconv.Itoa(i) + `<&'"+ ` + "\uE001" }

// stringType is the type of a stencil's fields: plain strings, not
// template.HTML or other string types, which are part of the shape.
var stringType = reflect.TypeFor[string]()

// newStencil renders the partial name of t with shape, a struct whose
// string fields are the stencil's fields and whose other fields fix the
// shape (which branches the partial takes, and what it writes as it is).
func newStencil(t *template.Template, name string, shape any) (*stencil, error) {
	v := reflect.New(reflect.TypeOf(shape)).Elem()
	v.Set(reflect.ValueOf(shape))
	if v.Kind() != reflect.Struct {
		return nil, fmt.Errorf("web: stencil %s: shape is %s, not a struct", name, v.Kind())
	}
	escaped := map[string]int{}
	for i := range v.NumField() {
		if f := v.Field(i); f.Type() == stringType && f.CanSet() {
			f.SetString(marker(i))
			escaped[htmlText.Replace(marker(i))] = i
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v.Interface()); err != nil {
		return nil, fmt.Errorf("web: stencil %s: %w", name, err)
	}
	out := buf.String()
	st := &stencil{}
	for {
		start := strings.Index(out, "\uE000")
		if start < 0 {
			break
		}
		end := strings.Index(out[start:], "\uE001")
		if end < 0 {
			return nil, fmt.Errorf("web: stencil %s: a field is cut", name)
		}
		end += start + len("\uE001")
		i, ok := escaped[out[start:end]]
		if !ok {
			return nil, fmt.Errorf("web: stencil %s: field %q is not in text or a quoted attribute", name, out[start:end])
		}
		st.parts = append(st.parts, out[:start])
		st.field = append(st.field, i)
		out = out[end:]
	}
	if strings.Contains(out, "\uE001") {
		return nil, fmt.Errorf("web: stencil %s: a field is cut", name)
	}
	st.parts = append(st.parts, out)
	for _, part := range st.parts {
		st.size += len(part)
	}
	// A field in another context may have lost its marker altogether
	// (percent-encoded in a URL, filtered in a style): check the stencil
	// against the partial with a plain value and with one that needs
	// escaping in every field.
	for _, probe := range []string{"probe%d", `p<&'"+ %d:/?#=`} {
		n := 0
		for i := range v.NumField() {
			if f := v.Field(i); f.Type() == stringType && f.CanSet() {
				f.SetString(fmt.Sprintf(probe, i))
				n++
			}
		}
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, name, v.Interface()); err != nil {
			return nil, fmt.Errorf("web: stencil %s: %w", name, err)
		}
		var b strings.Builder
		st.fill(&b, v)
		if b.String() != buf.String() {
			return nil, fmt.Errorf("web: stencil %s: a field is not in text or a quoted attribute", name)
		}
	}
	return st, nil
}

// fill writes the stencil with the string fields of rv, a struct of the
// shape's type with the shape's other fields.
func (st *stencil) fill(b *strings.Builder, rv reflect.Value) {
	for i, f := range st.field {
		b.WriteString(st.parts[i])
		_, _ = htmlText.WriteString(b, rv.Field(f).String()) // a strings.Builder does not fail
	}
	b.WriteString(st.parts[len(st.parts)-1])
}

// stencils keeps the stencils built so far, by page set, partial and
// shape. Shapes must come from a small set (flags, one printer per
// language), as every one is kept.
type stencils struct {
	m sync.Map // stencilKey → *stencil, or error
}

type stencilKey struct {
	t     *template.Template
	name  string
	shape any
}

// renderStencils writes the partial name of t for each of views: from a
// stencil of each view's shape (shape gives it: the view with its string
// fields cleared), or by executing the partial where no stencil can be
// made.
func renderStencils[T comparable](s *stencils, t *template.Template, name string, views []T, shape func(T) T) (template.HTML, error) {
	var b strings.Builder
	var last T
	var st *stencil
	for i := range views {
		if sh := shape(views[i]); i == 0 || sh != last {
			last = sh
			st = nil
			key := stencilKey{t, name, sh}
			got, ok := s.m.Load(key)
			if !ok {
				made, err := newStencil(t, name, sh)
				if err != nil {
					got = err
				} else {
					got = made
				}
				s.m.Store(key, got)
			}
			st, _ = got.(*stencil)
		}
		if st == nil {
			if err := t.ExecuteTemplate(&b, name, views[i]); err != nil {
				return "", err
			}
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(views) * (st.size + 128))
		}
		st.fill(&b, reflect.ValueOf(&views[i]).Elem())
	}
	return template.HTML(b.String()), nil // #nosec G203 -- html/template's output for the partial, or its stencil with every field escaped as html/template escapes it there
}
