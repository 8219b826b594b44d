//go:build unix

// Command rulec-toolexec is the first step of rulec's -toolexec entry: it
// runs the tool itself when rulec has nothing to do to the call, without
// starting Python, and hands every other call to toolexec.py.
//
//	rulec-toolexec PYTHON ENTRY TOOL ARGS...
//
// It decides as toolexec.py does: a compile or vet of a package with a plan
// file, a link when rulec edits the build info, and any cover call go
// to `PYTHON -S ENTRY TOOL ARGS...`; `-V=full` queries and everything else
// run TOOL ARGS unchanged. Where RULEC_PROGRESS names a file (a first build
// on a terminal), each compile adds a byte to it: the driver shows the count.
// Standard library only: rulec builds it with the build's own go command,
// once per Go release and source.
package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

func main() {
	if len(os.Args) < 4 {
		os.Stderr.WriteString("rulec toolexec: usage: rulec-toolexec PYTHON ENTRY TOOL ARGS...\n")
		os.Exit(2)
	}
	python, entry, tool, args := os.Args[1], os.Args[2], os.Args[3], os.Args[4:]
	argv := append([]string{tool}, args...)
	countCompile(tool, args)
	if needsPython(tool, args) {
		argv = append([]string{python, "-S", entry}, argv...)
		tool = python
	}
	err := syscall.Exec(tool, argv, os.Environ())
	os.Stderr.WriteString("rulec toolexec: cannot run " + tool + ": " + err.Error() + "\n")
	os.Exit(2)
}

// countCompile adds a byte to $RULEC_PROGRESS for a compile; unset, as on
// every build but a first one on a terminal, it costs one lookup.
func countCompile(tool string, args []string) {
	path := os.Getenv("RULEC_PROGRESS")
	if path == "" || toolName(tool) != "compile" || slices.Contains(args, "-V=full") {
		return
	}
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
		f.Write([]byte{'.'})
		f.Close()
	}
}

func toolName(tool string) string {
	name, _, _ := strings.Cut(filepath.Base(tool), ".")
	return name
}

// needsPython tells whether toolexec.py changes this tool call.
func needsPython(tool string, args []string) bool {
	name := toolName(tool)
	if slices.Contains(args, "-V=full") {
		return false
	}
	planDir := os.Getenv("RULEC_PLAN_DIR")
	switch {
	case name == "cover":
		return true
	case name == "link":
		return os.Getenv("RULEC_BUILDINFO_EDIT") != "" || planDir != "" && exists(filepath.Join(planDir, "modinfo.json"))
	case name == "compile" || (name == "vet" && len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")):
		pkg, _, _ := strings.Cut(os.Getenv("TOOLEXEC_IMPORTPATH"), " ")
		return planDir != "" && pkg != "" && exists(packageFile(planDir, pkg))
	}
	return false
}

// packageFile is compiler/paths.py's package_file: where a package's plan is.
func packageFile(planDir, importPath string) string {
	name := strings.ReplaceAll(strings.ReplaceAll(importPath, "%", "%25"), "/", "%2F")
	return filepath.Join(planDir, "packages", name+".json")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
