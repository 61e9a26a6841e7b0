/** Schemas of GET /audit: the shared page query, read from the query string. */
import { acceptIntegerStrings } from "../../http/integer-strings";
import { AuditPageQuery } from "../../models";

export const AuditListQuery = acceptIntegerStrings(AuditPageQuery);
