package store

type Cache struct{ items map[string]string }

func (c *Cache) Get(key string) string { return c.items[key] }
