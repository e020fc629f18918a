import type { RuntimeFigures } from "./runtimes.ts";
import type { Spread } from "./stats.ts";
import {
  allTargets,
  secretCallsGoal,
  type Target,
  warmGoals,
  webhookColdGoalRatio,
  webhookTargets,
} from "./targets.ts";

export interface BundleFigures {
  file: string;
  /** The target this is the artifact of, when `file` is not its bundle (a deploy tool's output directory). */
  targetId?: string;
  bytes: number;
  gzip: number;
  goalBytes: number | undefined;
  /** The packages (or project files) that put the most bytes into the bundle. */
  largestInputs: { name: string; bytes: number }[];
}

export interface TargetFigures {
  id: string;
  bytes: number;
  gzip: number;
  cold: { ms: Spread; baselineMs: Spread; deltaMs: Spread; ratio: Spread };
  warm: {
    p50Ms: Spread;
    p99Ms: Spread;
    p50Ratio: Spread;
    p99Ratio: Spread;
    rps1: Spread;
    rps32: Spread;
    bare: { p50Ms: Spread; p99Ms: Spread; rps1: Spread; rps32: Spread };
  };
  /** GetSecretValue calls per scenario; only for functions that use Secrets Manager. */
  secretCalls?: { warm1000: Spread; cold50: Spread };
}

export interface BenchReport {
  machine: { cpus: number; cpuModel: string; node: string; os: string; date: string };
  /** What the run could not measure, and why. */
  notes: string[];
  /** Cold start of each webhooks function, to compare with its platform's payments function. */
  webhooksCold: { id: string; paymentsId: string; cold: TargetFigures["cold"] }[];
  bundles: BundleFigures[];
  targets: TargetFigures[];
  /** The single-entry runtimes over loopback HTTP (bench/runtimes.ts). */
  runtimes: RuntimeFigures[];
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const whole = (value: number) => Math.round(value).toLocaleString("en-US");

function cell(figure: Spread, format: (value: number) => string): string {
  return `${format(figure.median)} (${format(figure.min)}–${format(figure.max)})`;
}

/** Whether `value` meets an upper-bound goal; undefined when there is no goal. */
function atMost(value: number, goal: number | undefined): boolean | undefined {
  return goal === undefined ? undefined : value <= goal;
}

function goalMark(met: boolean | undefined): string {
  if (met === undefined) return "";
  return met ? " ✓" : " ✗";
}

/** ✓ or ✗ after one of our figures that has a goal; nothing for peers (goals are ours). */
function mark(target: Target, met: boolean | undefined): string {
  return target.peer ? "" : goalMark(met);
}

interface Row {
  figure: string;
  goal: string;
  value: (figures: TargetFigures, target: Target) => string;
}

const rows: Row[] = [
  {
    figure: "Bundle, minified kB",
    goal: "≤ 320 Lambda, ≤ 30 Vercel/Netlify",
    value: (f, t) => kB(f.bytes) + mark(t, atMost(f.bytes, t.sizeGoalBytes)),
  },
  { figure: "Bundle, gzip kB", goal: "", value: (f) => kB(f.gzip) },
  {
    figure: "Cold start, ms over baseline",
    goal: "≤ +30 Lambda, ≤ +8 Vercel/Netlify",
    value: (f, t) => `+${cell(f.cold.deltaMs, fixed(1))}${mark(t, atMost(f.cold.deltaMs.median, t.coldGoalMs))}`,
  },
  { figure: "Cold start, ratio to baseline", goal: "", value: (f) => cell(f.cold.ratio, fixed(2)) },
  {
    figure: "Cold start, ms (baseline ms)",
    goal: "",
    value: (f) => `${fixed(1)(f.cold.ms.median)} (${fixed(1)(f.cold.baselineMs.median)})`,
  },
  {
    figure: "Warm p50 ms (bare fetch)",
    goal: "",
    value: (f) => `${fixed(3)(f.warm.p50Ms.median)} (${fixed(3)(f.warm.bare.p50Ms.median)})`,
  },
  {
    figure: "Warm p50 ratio to bare fetch",
    goal: `≤ ${warmGoals.p50Ratio.toFixed(2)}`,
    value: (f, t) => cell(f.warm.p50Ratio, fixed(2)) + mark(t, f.warm.p50Ratio.median <= warmGoals.p50Ratio),
  },
  {
    figure: "Warm p99 ms (bare fetch)",
    goal: "",
    value: (f) => `${fixed(3)(f.warm.p99Ms.median)} (${fixed(3)(f.warm.bare.p99Ms.median)})`,
  },
  {
    figure: "Warm p99 ratio to bare fetch",
    goal: `≤ ${warmGoals.p99Ratio.toFixed(2)}`,
    value: (f, t) => cell(f.warm.p99Ratio, fixed(2)) + mark(t, f.warm.p99Ratio.median <= warmGoals.p99Ratio),
  },
  {
    figure: "Req/s, concurrency 1 (bare fetch)",
    goal: "",
    value: (f) => `${cell(f.warm.rps1, whole)} (${whole(f.warm.bare.rps1.median)})`,
  },
  {
    figure: "Req/s, concurrency 32 (bare fetch)",
    goal: "",
    value: (f) => `${cell(f.warm.rps32, whole)} (${whole(f.warm.bare.rps32.median)})`,
  },
  {
    figure: "GetSecretValue calls, 1,000 warm invocations",
    goal: `${secretCallsGoal}`,
    value: (f, t) => secretsCell(f.secretCalls?.warm1000, t),
  },
  {
    figure: "GetSecretValue calls, 50 concurrent cold invocations",
    goal: `${secretCallsGoal}`,
    value: (f, t) => secretsCell(f.secretCalls?.cold50, t),
  },
];

function secretsCell(calls: Spread | undefined, target: Target): string {
  if (!calls) return "n/a (env vars)";
  return cell(calls, whole) + mark(target, calls.max === secretCallsGoal && calls.min === secretCallsGoal);
}

const RUNTIME_LABELS: Record<RuntimeFigures["id"], string> = {
  cloudflare: "Cloudflare workerd (wrangler dev)",
  deno: "Deno",
  supabase: "Supabase entry on Deno",
  bun: "Bun",
};

function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...body.map(line)].join("\n");
}

