/**
 * A chatty service's log of any length for the stand-in: the healthy pod's container writes `lines`
 * JSON lines, one in 97 an error. What tests of large outputs and the output bench read.
 */
import { defaultScenario, HEALTHY_POD } from "./scenario";
import type { Scenario } from "./types";

/** The text every error line carries, for greps. */
export const LARGE_LOG_ERROR = "ERROR upstream payment-api timed out after 30s";

const line = (i: number) =>
  i % 97 === 0
    ? `{"level":"error","ts":${i},"msg":"${LARGE_LOG_ERROR}","attempt":${i % 7}}`
    : `{"level":"info","ts":${i},"msg":"request served","path":"/api/v1/credit/${i}","status":200,"ms":${i % 50}}`;

/** The default scenario with HEALTHY_POD's log replaced by `lines` lines (30,000: about 3 MB). */
export function largeLogScenario(lines: number): Scenario {
  const scenario = defaultScenario();
  const logs = scenario.logs.find((entry) => entry.pod === HEALTHY_POD);
  if (!logs) throw new Error("the scenario has no log for the healthy pod");
  const time = logs.current[0]?.time as string;
  logs.current = Array.from({ length: lines }, (_, i) => ({ time, text: line(i) }));
  return scenario;
}
