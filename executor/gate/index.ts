/**
 * The cluster gate: the executor's second layer after the argv policy. kubectl talks only to it;
 * it holds the cluster credentials and decides every Kubernetes API request on its parsed method
 * and URL. Imports nothing from src/: the executor ships on its own.
 */
export { selfSignedCert } from "./certificate";
export {
  type ClusterAccess,
  ClusterAccessError,
  resolveClusterAccess,
  SERVICE_ACCOUNT_DIR,
} from "./cluster-access";
export type { Caller } from "./identity";
export { type ApiRequest, parseApiRequest, type ResourceRequest } from "./request";
export { API_REQUEST_DENIED, decideRequest, GATE_RULES, type GateDecision, type GateRule } from "./rules";
export {
  type ClusterGate,
  type CommandGrant,
  type GateReport,
  type RefusedRequest,
  startGate,
} from "./server";
