// Start-up phases, for `make bench`: the moments (ms since navigation start, performance.now())
// the first screen passes on its way to an interactive people list. ReportReady sends them to Go,
// which writes them beside the start-up time, so a slow start says where the time went.
const marks: Record<string, number> = {};

/** mark records the first time a phase is reached; later calls keep the first moment. */
export function mark(phase: string): void {
  if (!(phase in marks) && typeof performance !== 'undefined') marks[phase] = Math.round(performance.now());
}

/** startupMarks returns the phases reached so far, with the document's own load milestones. */
export function startupMarks(): Record<string, number> {
  const out: Record<string, number> = {};
  const nav = typeof performance !== 'undefined' ? performance.getEntriesByType?.('navigation')[0] : undefined;
  if (nav && 'responseEnd' in nav) {
    const n = nav as PerformanceNavigationTiming;
    out.documentLoaded = Math.round(n.responseEnd);
    out.domInteractive = Math.round(n.domInteractive);
    if (n.domContentLoadedEventStart > 0) out.domContentLoaded = Math.round(n.domContentLoadedEventStart);
  }
  return { ...out, ...marks };
}
