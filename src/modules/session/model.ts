/** Schemas of the session routes. */
import { t } from "elysia";
import { acceptIntegerStrings } from "../../http/integer-strings";
import { CreateSessionRequest, Uuid } from "../../models";

export const CreateSessionBody = acceptIntegerStrings(CreateSessionRequest);

export const SessionParams = t.Object({ session_id: Uuid });
