package webview

import (
	"os"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

func TestEngineSettings(t *testing.T) {
	for _, c := range []struct {
		name, jit, jscBefore, wantJSC string
	}{
		{"default: interpreter only", "", "", "false"},
		{"SWITCHBOARD_JIT=on keeps the JIT", "on", "", ""},
		{"a JSC_useJIT set by hand wins", "", "true", "true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SWITCHBOARD_JIT", c.jit)
			t.Setenv("JSC_useJIT", c.jscBefore)
			if c.jscBefore == "" {
				os.Unsetenv("JSC_useJIT")
			}
			ConfigureEngine()
			if got := os.Getenv("JSC_useJIT"); got != c.wantJSC {
				t.Fatalf("JSC_useJIT = %q, want %q", got, c.wantJSC)
			}
		})
	}
	for env, want := range map[string]linux.WebviewGpuPolicy{
		"": linux.WebviewGpuPolicyNever, "ondemand": linux.WebviewGpuPolicyOnDemand, "always": linux.WebviewGpuPolicyAlways,
	} {
		t.Setenv("SWITCHBOARD_GPU", env)
		if got := GPUPolicy(); got != want {
			t.Errorf("SWITCHBOARD_GPU=%q: policy %v, want %v", env, got, want)
		}
	}
}
