/**
 * Test preload: keep the server's info logs out of test output unless asked for, and give tests
 * that start real servers and processes room beyond the 5 s default (still bounded).
 */
import { setDefaultTimeout } from "bun:test";
import { setLogLevel } from "../src/log";

setLogLevel(process.env.KUBENTLY_LOG_LEVEL === "debug" ? "debug" : "error");
setDefaultTimeout(30_000);
