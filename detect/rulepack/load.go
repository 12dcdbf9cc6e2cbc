package rulepack

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a rule pack, located precisely enough for a rule
// author to fix it: the file, the rule or suppressor id, the field and what
// to change.
type Error struct {
	File  string // pack file base name, e.g. "ml_broker.yaml"
	ID    string // rule, suppressor or term id ("" for file-level problems)
	Field string // YAML field, e.g. "weight", "all[1]", "regex[0]"
	Msg   string // what is wrong and what to do
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.ID != "" {
		b.WriteString(": ")
		b.WriteString(e.ID)
	}
	if e.Field != "" {
		b.WriteString(": field ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Pack is a loaded, validated and compiled rule pack. It is immutable and
// safe for concurrent use.
type Pack struct {
	Rules       []Rule
	Suppressors []Suppressor
	Terms       map[string][]string

	version string
	m       matcher
}

// Version is "rp-" plus the first 12 hex digits of the SHA-256 over the
// pack files' names and contents in lexical order.
func (p *Pack) Version() string { return p.version }

// LoadDir loads the pack in directory dir (its *.yaml files).
func LoadDir(dir string) (*Pack, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("rule pack: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("rule pack: %s is not a directory", dir)
	}
	return Load(os.DirFS(dir))
}

// Load reads every *.yaml file at the root of fsys in lexical order, merges
// them, validates the result strictly and compiles it. All problems found are
// returned together (errors.Join of *Error values).
func Load(fsys fs.FS) (*Pack, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("rule pack: %w", err)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, errors.New("rule pack: no *.yaml files found")
	}
	h := sha256.New()
	var files []namedFile
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("rule pack: %w", err)
		}
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(data)
		h.Write([]byte{0})
		f, err := decodeFile(data)
		if err != nil {
			errs = append(errs, &Error{File: name, Msg: err.Error()})
			continue
		}
		base := path.Base(name)
		for i := range f.Rules {
			f.Rules[i].File = base
		}
		for i := range f.Suppressors {
			f.Suppressors[i].File = base
		}
		files = append(files, namedFile{name: base, file: f})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p := &Pack{version: "rp-" + hex.EncodeToString(h.Sum(nil))[:12]}
	if err := p.merge(files); err != nil {
		return nil, err
	}
	if err := p.compile(); err != nil {
		return nil, err
	}
	return p, nil
}

// namedFile is a decoded file with its base name, for error messages.
type namedFile struct {
	name string
	file
}

func decodeFile(data []byte) (file, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return file{}, nil // an empty file is an empty pack part
		}
		return file{}, fmt.Errorf("invalid YAML: %s", strings.ReplaceAll(err.Error(), "yaml: ", ""))
	}
	return f, nil
}

// merge combines the files and checks ids, categories, weights and
// references; compile checks literals and regular expressions.
func (p *Pack) merge(files []namedFile) error {
	var errs []error
	add := func(file, id, field, format string, a ...any) {
		errs = append(errs, &Error{File: file, ID: id, Field: field, Msg: fmt.Sprintf(format, a...)})
	}
	p.Terms = map[string][]string{}
	termFile := map[string]string{}
	for _, f := range files {
		fileName := f.name
		names := make([]string, 0, len(f.Terms))
		for name := range f.Terms {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if !validTermName(name) {
				add(fileName, name, "terms", "term name %q must be lower-case letters, digits and '_' (it is used as $%s)", name, name)
				continue
			}
			if prev, dup := termFile[name]; dup {
				add(fileName, name, "terms", "term %q is already defined in %s; rename one of them", name, prev)
				continue
			}
			if len(f.Terms[name]) == 0 {
				add(fileName, name, "terms", "term %q is empty; give it at least one literal", name)
			}
			termFile[name] = fileName
			p.Terms[name] = f.Terms[name]
		}
		p.Rules = append(p.Rules, f.Rules...)
		p.Suppressors = append(p.Suppressors, f.Suppressors...)
	}

	supIDs := map[string]string{}
	for _, s := range p.Suppressors {
		switch {
		case s.ID == "":
			add(s.File, "", "id", "a suppressor has no id; add `id: <name>`")
		case supIDs[s.ID] != "":
			add(s.File, s.ID, "id", "duplicate suppressor id (also in %s); ids must be unique across the pack", supIDs[s.ID])
		default:
			supIDs[s.ID] = s.File
		}
		if len(s.Any) == 0 {
			add(s.File, s.ID, "any", "a suppressor needs at least one literal in `any`")
		}
		if s.Window < 0 {
			add(s.File, s.ID, "window", "window %d is negative; use 0 (whole post) or a number of runes", s.Window)
		}
	}

	cats := strings.Join(Categories, ", ")
	ruleIDs := map[string]string{}
	for i := range p.Rules {
		r := &p.Rules[i]
		switch {
		case r.ID == "":
			add(r.File, fmt.Sprintf("rules[%d]", i), "id", "the rule has no id; add `id: <category>.<name>`")
		case ruleIDs[r.ID] != "":
			add(r.File, r.ID, "id", "duplicate rule id (also in %s); ids must be unique across the pack", ruleIDs[r.ID])
		default:
			ruleIDs[r.ID] = r.File
		}
		r.c.cat = -1
		for ci, c := range Categories {
			if r.Category == c {
				r.c.cat = ci
			}
		}
		if r.c.cat < 0 {
			add(r.File, r.ID, "category", "unknown category %q; use one of %s", r.Category, cats)
		}
		switch {
		case r.Weight == nil:
			add(r.File, r.ID, "weight", "weight is missing; add `weight:` between 0 and 1")
		case *r.Weight < 0 || *r.Weight > 1 || *r.Weight != *r.Weight:
			add(r.File, r.ID, "weight", "weight %v is outside 0..1; use a value between 0 and 1", *r.Weight)
		}
		if r.Window < 0 {
			add(r.File, r.ID, "window", "window %d is negative; use 0 (whole post) or a number of runes", r.Window)
		}
		if len(r.All) == 0 && len(r.Regex) == 0 && len(r.Indicators) == 0 {
			add(r.File, r.ID, "all", "the rule has no patterns; add literal groups under `all` (or `regex`/`indicators`)")
		}
		for gi, g := range r.All {
			if len(g) == 0 {
				add(r.File, r.ID, fmt.Sprintf("all[%d]", gi), "empty group; list at least one literal or remove the group")
			}
		}
		switch r.Pinyin {
		case "", "none", "full", "initials":
		default:
			add(r.File, r.ID, "pinyin", "unknown pinyin mode %q; use none, full or initials", r.Pinyin)
		}
		for ii, t := range r.Indicators {
			if !contains(IndicatorTypes, t) {
				add(r.File, r.ID, fmt.Sprintf("indicators[%d]", ii), "unknown indicator type %q; use one of %s", t, strings.Join(IndicatorTypes, ", "))
			}
		}
		for ui, u := range r.Unless {
			if supIDs[u] == "" {
				add(r.File, r.ID, fmt.Sprintf("unless[%d]", ui), "unknown suppressor %q; define it under `suppressors:` or fix the name", u)
			}
		}
		if len(r.Examples.Match) == 0 {
			add(r.File, r.ID, "examples.match", "the rule has no match examples; add at least one text it must fire on")
		}
	}
	return errors.Join(errs...)
}

func validTermName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
