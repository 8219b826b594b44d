package hooks

import "strings"

// Trim and Lower both replace Lookup's name: each would undo the other.
func Trim(name *string) { *name = strings.TrimSpace(*name) }

func Lower(name *string) { *name = strings.ToLower(*name) }
