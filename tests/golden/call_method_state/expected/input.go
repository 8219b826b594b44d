//line $MODULE/input.go:1
package store

import "time"

type Cache struct {
	items map[string]string
	ttl   time.Duration
}

func (c *Cache) Get(key string) (__rulec_r0 string, __rulec_r1 bool) { __rulec_s0 := __rulec_store_get_before(c, key); defer func() { __rulec_store_get_after(__rulec_s0, __rulec_r0, __rulec_r1) }(); /*line $MODULE/input.go:10:49*/
	v, ok := c.items[key]
	return v, ok
}

// Put is a method of the same type the rule does not name.
func (c *Cache) Put(key, value string) { c.items[key] = value }
