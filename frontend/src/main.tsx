import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { mark } from './lib/startupTrace';
import { installDropGuard } from './lib/dropGuard';

mark('scriptEvaluated');
installDropGuard();

const el = document.getElementById('root');
if (el) {
  const root = createRoot(el);
  // The first render now, not on a later task: the page came with its data (lib/inlineBoot.ts),
  // so the workspace and its rows can be built while the document is still being set up.
  flushSync(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
  // The first render is over, the rows are in the DOM: from here to 'painted' (the first
  // animation frame) no script of the page runs, only the engine's own work.
  mark('renderDone');
}
