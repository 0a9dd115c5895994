// Structured JSON logs (pino) on stdout; personal data never goes in a log line: credentials are
// removed, errors keep only their message, code and stack (never a request body an HTTP client's
// error carries), and every line passes the identifier scrubber on its way out (redaction.ts), so a
// NIK in any message, error or URL is gone whoever logged it.
import { pino, type DestinationStream, type Logger } from 'pino';
import { loggableError, scrubLogLine } from './redaction.js';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'penghubung' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A dashboard sign-in answers with its session token in Set-Cookie.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'], remove: true },
    serializers: { err: loggableError },
    hooks: { streamWrite: scrubLogLine },
  };
  return destination ? pino(options, destination) : pino(options);
}
