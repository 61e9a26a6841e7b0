/**
 * The images' Dockerfiles (the executor's and the API server's), as far as they can be checked without
 * a Docker engine: each parses into instructions, each architecture's stage copies the binary build.ts
 * writes for it (and, for the executor, a kubectl the operator supplies), nothing is downloaded or run
 * at build time, the build context admits exactly those files, and the image runs as the non-root user
 * its Deployment expects.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

// Docker's architecture names and Bun's.
const ARCHES = [
  { docker: "amd64", bun: "x64" },
  { docker: "arm64", bun: "arm64" },
];

const INSTRUCTIONS = new Set(
  "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL ONBUILD RUN SHELL STOPSIGNAL USER VOLUME WORKDIR".split(
    " ",
  ),
);

interface Image {
  dir: string;
  /** What each architecture's stage copies: [source, destination]. */
  copies(docker: string, bun: string): [string, string][];
  entrypoint: string[];
}

const IMAGES: Image[] = [
  {
    dir: "deploy/executor",
    copies: (docker, bun) => [
      [`dist/kubently-executor-linux-${bun}`, "/kubently-executor"],
      [`dist/kubectl-linux-${docker}`, "/kubectl"],
    ],
    entrypoint: ["/usr/local/bin/kubently-executor"],
  },
  {
    dir: "deploy/api",
    copies: (_, bun) => [[`dist/kubently-linux-${bun}`, "/kubently"]],
    entrypoint: ["/usr/local/bin/kubently", "serve"],
  },
];

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions with line continuations joined and comment lines dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.split("\n").filter((line) => !/^\s*#/.test(line));
  return lines
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [, keyword = "", args = ""] = /^\s*(\S+)\s*(.*)$/.exec(line) ?? [];
      return { keyword: keyword.toUpperCase(), args: args.trim() };
    });
}

interface Stage {
  from: string;
  name: string | undefined;
  body: Instruction[];
}

function stages(all: Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const instruction of all) {
    if (instruction.keyword === "FROM") {
      const [from = "", as, name] = instruction.args.split(/\s+/);
      result.push({ from, name: as?.toUpperCase() === "AS" ? name : undefined, body: [] });
    } else {
      result.at(-1)?.body.push(instruction);
    }
  }
  return result;
}

/** COPY's sources and destination, without its --flags. */
function copyPaths(args: string): { flags: string[]; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith("--"));
  const paths = words.filter((word) => !word.startsWith("--"));
  return { flags, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" };
}

describe.each(IMAGES)(
  "$dir/Dockerfile",
  ({ dir, copies: expectedCopies, entrypoint: expectedEntrypoint }) => {
    const all = instructions(readFileSync(`${dir}/Dockerfile`, "utf8"));
    const parsed = stages(all);
    const final = parsed.at(-1);
    const ignore = readFileSync(`${dir}/Dockerfile.dockerignore`, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));

    test("parses into known instructions, and nothing is fetched or run at build time", () => {
      expect(all.filter(({ keyword }) => !INSTRUCTIONS.has(keyword))).toEqual([]);
      expect(all.filter(({ keyword }) => keyword === "RUN" || keyword === "ADD")).toEqual([]);
      // TARGETARCH picks the stage, so it is declared before the first FROM.
      expect(all[0]).toEqual({ keyword: "ARG", args: "TARGETARCH" });
    });

    test("each architecture's stage copies the binaries build.ts writes (and a supplied kubectl)", () => {
      for (const { docker, bun } of ARCHES) {
        const stage = parsed.find((candidate) => candidate.name === `files-${docker}`);
        expect(stage?.from).toBe("scratch");
        const copies = (stage?.body ?? [])
          .filter(({ keyword }) => keyword === "COPY")
          .map(({ args }) => copyPaths(args));
        expect(copies).toEqual(
          expectedCopies(docker, bun).map(([source, destination]) => ({
            flags: [],
            sources: [source],
            destination,
          })),
        );
      }
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, expanded by BuildKit
      expect(parsed.find((stage) => stage.name === "files")?.from).toBe("files-${TARGETARCH}");
    });

    test("the build context admits exactly the files the stages copy", () => {
      const sources = parsed
        .flatMap((stage) => stage.body)
        .filter(({ keyword, args }) => keyword === "COPY" && !args.includes("--from="))
        .flatMap(({ args }) => copyPaths(args).sources);
      expect(ignore[0]).toBe("*");
      expect(
        ignore
          .slice(1)
          .map((line) => line.replace(/^!/, ""))
          .sort(),
      ).toEqual(sources.sort());
    });

    test("the image runs its binary as the non-root user the Deployment runs as, from /usr/local/bin", () => {
      expect(final?.from).toMatch(/^gcr\.io\/distroless\/.+:nonroot$/);
      const copy = final?.body.find(({ keyword }) => keyword === "COPY");
      const { flags, sources, destination } = copyPaths(copy?.args ?? "");
      expect(flags).toEqual(["--from=files", "--chmod=0555"]);
      expect(sources).toEqual(expectedCopies("amd64", "x64").map(([, destination]) => destination));
      expect(destination).toBe("/usr/local/bin/");

      const user = final?.body.findLast(({ keyword }) => keyword === "USER")?.args ?? "";
      const [uid, gid] = user.split(":").map(Number);
      expect(uid).toBeGreaterThan(0);
      expect(gid).toBeGreaterThan(0);
      const deployment = parse(readFileSync(`${dir}/deployment.yaml`, "utf8")) as {
        spec: { template: { spec: { securityContext: { runAsUser: number; runAsGroup: number } } } };
      };
      expect(deployment.spec.template.spec.securityContext).toMatchObject({
        runAsUser: uid,
        runAsGroup: gid,
      });

      const entrypoint = final?.body.find(({ keyword }) => keyword === "ENTRYPOINT")?.args ?? "";
      expect(JSON.parse(entrypoint)).toEqual(expectedEntrypoint);
    });
  },
);
