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

func TestKeepGLOut(t *testing.T) {
	names := []string{"WEBKIT_DISABLE_DMABUF_RENDERER", "WEBKIT_WEB_RENDER_DEVICE_FILE", "GDK_GL"}
	// clear sets every variable through t.Setenv (restored after the test), then unsets it.
	clear := func(t *testing.T) {
		for _, n := range append(names, "SWITCHBOARD_GPU") {
			t.Setenv(n, "")
			os.Unsetenv(n)
		}
	}
	t.Run("GPU compositing off, nothing set: all three", func(t *testing.T) {
		clear(t)
		ConfigureEngine()
		for _, v := range glVariables {
			if got := os.Getenv(v[0]); got != v[1] || got == "" {
				t.Errorf("%s = %q, want %q", v[0], got, v[1])
			}
		}
	})
	t.Run("GPU compositing on: none", func(t *testing.T) {
		clear(t)
		t.Setenv("SWITCHBOARD_GPU", "ondemand")
		ConfigureEngine()
		for _, n := range names {
			if _, set := os.LookupEnv(n); set {
				t.Errorf("%s set with SWITCHBOARD_GPU=ondemand", n)
			}
		}
	})
	for _, user := range names {
		t.Run("the user set "+user+": nothing else", func(t *testing.T) {
			clear(t)
			t.Setenv(user, "") // even empty: the user has taken charge of GL
			ConfigureEngine()
			for _, n := range names {
				if n == user {
					if v := os.Getenv(n); v != "" {
						t.Errorf("the user's %s changed to %q", n, v)
					}
					continue
				}
				if _, set := os.LookupEnv(n); set {
					t.Errorf("%s set although the user set %s", n, user)
				}
			}
		})
	}
}