/** The report as markdown: the machine, the side-by-side table, then every bundle's size. */
export function toMarkdown(report: BenchReport): string {
  const { machine } = report;
  const measured = allTargets.flatMap((target) => {
    const figures = report.targets.find((f) => f.id === target.id);
    return figures ? [{ target, figures }] : [];
  });
  const sideBySide = table(
    ["Figure", "Goal", ...measured.map(({ target }) => target.label)],
    rows.map((row) => [row.figure, row.goal, ...measured.map(({ target, figures }) => row.value(figures, target))]),
  );
  const bundles = table(
    ["Bundle", "Minified kB", "gzip kB", "Goal kB", "Largest inputs (kB)"],
    report.bundles.map((b) => [
      b.file,
      kB(b.bytes) + goalMark(atMost(b.bytes, b.goalBytes)),
      kB(b.gzip),
      b.goalBytes === undefined ? "" : `≤ ${kB(b.goalBytes)}`,
      b.largestInputs.map((input) => `${input.name} ${kB(input.bytes)}`).join(", "),
    ]),
  );
  // Compared on the whole cold start (what a caller waits for), not on the small, noisy delta.
  const webhooks = table(
    [
      "Webhooks function",
      "Cold start ms (over baseline)",
      "Its payments function",
      `Ratio of cold starts (goal ≤ ${webhookColdGoalRatio.toFixed(2)})`,
    ],
    report.webhooksCold.flatMap(({ id, paymentsId, cold }) => {
      const payments = report.targets.find((f) => f.id === paymentsId)?.cold;
      if (!payments) return [];
      const ratio = cold.ms.median / payments.ms.median;
      const coldCell = (figures: TargetFigures["cold"]) =>
        `${fixed(1)(figures.ms.median)} (+${fixed(1)(figures.deltaMs.median)})`;
      return [
        [
          webhookTargets.find((target) => target.id === id)?.label ?? id,
          coldCell(cold),
          coldCell(payments),
          fixed(2)(ratio) + goalMark(ratio <= webhookColdGoalRatio),
        ],
      ];
    }),
  );
  const runtimes = table(
    ["Runtime, over loopback HTTP", "Cold start ms (spawn → first payment answered)", "Warm p50 ms", "Warm p99 ms"],
    report.runtimes.map(({ id, coldMs, warm }) => [
      RUNTIME_LABELS[id],
      cell(coldMs, fixed(0)),
      fixed(2)(warm.p50Ms),
      fixed(2)(warm.p99Ms),
    ]),
  );
  return [
    `Machine: ${machine.cpus} cores, ${machine.cpuModel}, Node ${machine.node}, ${machine.os}; run ${machine.date}.`,
    "Cells: median (min–max) over the repeated runs; ✓/✗: our figure against its goal.",
    ...report.notes,
    "",
    sideBySide,
    "",
    webhooks,
    "",
    bundles,
    ...(report.runtimes.length > 0 ? ["", runtimes] : []),
  ].join("\n");
}
