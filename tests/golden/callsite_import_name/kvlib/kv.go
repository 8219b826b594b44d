// Package store lives at .../kvlib: its name is not its path's last element.
package store

// Get looks a key up.
func Get(key string) string { return "value of " + key }
