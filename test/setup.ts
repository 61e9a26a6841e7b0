/** Test preload: keep the server's info logs out of test output unless asked for. */
import { setLogLevel } from "../src/log";

setLogLevel(process.env.KUBENTLY_LOG_LEVEL === "debug" ? "debug" : "error");
