/**
 * Swagger UI's files, imported `with { type: "file" }`: the import is the file's path (on disk when run
 * from source, inside the executable after `bun build --compile`), never its code.
 */
declare module "swagger-ui-dist/*" {
  const path: string;
  export default path;
}
