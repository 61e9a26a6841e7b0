/**
 * Test preload: keep the server's info logs out of test output unless asked for. The per-test
 * timeout (30 s: tests start real servers and processes) is `npm test`'s --timeout, since
 * setDefaultTimeout here would reach only the first test file.
 */
import { setLogLevel } from "../src/log";

setLogLevel(process.env.KUBENTLY_LOG_LEVEL === "debug" ? "debug" : "error");
