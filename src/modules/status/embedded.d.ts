/**
 * The status page's files, imported `with { type: "text" }`: each import is the file's text, which
 * `bun build --compile` embeds in the executable. Never code to run on the server.
 */
declare module "*/ui/status.js" {
  const text: string;
  export default text;
}
declare module "*/ui/status.css" {
  const text: string;
  export default text;
}
declare module "*/ui/icon.svg" {
  const text: string;
  export default text;
}
