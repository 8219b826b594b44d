package hooks

import "example.com/golden/hook_import_name"

var Gets int

// BeforeGet fits Get: the same receiver, the same key.
func BeforeGet(c *store.Cache, key string) { Gets++ }
