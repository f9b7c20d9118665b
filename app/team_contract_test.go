package app

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/backend/hubclient"
	"switchboard/backend/replica"
)

// tsField is one field of a TypeScript interface: `name?: type;`.
var tsField = regexp.MustCompile(`(?m)^\s*(\w+)(\??):\s*([^;]+);`)

// tsInterface is the fields of `export interface name { … }` in src, by name: optional and type.
func tsInterface(t *testing.T, src, name string) map[string][2]string {
	t.Helper()
	m := regexp.MustCompile(`export interface ` + name + ` \{([^}]*)\}`).FindStringSubmatch(src)
	if m == nil {
		t.Fatalf("no interface %s in frontend/src/lib/teamApi.ts", name)
	}
	body := regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`).ReplaceAllString(m[1], "")
	out := map[string][2]string{}
	for _, f := range tsField.FindAllStringSubmatch(body, -1) {
		out[f[1]] = [2]string{f[2], strings.TrimSpace(f[3])}
	}
	return out
}

// The team status the UI reads (frontend/src/lib/teamApi.ts) is the one Go sends, field by field:
// every JSON name, optional exactly where Go omits it when empty, and nullable where Go sends a
// pointer. A field added on one side only fails here, not as undefined in a Settings section.
func TestTheUIsTeamTypesAreGos(t *testing.T) {
	raw, err := os.ReadFile("../frontend/src/lib/teamApi.ts")
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	for name, typ := range map[string]reflect.Type{
		"TeamStatus":    reflect.TypeOf(TeamStatus{}),
		"ReplicaStatus": reflect.TypeOf(replica.Status{}),
		"HubAccount":    reflect.TypeOf(hubclient.Account{}),
		"HubSession":    reflect.TypeOf(hubclient.Session{}),
	} {
		ts := tsInterface(t, src, name)
		seen := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")
			if tag[0] == "-" || !f.IsExported() {
				continue
			}
			if tag[0] == "" {
				tag[0] = f.Name // encoding/json's name for an untagged field
			}
			seen[tag[0]] = true
			field, ok := ts[tag[0]]
			if !ok {
				t.Errorf("%s: Go's %s.%s (%q) is missing from the TypeScript type", name, typ.Name(), f.Name, tag[0])
				continue
			}
			omitted := len(tag) > 1 && (tag[1] == "omitempty" || tag[1] == "omitzero")
			if optional := field[0] == "?"; optional != omitted {
				t.Errorf("%s.%s: optional in TypeScript %v, omitted when empty by Go %v", name, tag[0], optional, omitted)
			}
			if nullable := strings.Contains(field[1], "null"); nullable != (f.Type.Kind() == reflect.Pointer) {
				t.Errorf("%s.%s: %q in TypeScript for Go's %s", name, tag[0], field[1], f.Type)
			}
			if !tsHolds(tsAlias(src, field[1]), f.Type) {
				t.Errorf("%s.%s: %q in TypeScript cannot hold Go's %s", name, tag[0], field[1], f.Type)
			}
		}
		for k := range ts {
			if !seen[k] {
				t.Errorf("%s.%s: in the TypeScript type, not sent by Go's %s", name, k, typ.Name())
			}
		}
	}
}

// tsHolds is whether ts, a field's TypeScript type, is the JSON shape of Go's typ: a string or a
// union of string literals for a string or a time, boolean for a bool, number for a number, an
// array for a slice, a named type for a struct; `| null` is judged apart (a pointer).
func tsHolds(ts string, typ reflect.Type) bool {
	ts = strings.TrimSpace(strings.ReplaceAll(ts, "| null", ""))
	primitive := ts == "string" || ts == "number" || ts == "boolean" || strings.HasPrefix(ts, "'")
	switch typ.Kind() {
	case reflect.Pointer:
		return tsHolds(ts, typ.Elem())
	case reflect.String:
		return ts == "string" || strings.HasPrefix(ts, "'")
	case reflect.Bool:
		return ts == "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return ts == "number"
	case reflect.Slice:
		return strings.HasSuffix(ts, "[]")
	case reflect.Struct:
		if typ == reflect.TypeOf(time.Time{}) {
			return ts == "string"
		}
		return !primitive && !strings.HasSuffix(ts, "[]")
	}
	return true
}

// tsAlias is ts with a named union of src (`export type Name = 'a' | 'b';`) written out.
func tsAlias(src, ts string) string {
	name := strings.TrimSpace(strings.ReplaceAll(ts, "| null", ""))
	if m := regexp.MustCompile(`export type ` + regexp.QuoteMeta(name) + ` = ([^;]+);`).FindStringSubmatch(src); m != nil {
		return strings.Replace(ts, name, strings.TrimSpace(m[1]), 1)
	}
	return ts
}
