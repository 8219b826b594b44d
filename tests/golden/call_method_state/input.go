package store

import "time"

type Cache struct {
	items map[string]string
	ttl   time.Duration
}

func (c *Cache) Get(key string) (string, bool) {
	v, ok := c.items[key]
	return v, ok
}

// Put is a method of the same type the rule does not name.
func (c *Cache) Put(key, value string) { c.items[key] = value }
