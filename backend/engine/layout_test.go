package engine_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The engine is built in one place: only backend/engine composes connectors, and the desktop
// shell (app/) imports no messenger package at all, not even in its tests. This walks every Go
// file of the module and reads its imports.
func TestOnlyTheEngineBuildsConnectors(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	messenger := []string{"switchboard/backend/channel/connectors", "switchboard/backend/channel/telegram", "switchboard/backend/channel/vk"}
	// Who may import which messenger package outside tests.
	allowed := map[string][]string{
		"backend/engine":             {"switchboard/backend/channel/connectors"},
		"backend/channel/connectors": {"switchboard/backend/channel/telegram", "switchboard/backend/channel/vk"},
		"backend/channel/telegram":   nil,
		"backend/channel/vk":         nil,
		"backend/channel/fakeapi":    {"switchboard/backend/channel/telegram", "switchboard/backend/channel/vk"},
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || name == "frontend" || strings.HasPrefix(name, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		isTest := strings.HasSuffix(path, "_test.go")
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !contains(messenger, p) {
				continue
			}
			switch {
			case dir == "app" || strings.HasPrefix(dir, "app/"):
				t.Errorf("%s imports %s: the desktop shell gets its engine from backend/engine", rel, p)
			case isTest:
				// Tests of the channel and inbox packages drive a connector directly.
			default:
				if ok, listed := allowed[dir]; !listed || !contains(ok, p) {
					t.Errorf("%s imports %s: only backend/engine builds connectors", rel, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("walked only %d Go files from %s: is the module root right?", files, root)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
