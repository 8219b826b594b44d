package core

import (
	"runtime"
	"sync"
	"weak"
)

// SideTable attaches a value to objects a plugin cannot add a field to (a
// *sql.DB's peer address, a *sql.Stmt's text) without keeping them alive:
// an entry goes when its key is collected.
type SideTable[K any, V any] struct {
	m sync.Map // weak.Pointer[K] → V
}

// Set attaches v to key.
func (t *SideTable[K, V]) Set(key *K, v V) {
	if key == nil {
		return
	}
	wp := weak.Make(key)
	if _, loaded := t.m.Swap(wp, v); !loaded {
		runtime.AddCleanup(key, func(wp weak.Pointer[K]) { t.m.Delete(wp) }, wp)
	}
}

// Get returns what is attached to key.
func (t *SideTable[K, V]) Get(key *K) (v V, ok bool) {
	if key == nil {
		return v, false
	}
	got, ok := t.m.Load(weak.Make(key))
	if !ok {
		return v, false
	}
	return got.(V), true
}
