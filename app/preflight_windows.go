package app

import (
	"errors"
	"fmt"

	"github.com/wailsapp/go-webview2/webviewloader"
	"golang.org/x/sys/windows"
)

// errNoWebView2 is what a manager reads when the WebView2 runtime is missing (Windows 10 without
// Edge updates, a stripped image, wine). The installer installs it; a bare .exe cannot.
var errNoWebView2 = errors.New("the Microsoft Edge WebView2 runtime is not installed. " +
	"Install it from https://developer.microsoft.com/microsoft-edge/webview2/ " +
	"(or run the Switchboard installer, which installs it), then start Switchboard again")

var (
	user32                       = windows.NewLazySystemDLL("user32.dll")
	procAllowSetForegroundWindow = user32.NewProc("AllowSetForegroundWindow")
)

// preflight runs before Wails on Windows.
//
// It lets the running copy take the foreground: a second launch hands its arguments to the first
// copy and exits, and Windows only lets the first copy come to the front if the process the user
// just started (the foreground one) allows it. Every copy calls this early; only the second one's
// call matters.
//
// It refuses to start without WebView2 and says so in words: Wails would otherwise offer to
// download it from inside the app, which a managed machine blocks.
func preflight() error {
	const asfwAny = ^uintptr(0) // ASFW_ANY
	_, _, _ = procAllowSetForegroundWindow.Call(asfwAny)

	v, err := webviewloader.GetAvailableCoreWebView2BrowserVersionString("")
	if err == nil && v != "" {
		return nil
	}
	msg := errNoWebView2
	if err != nil {
		msg = fmt.Errorf("%w (%v)", errNoWebView2, err)
	}
	// A GUI .exe started from Explorer has no console: Run's line on stderr is for scripts and
	// wine, the message box for the person.
	title, _ := windows.UTF16PtrFromString("Switchboard")
	text, _ := windows.UTF16PtrFromString(msg.Error())
	_, _ = windows.MessageBox(0, text, title, windows.MB_OK|windows.MB_ICONERROR)
	return msg
}
