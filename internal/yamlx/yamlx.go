// Package yamlx decodes YAML strictly into Go structs: unknown keys (with a
// suggestion), values of the wrong kind, nulls and decimals where integers
// belong are errors that name the file, the line and the dotted field path;
// "key=value" overrides are applied to the YAML tree before decoding, so
// they are checked the same way; and validation errors that carry a field
// path (a Path() string method) are mapped back to lines.
package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error locates a problem in a YAML file: the file (or the --set flag that
// introduced the value), the line (0 when unknown) and the field path.
type Error struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Decode decodes data (from file) strictly into dst, a pointer to a struct
// already holding its defaults, after applying the "key=value" overrides in
// sets; then it runs validate (if not nil) and maps the field paths of its
// errors to lines. All problems are returned at once, joined.
func Decode(file string, data []byte, dst any, sets []string, validate func() error) error {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Error{File: file, Line: 1, Err: errors.New("the file is empty (or only comments): want a YAML mapping")}
		}
		return syntaxError(file, err)
	}
	// A second document after "---" would be silently ignored: refuse it.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return &Error{File: file, Line: max(extra.Line, 1), Err: errors.New("a second YAML document (after ---): a file holds one document only")}
	} else if !errors.Is(err, io.EOF) {
		return syntaxError(file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return &Error{File: file, Line: 1, Err: errors.New("the file must be a YAML mapping")}
	}
	root := doc.Content[0]
	typ := reflect.TypeOf(dst).Elem()
	origin := map[*yaml.Node]string{}
	var errs []error
	if len(sets) > 0 {
		// An override must change one place only: give every alias its own
		// copy of what it names before editing.
		budget := 100_000
		if err := expandAliases(root, 0, &budget); err != nil {
			return &Error{File: file, Err: err}
		}
	}
	for _, s := range sets {
		if err := applySet(root, typ, s, origin); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	lines := map[string]*yaml.Node{}
	w := walker{file: file, origin: origin, lines: lines}
	w.check(root, typ, "")
	if len(w.errs) > 0 {
		return errors.Join(w.errs...)
	}
	if err := root.Decode(dst); err != nil {
		return &Error{File: file, Err: err}
	}
	if validate != nil {
		if err := validate(); err != nil {
			return locate(file, err, lines, origin)
		}
	}
	return nil
}

var leadingZero = regexp.MustCompile(`^[-+]?0[0-9_]+$`)

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)

func syntaxError(file string, err error) error {
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: n, Err: errors.New(m[2])}
	}
	return &Error{File: file, Err: err}
}

// locate turns field-path errors into Errors with file and line: the line
// of the field, or of its nearest ancestor present in the file.
func locate(file string, err error, lines map[string]*yaml.Node, origin map[*yaml.Node]string) error {
	var out []error
	var each func(error)
	each = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				each(e)
			}
			return
		}
		var fe interface {
			Path() string
			Unwrap() error
		}
		if !errors.As(err, &fe) {
			out = append(out, &Error{File: file, Err: err})
			return
		}
		e := &Error{File: file, Field: fe.Path(), Err: fe.Unwrap()}
		for p := fe.Path(); p != ""; p = parent(p) {
			if n, ok := lines[p]; ok {
				if o, ok := origin[n]; ok {
					e.File = o
				} else {
					e.Line = n.Line
				}
				break
			}
		}
		out = append(out, e)
	}
	each(err)
	return errors.Join(out...)
}

// parent strips the last component of a field path.
func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

type walker struct {
	file   string
	origin map[*yaml.Node]string
	lines  map[string]*yaml.Node
	errs   []error
}

func (w *walker) fail(n *yaml.Node, field string, format string, args ...any) {
	e := &Error{File: w.file, Line: n.Line, Field: field, Err: fmt.Errorf(format, args...)}
	if o, ok := w.origin[n]; ok {
		e.File, e.Line = o, 0
	}
	w.errs = append(w.errs, e)
}

var unmarshaler = reflect.TypeFor[yaml.Unmarshaler]()

