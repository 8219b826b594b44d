package hookswitch

import "testing"

var sink int

func BenchmarkPlain(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sink = Plain(i)
	}
}

func BenchmarkTraced(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sink = Traced(i)
	}
}
