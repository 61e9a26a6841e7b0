/**
 * Owns how native reads reach the cluster: a GET through the command's own cluster-gate grant, in
 * process, so native reads meet exactly the rules, credentials and identity headers kubectl does.
 * With a JSON `review`, a POST instead: the self reviews `auth can-i` sends, the one write the gate
 * lets through in a read-only policy, exactly as it does kubectl's.
 */
export type KubeFetch = (path: string, accept: string, review?: string) => Promise<Response>;
