/**
 * `bun bench/profile-tree.ts FILE.cpuprofile [--top N] [PATTERN…]`: each function's share of a CPU
 * profile's samples, inclusive (itself and everything it called), the way to see what a request's
 * parts cost where the markdown profile's call tree splits one function over many callers. A
 * function is named by its name, file and line; one on the stack twice (recursion) counts once.
 * With patterns, only functions whose name or place contains one are listed. Reads the JSON profile
 * `bun --cpu-prof` writes (bench/hub.ts --profile leaves one). Never part of `bun test`.
 */
import { relative } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.shift();
if (!file) {
  console.error("usage: bun bench/profile-tree.ts FILE.cpuprofile [--top N] [PATTERN…]");
  process.exit(2);
}
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 60;
const patterns = args;

const profile = (await Bun.file(file).json()) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const nameOf = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) => {
  const place = url ? relative(process.cwd(), url.replace(/^file:\/\//, "")) : "";
  return `${functionName || "(anonymous)"} ${place}:${lineNumber + 1}`;
};

// Time per sampled node, then each sample's time added once to every function on its stack.
const selfTime = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const inclusive = new Map<string, number>();
let total = 0;
for (const [id, time] of selfTime) {
  total += time;
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const node = byId.get(at);
    if (node) onStack.add(nameOf(node));
  }
  for (const name of onStack) inclusive.set(name, (inclusive.get(name) ?? 0) + time);
}

console.log(`${(total / 1000).toFixed(0)} ms sampled`);
const rows = [...inclusive]
  .filter(([name]) => patterns.length === 0 || patterns.some((pattern) => name.includes(pattern)))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top);
for (const [name, time] of rows) console.log(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