// check walks node n against type t, recording each field's node under its
// path and reporting unknown keys and values of the wrong kind.
func (w *walker) check(n *yaml.Node, t reflect.Type, p string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if p != "" {
		w.lines[p] = n
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		w.fail(n, p, "has no value")
		return
	}
	if reflect.PointerTo(t).Implements(unmarshaler) && n.Kind == yaml.ScalarNode {
		v := reflect.New(t).Interface().(yaml.Unmarshaler)
		if err := v.UnmarshalYAML(n); err != nil {
			w.fail(n, p, "%v", err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.fail(n, p, "want a mapping of %s fields, got %s", t.Name(), describe(n))
			return
		}
		fields := map[string]reflect.StructField{}
		var known []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f
			known = append(known, name)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			fp := join(p, k.Value)
			f, ok := fields[k.Value]
			if !ok {
				msg := "unknown field"
				if s := suggest(k.Value, known); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				} else {
					msg += " (known: " + strings.Join(known, ", ") + ")"
				}
				w.fail(k, fp, "%s", msg)
				continue
			}
			if seen[k.Value] {
				w.fail(k, fp, "appears twice")
			}
			seen[k.Value] = true
			w.check(v, f.Type, fp)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			w.fail(n, p, "want a mapping, got %s", describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.check(n.Content[i+1], t.Elem(), join(p, n.Content[i].Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.fail(n, p, "want a list, got %s", describe(n))
			return
		}
		for i, c := range n.Content {
			w.check(c, t.Elem(), fmt.Sprintf("%s[%d]", p, i))
		}
	case reflect.Float64, reflect.Int, reflect.Bool, reflect.String, reflect.Uint64:
		if n.Kind != yaml.ScalarNode {
			w.fail(n, p, "want a %s, got %s", kindName(t.Kind()), describe(n))
			return
		}
		v := reflect.New(t)
		if err := n.Decode(v.Interface()); err != nil || ((t.Kind() == reflect.Int || t.Kind() == reflect.Uint64) && n.Tag != "!!int") {
			w.fail(n, p, "want a %s, got %q", kindName(t.Kind()), n.Value)
			return
		}
		if (t.Kind() == reflect.Int || t.Kind() == reflect.Uint64 || t.Kind() == reflect.Float64) && n.Tag == "!!int" && leadingZero.MatchString(n.Value) {
			// YAML 1.1 reads 010 as octal 8: refuse rather than guess.
			w.fail(n, p, "%q has a leading zero, which YAML may read as octal: write %s", n.Value, strings.TrimLeft(strings.TrimLeft(n.Value, "+-"), "0"))
			return
		}
		if t.Kind() == reflect.Float64 {
			if f := v.Elem().Float(); f != f || f > 1e300 || f < -1e300 {
				w.fail(n, p, "want a finite number, got %q", n.Value)
			}
		}
	default:
		w.fail(n, p, "cannot decode into %s", t)
	}
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Float64:
		return "number"
	case reflect.Int, reflect.Uint64:
		return "whole number"
	case reflect.Bool:
		return "boolean (true or false)"
	}
	return "string"
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// Suggest returns the known name closest to s (edit distance <= 2 or a
// shared prefix of 4+), or "": the "did you mean" of every name lookup.
func Suggest(s string, known []string) string { return suggest(s, known) }

// suggest returns the known name closest to s (edit distance <= 2 or a
// shared prefix of 4+), or "".
func suggest(s string, known []string) string {
	best, bd := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bd {
			best, bd = k, d
		}
	}
	if best == "" && len(s) >= 4 {
		for _, k := range known {
			if strings.HasPrefix(k, s) || strings.HasPrefix(s, k) {
				return k
			}
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// applySet applies one "key=value" override to the document root.
func applySet(root *yaml.Node, typ reflect.Type, s string, origin map[*yaml.Node]string) error {
	flag := "--set " + s
	key, val, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return &Error{File: flag, Err: errors.New("want key=value")}
	}
	var vdoc yaml.Node
	if err := yaml.Unmarshal([]byte(val), &vdoc); err != nil || len(vdoc.Content) == 0 {
		vdoc = yaml.Node{Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: val}}}
	}
	value := vdoc.Content[0]
	markOrigin(value, flag, origin)
	n, t := root, typ
	parts := strings.Split(key, ".")
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		last := i == len(parts)-1
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByYAML(t, part)
			if !ok {
				var known []string
				for j := 0; j < t.NumField(); j++ {
					known = append(known, strings.Split(t.Field(j).Tag.Get("yaml"), ",")[0])
				}
				msg := "unknown field"
				if sg := suggest(part, known); sg != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sg)
				} else {
					msg += " (known: " + strings.Join(known, ", ") + ")"
				}
				return &Error{File: flag, Field: strings.Join(parts[:i+1], "."), Err: errors.New(msg)}
			}
			n = child(n, part, last, value, f.Type, flag, origin)
			t = f.Type
		case reflect.Map:
			k := strings.Join(parts[i:], ".")
			child(n, k, true, value, t.Elem(), flag, origin)
			return nil
		case reflect.Slice:
			if n.Kind != yaml.SequenceNode || len(n.Content) == 0 && origin[n] == flag {
				return &Error{File: flag, Field: strings.Join(parts[:i], "."), Err: errors.New("is not written in the file (its default applies): to change an element, write the list in the file or set the whole list, e.g. --set 'regions=[{name: a, population_m: 1, legitimacy: 0.5}]'")}
			}
			idx, err := strconv.Atoi(part)
			if err != nil {
				idx = slices.IndexFunc(n.Content, func(c *yaml.Node) bool { return nameOf(c) == part })
			}
			if idx < 0 || idx >= len(n.Content) {
				return &Error{File: flag, Field: strings.Join(parts[:i+1], "."), Err: fmt.Errorf("no element %q (give an index 0..%d or a name)", part, len(n.Content)-1)}
			}
			if last {
				n.Content[idx] = value
			} else {
				n = n.Content[idx]
			}
			t = t.Elem()
		default:
			return &Error{File: flag, Field: strings.Join(parts[:i+1], "."), Err: errors.New("is inside a value that has no fields")}
		}
	}
	return nil
}

