/**
 * Owns the kubeconfig each kubectl process gets: the gate on loopback, the gate's own CA, and a
 * credential valid for that one command. It is the only kubeconfig kubectl ever sees; the file is
 * private to the executor's user and removed when the command ends.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CommandKubeconfig {
  path: string;
  remove(): void;
}

export function writeCommandKubeconfig(
  dir: string,
  { url, caPem, token, name }: { url: string; caPem: string; token: string; name: string },
): CommandKubeconfig {
  const path = join(dir, `${name}.kubeconfig`);
  const text = `apiVersion: v1
kind: Config
clusters:
- name: kubently-gate
  cluster:
    server: ${url}
    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}
users:
- name: kubently-command
  user:
    token: ${token}
contexts:
- name: kubently-gate
  context:
    cluster: kubently-gate
    user: kubently-command
current-context: kubently-gate
preferences: {}
`;
  writeFileSync(path, text, { mode: 0o600 });
  return { path, remove: () => rmSync(path, { force: true }) };
}
