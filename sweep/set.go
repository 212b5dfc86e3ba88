package sweep

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/turncoat-abm/turncoat/internal/yamlx"
	"github.com/turncoat-abm/turncoat/regime"
)

// setField sets the numeric field at path (YAML names joined by dots, list
// elements by index or by their name field, map entries by key) of cfg to v.
// Whole-number fields take v rounded to the nearest integer; booleans take
// v != 0. cfg must not share maps with another config (use Clone).
func setField(cfg *regime.Config, path string, v float64) error {
	_, err := walkField(cfg, path, v)
	return err
}

// DuplicateField reports the first path in paths that names the same
// field of cfg as an earlier one (regions.0.legitimacy and
// regions.all.legitimacy, say): its index i and the earlier one's j, or
// -1, -1 when every path names its own field. Paths that name no field are
// skipped (setting them reports the error). Sweeps and calibrations refuse
// such pairs: the last would win and the other's values would be reported
// but never applied.
func DuplicateField(cfg *regime.Config, paths []string) (i, j int) {
	addrs := map[string]int{}
	for i, p := range paths {
		a, err := fieldAddress(cfg, p)
		if err != nil {
			continue
		}
		if j, dup := addrs[a]; dup {
			return i, j
		}
		addrs[a] = i
	}
	return -1, -1
}

// fieldAddress returns the canonical path of the field that path names in
// cfg (list elements by index), so that two paths naming one field, such
// as regions.0.legitimacy and regions.all.legitimacy, compare equal. It
// changes nothing in cfg except for creating an empty map.
func fieldAddress(cfg *regime.Config, path string) (string, error) {
	c := cfg.Clone()
	return walkField(&c, path, math.NaN())
}

func walkField(cfg *regime.Config, path string, v float64) (string, error) {
	var canon []string
	err := walkSet(cfg, path, v, &canon)
	return strings.Join(canon, "."), err
}

func walkSet(cfg *regime.Config, path string, v float64, canon *[]string) error {
	cur := reflect.ValueOf(cfg).Elem()
	parts := strings.Split(path, ".")
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		switch cur.Kind() {
		case reflect.Struct:
			f, ok := fieldByTag(cur, part)
			if !ok {
				return fmt.Errorf("%s: no field %q%s", strings.Join(parts[:i], "."), part, fieldHint(cur, part))
			}
			cur = f
			*canon = append(*canon, part)
		case reflect.Slice:
			idx, err := strconv.Atoi(part)
			if err != nil {
				idx = -1
				for j := 0; j < cur.Len(); j++ {
					if n, ok := fieldByTag(cur.Index(j), "name"); ok && n.Kind() == reflect.String && n.String() == part {
						idx = j
						break
					}
				}
			}
			if idx < 0 || idx >= cur.Len() {
				return fmt.Errorf("%s: no element %q", strings.Join(parts[:i], "."), part)
			}
			cur = cur.Index(idx)
			*canon = append(*canon, strconv.Itoa(idx))
		case reflect.Map:
			if cur.Type().Key().Kind() != reflect.String || cur.Type().Elem().Kind() != reflect.Float64 {
				return fmt.Errorf("%s is not a map of numbers", strings.Join(parts[:i], "."))
			}
			if cur.IsNil() {
				cur.Set(reflect.MakeMap(cur.Type()))
			}
			cur.SetMapIndex(reflect.ValueOf(strings.Join(parts[i:], ".")), reflect.ValueOf(v))
			*canon = append(*canon, "["+strings.Join(parts[i:], ".")+"]")
			return nil
		case reflect.Pointer:
			if cur.IsNil() {
				return fmt.Errorf("%s is not set in the scenario", strings.Join(parts[:i], "."))
			}
			cur = cur.Elem()
			i--
		default:
			return fmt.Errorf("%s is a %s, not a structure", strings.Join(parts[:i], "."), cur.Kind())
		}
	}
	for cur.Kind() == reflect.Pointer && !cur.IsNil() {
		cur = cur.Elem()
	}
	switch cur.Kind() {
	case reflect.Float64:
		cur.SetFloat(v)
	case reflect.Int:
		cur.SetInt(int64(math.Round(v)))
	case reflect.Uint64:
		cur.SetUint(uint64(math.Max(0, math.Round(v))))
	case reflect.Bool:
		cur.SetBool(v != 0)
	default:
		return fmt.Errorf("%s is a %s field, not a number", path, cur.Kind())
	}
	return nil
}

// fieldHint is the "did you mean" of an unknown field name of struct v.
func fieldHint(v reflect.Value, name string) string {
	var known []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" {
			known = append(known, tag)
		}
	}
	if s := yamlx.Suggest(name, known); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0] == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// SetField sets the numeric field at path of cfg to v, by the same dotted
// paths as sweep parameters and --set (see [Parameter]); calibrations use
// it to place a particle. cfg must not share maps with another config (use
// Clone).
func SetField(cfg *regime.Config, path string, v float64) error { return setField(cfg, path, v) }
