/**
 * Owns how native reads reach the cluster: a GET through the command's own cluster-gate grant, in
 * process, so native reads meet exactly the rules, credentials and identity headers kubectl does.
 */
export type KubeFetch = (path: string, accept: string) => Promise<Response>;
