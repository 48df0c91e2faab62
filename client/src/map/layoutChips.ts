/**
 * The process chips of a node box: the processes in their usual order, and the most readable
 * labelling that fits the box — full names, short ones, on one row or two, or bare squares.
 */
import type { ChipBox, Measure } from "./layout.ts";

const WORKER_PROCS = ["container-runtime", "kubelet", "kube-proxy"];
const CP_PROCS = ["api-server", "scheduler", "controller-manager", "etcd"];
const SHORT: Record<string, string> = {
  "container-runtime": "runtime",
  kubelet: "kubelet",
  "kube-proxy": "proxy",
  "api-server": "api",
  scheduler: "sched",
  "controller-manager": "ctrl-mgr",
  etcd: "etcd",
};

/** The processes of a node in their usual order, then any others the model has. */
export function orderedProcesses(role: string, present: Iterable<string>): string[] {
  const base = role === "control-plane" ? CP_PROCS : WORKER_PROCS;
  const out = [...base];
  for (const p of present) if (!out.includes(p)) out.push(p);
  return out;
}

export function shortLabel(proc: string): string {
  return SHORT[proc] ?? (proc.length > 8 ? `${proc.slice(0, 7)}…` : proc);
}

/** Lays chips out left to right, wrapping; returns the rows used (Infinity when a chip alone does not fit). */
export function flowChips(
  procs: readonly string[],
  labels: readonly string[],
  x: number,
  y: number,
  w: number,
  chipH: number,
  gap: number,
  font: number,
  measure: Measure,
  out: ChipBox[],
): number {
  out.length = 0;
  let cx = x;
  let cy = y;
  let rows = 1;
  const padX = Math.round(font * 0.5);
  for (let i = 0; i < procs.length; i++) {
    const label = labels[i];
    const cw = label ? Math.ceil(measure(label, font) + 2 * padX) : chipH;
    if (cw > w) return Infinity;
    if (cx > x && cx + cw > x + w) {
      cx = x;
      cy += chipH + gap;
      rows++;
    }
    out.push({ proc: procs[i], label, x: cx, y: cy, w: cw, h: chipH });
    cx += cw + gap;
  }
  return rows;
}

/** Picks the most readable chip labelling that fits `maxRows` rows; returns the rows used. */
export function layoutChips(
  procs: readonly string[],
  x: number,
  y: number,
  w: number,
  chipH: number,
  gap: number,
  font: number,
  measure: Measure,
  out: ChipBox[],
  allowTwoRows: boolean,
): number {
  const full = procs as string[];
  const short = procs.map(shortLabel);
  const none = procs.map(() => "");
  const tries: [string[], number][] = [
    [full, 1],
    [short, 1],
  ];
  if (allowTwoRows) tries.push([full, 2], [short, 2]);
  for (const [labels, maxRows] of tries) {
    const rows = flowChips(procs, labels, x, y, w, chipH, gap, font, measure, out);
    if (rows <= maxRows) return rows;
  }
  const sq = Math.round(chipH * 0.75);
  return flowChips(procs, none, x, y + Math.round((chipH - sq) / 2), w, sq, gap, font, measure, out);
}
