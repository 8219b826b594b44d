package core

import (
	"runtime"
	"testing"
	"time"
)

func TestSideTableForgetsCollectedKeys(t *testing.T) {
	var table SideTable[[16]byte, string]
	kept := new([16]byte)
	table.Set(kept, "kept")
	table.Set(new([16]byte), "dropped")
	if v, ok := table.Get(kept); !ok || v != "kept" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		n := 0
		table.m.Range(func(_, _ any) bool { n++; return true })
		if n == 1 {
			runtime.KeepAlive(kept)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the entry of a collected key is still there")
}
