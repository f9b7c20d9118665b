// Package webview is how Switchboard sets up WebKitGTK, the web engine of its Linux window. It is
// shared with bench/barewails, so the baseline window `make bench` compares start-up against runs
// the same engine settings and the comparison measures Switchboard's own cost.
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

// ConfigureEngine sets up JavaScriptCore before WebKit starts; its processes inherit the
// environment. Call it before wails.Run.
//
// The JIT is off unless SWITCHBOARD_JIT=on (or JSC_useJIT is set by hand). The UI's script is
// small and interactive, and the time of a chat switch goes to DOM, layout and paint: with the
// interpreter alone the web process spent the same CPU on 100 chat switches (make bench's memory
// run: 7.2 s both ways) and started no slower, while the JIT's code and compiler data were 35 MB
// of the 300 MB the app and WebKit took after those 100 chats. It also takes the JIT compilers,
// a large share of browser-engine exploits, out of the process that renders client text (what
// Safari's Lockdown Mode and Edge's enhanced security mode do).
func ConfigureEngine() {
	if os.Getenv("SWITCHBOARD_JIT") == "on" || os.Getenv("JSC_useJIT") != "" {
		return
	}
	os.Setenv("JSC_useJIT", "false")
}