// expandAliases replaces every alias below n by a deep copy of its target,
// within a budget of nodes and a depth limit (recursive or exploding aliases
// are refused).
func expandAliases(n *yaml.Node, depth int, budget *int) error {
	if depth > 64 {
		return errors.New("aliases nest too deeply")
	}
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode {
			if c.Alias == nil {
				return errors.New("alias without a target")
			}
			cp, err := copyNode(c.Alias, depth, budget)
			if err != nil {
				return err
			}
			n.Content[i] = cp
			c = cp
		}
		if err := expandAliases(c, depth+1, budget); err != nil {
			return err
		}
	}
	return nil
}

func copyNode(n *yaml.Node, depth int, budget *int) (*yaml.Node, error) {
	if *budget--; *budget < 0 || depth > 64 {
		return nil, errors.New("aliases expand to too many nodes")
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil, errors.New("alias without a target")
		}
		return copyNode(n.Alias, depth+1, budget)
	}
	cp := *n
	cp.Anchor = ""
	cp.Content = make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		var err error
		if cp.Content[i], err = copyNode(c, depth+1, budget); err != nil {
			return nil, err
		}
	}
	return &cp, nil
}

func markOrigin(n *yaml.Node, flag string, origin map[*yaml.Node]string) {
	origin[n] = flag
	for _, c := range n.Content {
		markOrigin(c, flag, origin)
	}
}

// child returns mapping n's value for key, creating it when missing; when
// last, the value is replaced by v.
func child(n *yaml.Node, key string, last bool, v *yaml.Node, t reflect.Type, flag string, origin map[*yaml.Node]string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			if last {
				n.Content[i+1] = v
			}
			return n.Content[i+1]
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	origin[k] = flag
	c := v
	if !last {
		c = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if t.Kind() == reflect.Slice {
			c = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		}
		origin[c] = flag
	}
	n.Content = append(n.Content, k, c)
	return c
}

func nameOf(n *yaml.Node) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			return n.Content[i+1].Value
		}
	}
	return ""
}

func fieldByYAML(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0] == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}
