package app

import "example.com/golden/callsite_import_name/kvlib"

// Lookup calls store.Get through an import without a name.
func Lookup(key string) string { return store.Get(key) }
