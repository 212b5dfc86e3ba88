package cases

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/regime"
)

// YAML returns the scenario file of case c of table t: every field of the
// built scenario that differs from regime.DefaultConfig, each per-case
// input commented with the indicator it comes from, under a header that
// names the table and the case. The file decodes (scenarios.Parse) to
// exactly the config Build returns. The case's outcome is not read.
func (m *Mapping) YAML(t *Table, c *Case) ([]byte, error) {
	return m.yaml(filepath.Base(t.File), c.Inputs)
}

func (m *Mapping) yaml(table string, in Inputs) ([]byte, error) {
	b, err := m.build(in)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf("%s: %s, uprising from %s.\n"+
		"Built by `turncoat cases build` from %s, case %s, with the cases mapping\n"+
		"(cases.DefaultMapping; docs/SCENARIOS.md). Do not edit: change the row or the\n"+
		"mapping and rebuild. The outcome columns of the row are never read; run\n"+
		"%s#%s to score the case against its history.",
		in.Case, in.Country, in.Onset, table, in.Case, table, in.Case)
	return encode(&b.cfg, b.comments, head)
}

// keep are the top-level keys written even when they equal the default.
var keep = map[string]bool{"name": true, "description": true, "start": true, "tick_days": true, "ticks": true}

// encode writes cfg as YAML: fields equal to their regime.DefaultConfig
// value are left out (a scenario file's omitted fields keep their
// defaults), small mappings are written in flow style, and comments are
// attached by path.
func encode(cfg *regime.Config, comments map[string]string, head string) ([]byte, error) {
	n, err := toNode(cfg)
	if err != nil {
		return nil, err
	}
	def := regime.DefaultConfig()
	d, err := toNode(&def)
	if err != nil {
		return nil, err
	}
	rd, err := toNode(regime.RegionDefaults())
	if err != nil {
		return nil, err
	}
	prune(n, d, rd, "")
	annotate(n, "", comments)
	flow(n, 0)
	n.HeadComment = head
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func toNode(v any) (*yaml.Node, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return doc.Content[0], nil
}

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func same(a, b *yaml.Node) bool {
	x, err1 := yaml.Marshal(a)
	y, err2 := yaml.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// prune removes from mapping n the keys whose values equal those of the
// default d (regions' items against the region defaults rd), recursively;
// a distribution keeps all its fields but its unused bounds.
func prune(n, d, rd *yaml.Node, path string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	if get(n, "dist") != nil { // a distribution: written whole, without unused bounds
		trimDist(n)
		return
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		dv := get(d, k.Value)
		if !keep[p] && dv != nil && same(v, dv) {
			continue
		}
		switch {
		case leaf(v):
			// a small record (weights, a rule) is written whole when it differs
			if get(v, "dist") != nil {
				trimDist(v)
			}
		case v.Kind == yaml.MappingNode && dv != nil && dv.Kind == yaml.MappingNode:
			prune(v, dv, rd, p)
			if len(v.Content) == 0 {
				continue
			}
		case v.Kind == yaml.SequenceNode && p == "regions":
			for _, item := range v.Content {
				prune(item, rd, rd, "")
			}
		case v.Kind == yaml.SequenceNode:
			for _, item := range v.Content {
				for j := 0; j+1 < len(item.Content); j += 2 {
					if get(item.Content[j+1], "dist") != nil {
						trimDist(item.Content[j+1])
					}
				}
			}
		}
		out = append(out, k, v)
	}
	n.Content = out
}

// leaf reports whether n is a small mapping of scalars (at most six).
func leaf(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode || len(n.Content) > 12 {
		return false
	}
	for i := 1; i < len(n.Content); i += 2 {
		if n.Content[i].Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

func trimDist(n *yaml.Node) {
	var out []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		if (k == "min" || k == "max") && v.Value == "0" || k == "values" && len(v.Content) == 0 {
			continue
		}
		out = append(out, n.Content[i], v)
	}
	n.Content = out
}

// annotate attaches comments[path] to the value at path (as a line
// comment; on the key when the value is a block).
func annotate(n *yaml.Node, path string, comments map[string]string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if c, ok := comments[p]; ok {
				if v.Kind == yaml.ScalarNode || v.Kind == yaml.MappingNode && len(v.Content) <= 4 {
					v.LineComment = c
				} else {
					k.LineComment = c
				}
			}
			annotate(v, p, comments)
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			p := join(path, strconv.Itoa(i))
			if c, ok := comments[p]; ok {
				v.HeadComment = c
			}
			annotate(v, p, comments)
		}
	}
}

// flow writes small mappings of scalars on one line: distributions,
// weights, a group, a region's group shares, a shock's changes.
func flow(n *yaml.Node, depth int) {
	if n.Kind == yaml.MappingNode && depth > 0 && len(n.Content) <= 12 {
		scalars := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i+1].Kind != yaml.ScalarNode || n.Content[i+1].LineComment != "" || n.Content[i].LineComment != "" {
				scalars = false
			}
		}
		if scalars {
			n.Style = yaml.FlowStyle
			return
		}
	}
	for _, c := range n.Content {
		flow(c, depth+1)
	}
}
