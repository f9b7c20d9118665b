import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { errorWords } from './errorsLater';
import { useI18n } from './i18n';

interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

interface ToastApi {
  notify: (text: string, kind?: Toast['kind']) => void;
}

// The toasts of the window, reachable from anywhere without a React context (Preact's providers
// keep old trees alive: see useI18n). The one ToastProvider registers itself; what is reported
// before it is mounted waits for it.
let show: ToastApi['notify'] | null = null;
let early: [string, Toast['kind']][] = [];
const toastApi: ToastApi = {
  notify: (text, kind = 'error') => (show ? show(text, kind) : void early.push([text, kind])),
};

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const { t } = useI18n();

  const dismiss = useCallback((id: number) => {
    setToasts((ts) => ts.filter((x) => x.id !== id));
    const tm = timers.current.get(id);
    if (tm) clearTimeout(tm);
    timers.current.delete(id);
  }, []);

  const notify = useCallback(
    (text: string, kind: Toast['kind'] = 'error') => {
      const id = ++seq.current;
      setToasts((ts) => [...ts.slice(-3), { id, text, kind }]);
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 3000),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const map = timers.current;
    return () => {
      for (const tm of map.values()) clearTimeout(tm);
      map.clear();
    };
  }, []);

  useLayoutEffect(() => {
    show = notify;
    for (const [text, kind] of early) notify(text, kind);
    early = [];
    return () => {
      if (show === notify) show = null;
    };
  }, [notify]);

  return (
    <>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast toast-${x.kind}`} data-testid="toast" role={x.kind === 'error' ? 'alert' : undefined}>
            <span>{x.text}</span>
            <button type="button" className="icon-btn" aria-label={t('toast.close')} onClick={() => dismiss(x.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </>
  );
}

export function useToast(): ToastApi {
  return toastApi;
}

/**
 * Returns a function that shows any error from a Go call as a toast in the person's language,
 * once the error table is in (errorsLater.ts: right after the first paint); errors reported
 * together show in the order they were reported.
 */
export function useReportError(): (e: unknown) => void {
  const { notify } = useToast();
  const { locale } = useI18n();
  return useCallback((e: unknown) => void errorWords(e, locale).then((words) => notify(words, 'error')), [notify, locale]);
}
