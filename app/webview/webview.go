// Package webview is how Switchboard sets up WebKitGTK, the web engine of its Linux window. It is
// shared with bench/barewails, so the baseline window `make bench` compares start-up and memory
// against runs the same engine settings and the comparison measures Switchboard's own cost.
package webview

import (
	"os"

	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// GPUPolicy keeps WebKitGTK off GPU compositing by default: a text inbox gains nothing from it,
// and on machines without a usable GPU (VMs, many office PCs) WebKit composites in software
// with private buffers that grew the web process past 380 MB after 100 chats (make bench:
// 228 MB in all with "never"). SWITCHBOARD_GPU=ondemand|always brings it back where it helps.
func GPUPolicy() linux.WebviewGpuPolicy {
	switch os.Getenv("SWITCHBOARD_GPU") {
	case "always":
		return linux.WebviewGpuPolicyAlways
	case "ondemand":
		return linux.WebviewGpuPolicyOnDemand
	}
	return linux.WebviewGpuPolicyNever
}

// ConfigureEngine sets up WebKitGTK and JavaScriptCore through the environment, which WebKit
// reads when it starts and its processes inherit. Call it before wails.Run.
func ConfigureEngine() {
	configureJIT()
	keepGLOut()
}

// configureJIT turns the JavaScriptCore JIT off unless SWITCHBOARD_JIT=on (or JSC_useJIT is set
// by hand). The UI's script is small and interactive, and the time of a chat switch goes to DOM,
// layout and paint: with the interpreter alone the web process spent the same CPU on 100 chat
// switches (make bench's memory run: 7.2 s both ways) and started no slower, while the JIT's code
// and compiler data were 35 MB of the 300 MB the app and WebKit took after those 100 chats. It
// also takes the JIT compilers, a large share of browser-engine exploits, out of the process that
// renders client text (what Safari's Lockdown Mode and Edge's enhanced security mode do).
func configureJIT() {
	if os.Getenv("SWITCHBOARD_JIT") == "on" || os.Getenv("JSC_useJIT") != "" {
		return
	}
	os.Setenv("JSC_useJIT", "false")
}

// glVariables keep Mesa (and its libLLVM, ~21 MB of relocated data per process) out of the UI
// process when nothing there draws with the GPU. With GPU compositing off WebKitGTK 2.50 still
// probes for a render device through EGL, and GTK makes a GL context for the window; each
// variable closes one of those paths, and any one or two alone leave libLLVM loaded:
//   - WEBKIT_DISABLE_DMABUF_RENDERER: no DMA-BUF renderer, the one that needs a render device;
//   - WEBKIT_WEB_RENDER_DEVICE_FILE: names the device, so WebKit does not open an EGL display to
//     find one (any non-empty value; nothing opens it once the DMA-BUF renderer is off);
//   - GDK_GL=disable: GTK paints the window without OpenGL.
//
// The web process opens EGL before it applies the "never" policy (WebKit's WebPage constructor),
// so it keeps Mesa whatever the environment says.
var glVariables = [][2]string{
	{"WEBKIT_DISABLE_DMABUF_RENDERER", "1"},
	{"WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/null"},
	{"GDK_GL", "disable"},
}

// keepGLOut sets the three glVariables together, and only when GPU compositing is off (the
// default; SWITCHBOARD_GPU=ondemand|always needs GL) and the user has set none of them: a user
// who sets any one, even to an empty value, has taken charge of GL and gets exactly what they
// set (WEBKIT_DISABLE_DMABUF_RENDERER=0 undoes the lever). Measured by make bench: 270.5 ->
// 245.7 MB PSS after 100 chats, the idle bare window 211.9 -> 188.8 MB, both windows starting
// ~100 ms sooner, and the same pixels on the main screens (scripts/smoke.sh compares them).
func keepGLOut() {
	if GPUPolicy() != linux.WebviewGpuPolicyNever {
		return
	}
	for _, v := range glVariables {
		if _, set := os.LookupEnv(v[0]); set {
			return
		}
	}
	for _, v := range glVariables {
		os.Setenv(v[0], v[1])
	}
}
