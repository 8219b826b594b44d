// Package gospawn measures what the goroutine context adds to a go
// statement: built by plain go and by rulec (which edits runtime.newproc1
// and runtime.gdestroy), the same benchmark runs side by side.
package gospawn

import (
	"sync"
	"testing"
)

// BenchmarkGoStatement starts a goroutine and waits for it, one at a time:
// newproc1 (the copy of the context) and gdestroy (its reset) once per op.
func BenchmarkGoStatement(b *testing.B) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		go wg.Done()
		wg.Wait()
	}
}

// BenchmarkGoStatementParallel starts goroutines from every P at once.
func BenchmarkGoStatementParallel(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var wg sync.WaitGroup
		for pb.Next() {
			wg.Add(1)
			go wg.Done()
			wg.Wait()
		}
	})
}
