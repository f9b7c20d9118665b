package app

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

// callPattern finds the UI's calls into Go in frontend/src/lib: call<T>('Service', 'Method', …).
var callPattern = regexp.MustCompile(`\bcall(?:<[^()]*?>)?\(\s*'(\w+)',\s*'(\w+)'`)

// Every call the UI makes names a bound service and one of its methods, so a method moved to
// another service (or renamed) fails here rather than as "not available" in the window.
func TestTheUICallsBoundMethods(t *testing.T) {
	a := &App{}
	services := map[string]reflect.Type{}
	for _, s := range a.servicesForBinding() {
		services[reflect.TypeOf(s).Elem().Name()] = reflect.TypeOf(s)
	}
	files, err := filepath.Glob("../frontend/src/lib/*.ts")
	if err != nil || len(files) == 0 {
		t.Fatalf("no frontend/src/lib/*.ts: %v", err)
	}
	calls := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range callPattern.FindAllStringSubmatch(string(src), -1) {
			calls++
			typ, ok := services[m[1]]
			if !ok {
				t.Errorf("%s calls %s.%s: no bound service %s", filepath.Base(f), m[1], m[2], m[1])
				continue
			}
			if _, ok := typ.MethodByName(m[2]); !ok {
				t.Errorf("%s calls %s.%s: the service has no such method", filepath.Base(f), m[1], m[2])
			}
		}
	}
	if calls < 50 {
		t.Fatalf("found only %d calls into Go: has the call helper's form changed?", calls)
	}
}
