package config

import "strconv"

// Name calls strconv, but not Atoi: this file is not planned.
func Name(n int) string { return "port-" + strconv.Itoa(n) }
