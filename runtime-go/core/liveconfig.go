package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/BurntSushi/toml"
)

// liveConfig is the document RULEC_CONFIG_FILE (TOML) and RULEC_CONFIG_URL
// (JSON) serve: the settings an operator changes without a restart.
//
//	[sampling]
//	ratio = 0.25            # replaces the sampler's ratio
//	[plugins]
//	disabled = ["nethttp"]  # plugins whose hooks do nothing
//
// A field left out means "as configured at start".
type liveConfig struct {
	Sampling struct {
		Ratio *float64 `toml:"ratio" json:"ratio"`
	} `toml:"sampling" json:"sampling"`
	Plugins struct {
		Disabled *[]string `toml:"disabled" json:"disabled"`
	} `toml:"plugins" json:"plugins"`
}

// parseTOMLConfig reads the TOML form as a generic document and checks it as
// the JSON form is checked, so both name an unknown key or a wrong type
// alike (and the runtime can take BurntSushi/toml as old as v0.3.1).
func parseTOMLConfig(data []byte) (liveConfig, error) {
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return liveConfig{}, fmt.Errorf("toml: %w", err)
	}
	if key := unknownKey(doc, liveKeys); key != "" {
		return liveConfig{}, fmt.Errorf("unknown key %q", key)
	}
	asJSON, err := json.Marshal(doc)
	if err != nil {
		return liveConfig{}, fmt.Errorf("toml: %w", err)
	}
	return parseJSONConfig(asJSON)
}

// liveKeys are the tables and keys of the live configuration.
var liveKeys = map[string]map[string]bool{"sampling": {"ratio": true}, "plugins": {"disabled": true}}

// unknownKey is the first key of doc (in sorted order) that liveKeys lacks, dotted.
func unknownKey(doc map[string]any, known map[string]map[string]bool) string {
	tables := make([]string, 0, len(doc))
	for name := range doc {
		tables = append(tables, name)
	}
	sort.Strings(tables)
	for _, name := range tables {
		keys, ok := known[name]
		table, isTable := doc[name].(map[string]any)
		if !ok || !isTable {
			return name
		}
		inner := make([]string, 0, len(table))
		for k := range table {
			inner = append(inner, k)
		}
		sort.Strings(inner)
		for _, k := range inner {
			if !keys[k] {
				return name + "." + k
			}
		}
	}
	return ""
}

func parseJSONConfig(data []byte) (liveConfig, error) {
	var c liveConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, err
	}
	if dec.More() {
		return c, errors.New("trailing data after the document")
	}
	return c, c.validate()
}

func (c liveConfig) validate() error {
	if r := c.Sampling.Ratio; r != nil && !(*r >= 0 && *r <= 1) {
		return fmt.Errorf("sampling.ratio = %v: want a number from 0 to 1", *r)
	}
	return nil
}

// over returns c with the fields that top sets replaced by top's.
func (c liveConfig) over(top liveConfig) liveConfig {
	if top.Sampling.Ratio != nil {
		c.Sampling.Ratio = top.Sampling.Ratio
	}
	if top.Plugins.Disabled != nil {
		c.Plugins.Disabled = top.Plugins.Disabled
	}
	return c
}
