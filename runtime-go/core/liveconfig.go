package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

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

func parseTOMLConfig(data []byte) (liveConfig, error) {
	var c liveConfig
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		return c, err
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return c, fmt.Errorf("unknown key %q", undecoded[0].String())
	}
	return c, c.validate()
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
