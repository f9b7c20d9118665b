package app

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// window is everything the app asks of the Wails runtime. Calling runtime.* with a context that
// did not come from Wails kills the process (log.Fatalf), so the rest of the package talks to this
// interface and tests pass a recorder instead.
type window interface {
	Emit(event string, data any)
	Show()
	Hide()
	Quit()
	Size() (w, h int)
	Position() (x, y int)
	SetPosition(x, y int)
	// OpenFiles shows the native multi-file picker.
	OpenFiles(title string) ([]string, error)
	// SaveFile shows the native save dialog; "" when the person cancelled.
	SaveFile(title, defaultName string) (string, error)
}

// wailsWindow is the real window, valid only with the context Wails gave OnStartup.
type wailsWindow struct{ ctx context.Context }

func (w wailsWindow) Emit(event string, data any) { wruntime.EventsEmit(w.ctx, event, data) }
func (w wailsWindow) Show() {
	wruntime.WindowUnminimise(w.ctx)
	wruntime.WindowShow(w.ctx)
}
func (w wailsWindow) Hide()                { wruntime.WindowHide(w.ctx) }
func (w wailsWindow) Quit()                { wruntime.Quit(w.ctx) }
func (w wailsWindow) Size() (int, int)     { return wruntime.WindowGetSize(w.ctx) }
func (w wailsWindow) Position() (int, int) { return wruntime.WindowGetPosition(w.ctx) }
func (w wailsWindow) SetPosition(x, y int) { wruntime.WindowSetPosition(w.ctx, x, y) }
func (w wailsWindow) OpenFiles(title string) ([]string, error) {
	return wruntime.OpenMultipleFilesDialog(w.ctx, wruntime.OpenDialogOptions{Title: title})
}
func (w wailsWindow) SaveFile(title, defaultName string) (string, error) {
	return wruntime.SaveFileDialog(w.ctx, wruntime.SaveDialogOptions{Title: title, DefaultFilename: defaultName,
		Filters: []wruntime.FileFilter{{DisplayName: "CSV (*.csv)", Pattern: "*.csv"}}})
}

// noWindow stands in before OnStartup and after shutdown: events are dropped, not fatal.
type noWindow struct{}

func (noWindow) Emit(string, any)     {}
func (noWindow) Show()                {}
func (noWindow) Hide()                {}
func (noWindow) Quit()                {}
func (noWindow) Size() (int, int)     { return 0, 0 }
func (noWindow) Position() (int, int) { return 0, 0 }
func (noWindow) SetPosition(int, int) {}

// OpenFiles without a window has nothing to show the picker on.
func (noWindow) OpenFiles(string) ([]string, error) { return nil, errNoWindow }

// SaveFile without a window has nothing to show the dialog on.
func (noWindow) SaveFile(string, string) (string, error) { return "", errNoWindow }
