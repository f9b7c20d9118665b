// A file or link dropped anywhere but on a drop target the UI handles (the composer) must not
// navigate the window: the webview would open the file or URL in place of the app (and a dropped
// HTML file would run in it). The composer's own handlers run first and take what they accept;
// everywhere else the drop is refused.

/** installDropGuard refuses drops outside the UI's drop targets; it returns the uninstaller. */
export function installDropGuard(target: Window = window): () => void {
  const refuse = (e: DragEvent) => {
    if (e.defaultPrevented) return; // a drop target of ours handled it
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
  };
  target.addEventListener('dragover', refuse);
  target.addEventListener('drop', refuse);
  return () => {
    target.removeEventListener('dragover', refuse);
    target.removeEventListener('drop', refuse);
  };
}
