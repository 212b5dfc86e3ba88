package sweep

import "go.yaml.in/yaml/v3"

// yamlSpec returns the resolved spec as YAML (sweep.yaml of a sweep
// directory; Workers omitted as it never changes results).
func yamlSpec(s *Spec) ([]byte, error) {
	c := *s
	c.Workers = 0
	return yaml.Marshal(&c)
}

// hashSpec is the part of the spec the hash covers: the spec without
// Workers and without the scenario's location (its content is hashed
// instead), so shards run on other machines agree.
func hashSpec(s *Spec) ([]byte, error) {
	c := *s
	c.Workers, c.Scenario = 0, ""
	return yaml.Marshal(&c)
}
