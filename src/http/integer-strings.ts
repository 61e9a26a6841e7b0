/**
 * A shared wire model as a route reads it. The models are plain typebox, so the executor and the CLI
 * can share them; Elysia's t.Integer also takes an integer's string form, which is all a query string
 * carries and which the routes' bodies have always accepted too. This swaps each top-level integer
 * property for Elysia's, with the same constraints, so a route reads what it read before the model
 * moved (and the document, which shows Elysia's integer as the integer, stays the same).
 */
import { Kind, OptionalKind, type TObject, type TSchema } from "@sinclair/typebox";
import { t } from "elysia";

export function acceptIntegerStrings<T extends TObject>(schema: T): T {
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, property]) => [name, integerFromString(property)]),
  );
  return { ...schema, properties };
}

function integerFromString(property: TSchema): TSchema {
  if (property[Kind] !== "Integer") return property;
  const { [Kind]: _kind, [OptionalKind]: optional, type: _type, ...constraints } = property;
  const integer = t.Integer(constraints);
  return optional ? t.Optional(integer) : integer;
}
